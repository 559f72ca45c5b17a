/**
 * The learning path of the home page, in the order of the lectures: each step says what you learn
 * and links to the page (and, where useful, the page's settings) where you do it. Several steps
 * share a page: the moons page is a neuron, a layer and an MLP at once.
 *
 * @example
 * ```ts
 * learningPath[0].href; // '#/derivatives'
 * learningPath.map((step) => step.page); // ['derivatives', 'derivatives', 'moons', 'layer', 'moons', …, 'mlp', 'backprop']
 * ```
 */
import { formatHash } from '../../router.js';

export interface LearningStep {
  /** Short name of the idea. */
  title: string;
  /** One or two sentences: what you compute or see there. */
  learn: string;
  /** The page id in the registry. */
  page: string;
  /** The link: the page plus settings that set up this step (unknown settings are ignored). */
  href: string;
}

function step(
  title: string,
  learn: string,
  page: string,
  params?: Record<string, string>,
): LearningStep {
  return { title, learn, page, href: formatHash(page, params) };
}

export const learningPath: readonly LearningStep[] = [
  step(
    'Derivatives',
    'Nudge an input by a small h and watch the output move: (f(x + h) − f(x)) / h is the slope, the number every later step computes exactly.',
    'derivatives',
  ),
  step(
    'Value and backprop',
    'Build L = (a·b + c)·f from Value objects, draw its graph, and run backward one node at a time: each gradient is local derivative × upstream gradient (the chain rule).',
    'derivatives',
    { preset: 'chain' },
  ),
  step(
    'A neuron',
    'o = act(w·x + b): inputs times weights plus a bias, squashed by an activation. Drag the inputs, weights and bias and switch between tanh, sigmoid and ReLU to see where each saturates; backprop through tanh multiplies by 1 − o² (its graph is the "2-input tanh neuron" preset of the expression lab).',
    'moons',
  ),
  step(
    'A layer',
    'Several neurons reading the same inputs, each with its own weights: a layer maps nin numbers to nout numbers. Move the inputs, watch every neuron and the output vector, and drag a neuron along its activation curve.',
    'layer',
  ),
  step(
    'An MLP',
    'Layers in a row, MLP(2, [16, 16, 1]): enough bends to separate two interleaving moons. Watch the decision boundary form while it trains.',
    'moons',
  ),
  step(
    'Losses',
    'One number that says how wrong the model is. MSE for regression (predict a number); max-margin (hinge) for ±1 labels, as on the moons; cross-entropy, the negative log-likelihood of the right class, when the model outputs probabilities — the language models below. See the three side by side, then train the moons with each.',
    'moons',
    // The moons page trains with the chosen loss and scrolls to its "losses side by side" panel.
    { loss: 'cross-entropy', focus: 'losses' },
  ),
  step(
    'Gradient descent and minibatches',
    'Step every parameter a little against its gradient, p −= lr · grad, again and again. A random minibatch gives a noisier but much cheaper gradient: compare batch sizes and learning rates.',
    'moons',
    { batch: '16' },
  ),
  step(
    'Bigram counts',
    'Count which character follows which in a list of names: a V×V table (V = the distinct characters plus the boundary `.`: 27×27 for the lecture’s a–z names, 28×28 for the bundled names, which also contain `-`), normalized row by row, is already a language model. Sample from it and score words by their negative log-likelihood.',
    'bigram',
  ),
  step(
    'Bigram neural net',
    'The same model learned by gradient descent: one-hot input, one weight matrix W, softmax, cross-entropy. W converges to the log-counts, and regularization plays the role of smoothing.',
    'bigram-net',
  ),
  step(
    'MLP language model',
    'Bengio et al. (2003): embed each of the last three characters in a small vector space, a tanh hidden layer, softmax over the next character. Train it, find a learning rate, watch the embedding, sample names.',
    'mlp',
  ),
  step(
    'Overfitting and regularization',
    'Train the same model on only a few hundred words: training loss keeps falling while the dev loss turns up. That gap is overfitting; more data, a smaller model or weight decay close it.',
    'mlp',
    // The dev loss every 100 steps (on a 4096-example prefix of dev): the moment it turns up shows.
    { train: '500', eval: '100' },
  ),
  step(
    'Activations & gradients',
    "A deep tanh MLP's vital signs, live: activation and gradient histograms, grad:data and update:data ratios; switch the init, the tanh gain and BatchNorm and watch saturation change.",
    'vitals',
  ),
  step(
    'Backprop by hand',
    'The MLP with BatchNorm, forward in small steps: write the gradient of every step yourself (dlogprobs back to dC), check it against autograd line by line, then the cross-entropy and BatchNorm backward in one expression each.',
    'backprop',
  ),
  step(
    'WaveNet',
    'Fuse the context slowly: a tree of FlattenConsecutive(2) levels over 8 characters, trained beside a flat MLP with the same parameter count.',
    'wavenet',
  ),
  step(
    'RNN and GRU',
    "makemore.py's recurrent models read a name one character at a time, carrying a hidden state; the GRU's gates decide what to keep. Train one and watch the state change character by character.",
    'rnn',
  ),
  step(
    'A GPT on a book',
    "Let's build GPT: self-attention from one head to residual blocks, trained on Moby Dick here. Watch the sample turn English-like, stream text from a prompt, and look at what each head attends to.",
    'gpt',
  ),
  step(
    'Tokenization',
    "Let's build the GPT tokenizer: see GPT-2's and GPT-4's tokens on your text, then train a byte-pair encoding and watch each merge join the most frequent pair and the text get shorter.",
    'tokenizer',
  ),
];
