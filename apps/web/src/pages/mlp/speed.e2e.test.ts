/**
 * Speed: the MLP page's training in its module worker (Chromium) against the same training in
 * Node, through the same code path (`SessionHost` with the `mlp` kind: time slices, progress messages,
 * evaluations).
 * Logs steps/s of both and the ratio; asserts only loose sanity bounds (shared, noisy machines:
 * no timing assertions that could flake).
 */
import { bundledNames } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';
import { SessionHost } from '../../session/host.js';
import type { ProgressEvent, SessionEvent } from '../../session/protocol.js';
import { readParams } from '../../state/url-state.js';
import { mlpKind } from './mlp-kind.js';
import { mlpSchema, toMlpSettings } from './params.js';

const STEPS = 2000;
const QUERY = `steps=${STEPS}`;

/** Trains STEPS steps with the page's default settings in Node; messages are structured-cloned like postMessage. */
async function nodeStepsPerSecond(): Promise<number> {
  const settings = toMlpSettings(readParams(mlpSchema, new URLSearchParams(QUERY)));
  let last: ProgressEvent | null = null;
  const done = new Promise<void>((resolve) => {
    const host = new SessionHost(
      (message: SessionEvent, transfer?: Transferable[]) => {
        const copy = structuredClone(message, { transfer: transfer ?? [] });
        if (copy.type === 'progress') {
          last = copy;
          if (copy.status === 'done') resolve();
        }
      },
      { mlp: () => mlpKind },
    );
    void host.handle({
      type: 'start',
      kind: 'mlp',
      init: { words: bundledNames().words, settings },
    });
    void host.handle({ type: 'resume' });
  });
  await done;
  const progress = last as unknown as ProgressEvent;
  expect(progress.step).toBe(STEPS);
  return progress.stats.stepsPerSecond;
}

async function browserStepsPerSecond(): Promise<number> {
  const app = await openApp(`#/mlp?${QUERY}`);
  try {
    await app.page.getByTestId('mlp-info').waitFor();
    await app.page.getByRole('button', { name: 'Train' }).click();
    const status = app.page.getByTestId('mlp-status');
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 60_000, interval: 250 })
      .toBe('done');
    expect(await status.getAttribute('data-step')).toBe(String(STEPS));
    expect(app.errors).toEqual([]);
    return Number(await status.getAttribute('data-steps-per-second'));
  } finally {
    await app.close();
  }
}

describe.skipIf(!canRunBrowser)('MLP training speed: worker in Chromium vs Node', () => {
  it(`runs ${STEPS} steps in both and reports steps/s`, async () => {
    // Node, browser, Node: the machine's load drifts, so bracket the browser run.
    const node1 = await nodeStepsPerSecond();
    const browser = await browserStepsPerSecond();
    const node2 = await nodeStepsPerSecond();
    const node = (node1 + node2) / 2;
    const ratio = browser / node;
    console.log(
      `MLP page training, ${STEPS} steps (block 3, emb 10, hidden 200, batch 32, dev every 1000): ` +
        `worker ${browser.toFixed(0)} steps/s, Node ${node.toFixed(0)} steps/s ` +
        `(${node1.toFixed(0)}, ${node2.toFixed(0)}), worker/Node = ${(100 * ratio).toFixed(0)}%`,
    );
    expect(browser).toBeGreaterThan(0);
    expect(node).toBeGreaterThan(0);
    // Sanity only: a broken worker (e.g. 100× slower) fails; machine noise does not.
    expect(ratio).toBeGreaterThan(0.05);
  }, 120_000);
});
