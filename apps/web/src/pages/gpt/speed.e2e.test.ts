/**
 * Speed (a benchmark, not a timed assertion): the GPT page's `cpu` preset and the RNN page's
 * makemore transformer, trained in the session worker in Chromium and, through the same code
 * (`SessionHost` with the same kind, messages structured-cloned like postMessage), in Node — both
 * on the wasm backend, one thread. Node, browser, Node: the shared machine's load drifts, so the
 * browser run is bracketed. Logs steps/s of both and the ratio (the target: ≥ 80%).
 */
import { bundledNames } from '@llm-playground/data';
import { setBackend } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';
import { SessionHost } from '../../session/host.js';
import type { ProgressEvent, SessionEvent } from '../../session/protocol.js';
import { readParams } from '../../state/url-state.js';
import { rnnSchema, toRnnSettings } from '../rnn/params.js';
import { gptKind, type LmInit, preloadBook } from './lm-kind.js';
import { gptSchema, toGptSettings } from './params.js';

const STEPS = 300;
/** No evaluation but the last one (the same in both). */
const QUERY = `steps=${STEPS}&eval=100000`;

async function nodeStepsPerSecond(kind: 'gpt' | 'zoo', init: LmInit): Promise<number> {
  setBackend('wasm');
  if (kind === 'gpt') await preloadBook();
  let last: ProgressEvent | null = null;
  await new Promise<void>((resolve) => {
    const host = new SessionHost(
      (message: SessionEvent, transfer?: Transferable[]) => {
        const copy = structuredClone(message, { transfer: transfer ?? [] });
        if (copy.type === 'progress') {
          last = copy;
          if (copy.status === 'done') resolve();
        }
      },
      { [kind]: () => gptKind },
    );
    void host.handle({ type: 'start', kind, init });
    void host.handle({ type: 'resume' });
  });
  const progress = last as unknown as ProgressEvent;
  expect(progress.step).toBe(STEPS);
  return progress.stats.stepsPerSecond;
}

async function browserStepsPerSecond(hash: string): Promise<number> {
  const app = await openApp(hash);
  try {
    const status = app.page.getByTestId('lm-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('parameters');
    await app.page.getByRole('button', { name: 'Train' }).click();
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 300_000, interval: 250 })
      .toBe('done');
    expect(await status.getAttribute('data-step')).toBe(String(STEPS));
    expect(app.errors).toEqual([]);
    return Number(await status.getAttribute('data-steps-per-second'));
  } finally {
    await app.close();
  }
}

async function compare(label: string, kind: 'gpt' | 'zoo', init: LmInit, hash: string) {
  const node1 = await nodeStepsPerSecond(kind, init);
  const browser = await browserStepsPerSecond(hash);
  const node2 = await nodeStepsPerSecond(kind, init);
  const node = (node1 + node2) / 2;
  console.log(
    `${label}, ${STEPS} steps, wasm: worker ${browser.toFixed(1)} steps/s, Node ${node.toFixed(1)} steps/s ` +
      `(${node1.toFixed(1)}, ${node2.toFixed(1)}), worker/Node = ${((100 * browser) / node).toFixed(0)}%`,
  );
  expect(browser).toBeGreaterThan(0);
  expect(browser / node).toBeGreaterThan(0.05); // sanity only: a broken worker fails, noise does not
}

describe.skipIf(!canRunBrowser)('GPT and transformer training speed: worker vs Node', () => {
  it("the gpt 'cpu' preset on the book", async () => {
    const settings = toGptSettings(readParams(gptSchema, new URLSearchParams(QUERY)));
    await compare(
      "gpt 'cpu' preset (block 32, n_embd 64, 4 heads, 3 layers, batch 32)",
      'gpt',
      { family: 'gpt', settings, text: null },
      `#/gpt?${QUERY}`,
    );
  }, 900_000);

  it("makemore's transformer on the bundled names", async () => {
    const query = `${QUERY}&model=transformer`;
    const settings = toRnnSettings(readParams(rnnSchema, new URLSearchParams(query)));
    const init: LmInit = { family: 'transformer', settings, words: bundledNames().words };
    await compare(
      'makemore transformer (block 16, n_embd 64, 4 layers, 4 heads, batch 32)',
      'zoo',
      init,
      `#/rnn?${query}`,
    );
  }, 900_000);
});
