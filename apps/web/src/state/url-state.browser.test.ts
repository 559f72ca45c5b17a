import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHash, route } from '../router.js';
import { createUrlState, type Schema } from './url-state.js';

// The same schema shape a page uses; here the URL is the browser's real `location.hash`, written by
// `history.replaceState` and read back through the router's `hashchange` listener.
const schema = {
  lr: { type: 'number', default: 0.1, min: 1e-4, max: 10, log: true },
  batch: { type: 'number', default: 32, min: 1, max: 512, integer: true },
  optimizer: { type: 'enum', default: 'sgd', values: ['sgd', 'adam'] },
  shuffle: { type: 'boolean', default: true },
  word: { type: 'string', default: 'emma', maxLength: 8 },
} satisfies Schema;

/** Sets the hash as a learner pasting a link would, and waits for the `hashchange` event. */
function goTo(hash: string): Promise<void> {
  return new Promise((resolve) => {
    window.addEventListener('hashchange', () => resolve(), { once: true });
    location.hash = hash;
  });
}

describe('createUrlState in a real browser', () => {
  let original = '';
  beforeEach(() => {
    original = location.hash;
  });
  afterEach(() => {
    history.replaceState(null, '', `${location.pathname}${location.search}${original}`);
    route.value = parseHash(location.hash);
  });

  it('reads a pasted link through hashchange, validated and clamped', async () => {
    await goTo('#/mlp?lr=0.01&batch=9999&optimizer=adam&word=zo%C3%AB');
    expect(route.value.page).toBe('mlp');
    const state = createUrlState(schema);
    expect(state.values.value).toEqual({
      lr: 0.01,
      batch: 512,
      optimizer: 'adam',
      shuffle: true,
      word: 'zoë',
    });
  });

  it('set() writes only non-defaults into location.hash without a history entry; a reload reads them back', async () => {
    await goTo('#/mlp');
    const entries = history.length;
    const state = createUrlState(schema);
    state.set({ lr: 0.1 + 0.2, shuffle: false, word: 'a&b=c d' });
    expect(location.hash).toBe('#/mlp?lr=0.30000000000000004&shuffle=0&word=a%26b%3Dc+d');
    expect(history.length).toBe(entries);
    // What a new tab opened on this link would see: the URL alone, parsed afresh.
    route.value = parseHash(location.hash);
    const reopened = createUrlState(schema);
    expect(reopened.values.value).toEqual({
      lr: 0.30000000000000004,
      batch: 32,
      optimizer: 'sgd',
      shuffle: false,
      word: 'a&b=c d',
    });
    reopened.reset();
    expect(location.hash).toBe('#/mlp');
    expect(state.values.value).toEqual({
      lr: 0.1,
      batch: 32,
      optimizer: 'sgd',
      shuffle: true,
      word: 'emma',
    });
  });

  it('follows the back button: the previous link is restored through popstate/hashchange', async () => {
    await goTo('#/mlp?lr=0.5');
    const state = createUrlState(schema);
    await goTo('#/mlp?lr=2&batch=64');
    expect(state.values.value).toMatchObject({ lr: 2, batch: 64 });
    await new Promise<void>((resolve) => {
      window.addEventListener('hashchange', () => resolve(), { once: true });
      history.back();
    });
    expect(location.hash).toBe('#/mlp?lr=0.5');
    expect(state.values.value).toMatchObject({ lr: 0.5, batch: 32 });
  });
});
