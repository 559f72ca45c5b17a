import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckClient, type CheckerMessage, type WorkerLike } from './check-client.js';
import { checkBoxes, fixedBatch } from './evaluator.js';

/**
 * A worker that runs the real evaluator synchronously on `postMessage` — or, for a source that
 * contains `while (true)`, reports the box as running and never answers, as a real worker stuck
 * in an endless loop would.
 */
class FakeWorker implements WorkerLike {
  static batch = fixedBatch();
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  constructor() {
    queueMicrotask(() => this.send({ type: 'ready', info: { loss: 3.3, itos: [], shapes: {} } }));
  }
  send(message: CheckerMessage) {
    if (!this.terminated) this.onmessage?.({ data: message } as MessageEvent);
  }
  postMessage(message: { sources: Record<string, string> }) {
    const stuck = Object.entries(message.sources).find(([, s]) => s.includes('while (true)'));
    if (stuck) return this.send({ type: 'running', id: stuck[0] });
    const { results } = checkBoxes(FakeWorker.batch, message.sources);
    this.send({ type: 'results', results, dlogits: null });
  }
  terminate() {
    this.terminated = true;
  }
}

describe('CheckClient', () => {
  afterEach(() => vi.useRealTimers());

  it('passes the results through', async () => {
    const client = new CheckClient(() => new FakeWorker());
    const outcome = await client.check({ b2: 'return dlogits.sum(0);' });
    expect(outcome.kind).toBe('results');
    if (outcome.kind === 'results')
      expect(outcome.results.find((r) => r.id === 'b2')?.mark).toBe('✓');
  });

  it('an endless loop: after 2 s the worker is terminated, the box named, the next check works', async () => {
    vi.useFakeTimers();
    const workers: FakeWorker[] = [];
    const client = new CheckClient(() => {
      workers.push(new FakeWorker());
      return workers.at(-1) as FakeWorker;
    });
    const pending = client.check({ probs: 'while (true) {}' });
    await vi.advanceTimersByTimeAsync(1999);
    expect(workers[0].terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual({
      kind: 'timeout',
      id: 'probs',
      message:
        'stopped after 2 s: the code did not finish (an endless loop?). The checker was restarted; fix it and check again.',
    });
    expect(workers[0].terminated).toBe(true);
    const next = client.check({ probs: 'return dlogprobs.div(probs);' });
    await vi.advanceTimersByTimeAsync(0);
    expect((await next).kind).toBe('results');
    expect(workers).toHaveLength(2);
  });

  it('a worker that fails to load says so instead of hanging', async () => {
    const client = new CheckClient(() => {
      const worker = new FakeWorker();
      worker.send = () => {};
      queueMicrotask(() => worker.onerror?.({ message: 'load failed' } as ErrorEvent));
      return worker;
    });
    expect(await client.check({})).toEqual({
      kind: 'failed',
      message: 'the checker could not be loaded; reload the page',
    });
  });
});
