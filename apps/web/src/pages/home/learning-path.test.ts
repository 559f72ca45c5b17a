import { describe, expect, it } from 'vitest';
import { parseHash } from '../../router.js';
import { findPage, pages } from '../registry.js';
import { learningPath } from './learning-path.js';

describe('learningPath', () => {
  it('follows the lectures in the order of the issue', () => {
    expect(learningPath.map((step) => step.title)).toEqual([
      'Derivatives',
      'Value and backprop',
      'A neuron',
      'A layer',
      'An MLP',
      'Losses',
      'Gradient descent and minibatches',
      'Bigram counts',
      'Bigram neural net',
      'MLP language model',
      'Overfitting and regularization',
      'Activations & gradients',
      'Backprop by hand',
      'WaveNet',
      'RNN and GRU',
      'A GPT on a book',
      'Tokenization',
    ]);
  });

  it('links every step to a registered page, through a well-formed hash route', () => {
    for (const step of learningPath) {
      expect(findPage(step.page), step.title).toBeDefined();
      expect(step.page).not.toBe('');
      const route = parseHash(step.href);
      expect(route.page).toBe(step.page);
    }
    expect(learningPath[1].href).toBe('#/derivatives?preset=chain');
    // A neuron: the moons page opens with the draggable neuron (tanh / sigmoid / ReLU plotted).
    expect(learningPath[2].href).toBe('#/moons');
    // Issue 10: step 4, "A layer", has a page of its own (it linked to the moons page).
    expect(learningPath[3].title).toBe('A layer');
    expect(learningPath[3].href).toBe('#/layer');
    expect(learningPath[10].href).toBe('#/mlp?train=500&eval=100');
    // Losses: the moons page with cross-entropy selected, scrolled to its losses panel.
    expect(learningPath[5].href).toBe('#/moons?loss=cross-entropy&focus=losses');
  });

  it('first visits the lesson pages in registry order, and every lesson page at least once', () => {
    const order = pages.map((p) => p.id);
    // The moons page is visited again after the layer page (an MLP is layers in a row).
    const firstVisits = [...new Set(learningPath.map((step) => step.page))];
    const visited = firstVisits.map((page) => order.indexOf(page));
    expect(visited).toEqual([...visited].sort((a, b) => a - b));
    const lessonPages = pages.filter((p) => p.id !== '' && p.id !== 'data').map((p) => p.id);
    expect(new Set(learningPath.map((step) => step.page))).toEqual(new Set(lessonPages));
  });

  // Issue 10: the page said "27×27" while the bundled names (with `-`) give 28×28.
  it('says which data gives which table size', () => {
    const counts = learningPath.find((step) => step.title === 'Bigram counts')?.learn ?? '';
    expect(counts).toContain('27×27 for the lecture’s a–z names');
    expect(counts).toContain('28×28 for the bundled names');
  });

  it('says what you learn in every step', () => {
    for (const step of learningPath) expect(step.learn.length).toBeGreaterThan(60);
  });
});
