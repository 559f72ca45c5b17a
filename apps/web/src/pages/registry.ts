/**
 * The pages, in the order of the learning path. Each page module is loaded on demand (its own
 * chunk), and default-exports a component.
 */
import type { ComponentType } from 'preact';

export interface PageDef {
  id: string;
  title: string;
  /** One line for the home page and the navigation. */
  summary: string;
  load: () => Promise<{ default: ComponentType }>;
}

export const pages: readonly PageDef[] = [
  {
    id: '',
    title: 'Learning path',
    summary: 'Where to start and what comes next.',
    load: () => import('./home/page.js'),
  },
  {
    id: 'derivatives',
    title: 'Derivatives & Value',
    summary: 'Nudge an input by h, build an expression graph, backpropagate one node at a time.',
    load: () => import('./derivatives/page.js'),
  },
  {
    id: 'moons',
    title: 'Neuron, MLP & moons',
    summary:
      'A neuron, a layer, an MLP; train it on two moons with max-margin loss and minibatches.',
    load: () => import('./moons/page.js'),
  },
  {
    id: 'layer',
    title: 'A layer',
    summary: 'Several neurons on the same inputs: drag the inputs and along the activation curve.',
    load: () => import('./layer/page.js'),
  },
  {
    id: 'bigram',
    title: 'Bigram counts',
    summary:
      'Count which character follows which; sample names; score them by negative log likelihood.',
    load: () => import('./bigram/page.js'),
  },
  {
    id: 'bigram-net',
    title: 'Bigram neural net',
    summary: 'The same model learned by gradient descent: W converges to the log-counts.',
    load: () => import('./bigram-net/page.js'),
  },
  {
    id: 'mlp',
    title: 'MLP language model',
    summary:
      'Embeddings and a hidden layer (Bengio et al. 2003): train, watch dev loss, sample names.',
    load: () => import('./mlp/page.js'),
  },
  {
    id: 'vitals',
    title: 'Activations & gradients',
    summary:
      "A deep tanh MLP's vital signs, live: activation, gradient and update:data pictures; init, gain, BatchNorm.",
    load: () => import('./vitals/page.js'),
  },
  {
    id: 'backprop',
    title: 'Backprop ninja',
    summary:
      'Write every gradient of the BatchNorm MLP by hand and check it against autograd (cmp).',
    load: () => import('./backprop/page.js'),
  },
  {
    id: 'wavenet',
    title: 'WaveNet',
    summary:
      'Fuse the context slowly: a tree of FlattenConsecutive(2) levels vs a flat MLP of the same size.',
    load: () => import('./wavenet/page.js'),
  },
  {
    id: 'rnn',
    title: 'RNN, GRU & transformer',
    summary:
      "makemore.py's sequence models on names: train an RNN, a GRU or a transformer, watch its hidden state.",
    load: () => import('./rnn/page.js'),
  },
  {
    id: 'gpt',
    title: 'GPT',
    summary:
      'Train a GPT on a book in the browser, stream text from it, and look at every head’s attention.',
    load: () => import('./gpt/page.js'),
  },
  {
    id: 'tokenizer',
    title: 'Tokenization',
    summary:
      'See text cut into GPT-2 / GPT-4 tokens, and train your own byte-pair encoding, merge by merge.',
    load: () => import('./tokenizer/page.js'),
  },
  {
    id: 'data',
    title: 'Your data',
    summary: 'Paste or upload a word list and use it on every makemore page.',
    load: () => import('./data/page.js'),
  },
];

export function findPage(id: string): PageDef | undefined {
  return pages.find((p) => p.id === id);
}
