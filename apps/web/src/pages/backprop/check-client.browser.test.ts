import { afterEach, describe, expect, it } from 'vitest';
import { CheckClient, createCheckWorker } from './check-client.js';

/** The page's real worker in Chromium: the batch is built there and learner code runs there. */
describe('the backprop checker worker', () => {
  let client: CheckClient | null = null;
  afterEach(() => client?.stop());

  it('checks a box, stops an endless loop after 2 s and checks again in a new worker', async () => {
    const workers: Worker[] = [];
    client = new CheckClient(() => {
      workers.push(createCheckWorker());
      return workers.at(-1) as Worker;
    });
    const info = await client.info();
    expect(info.shapes.logits).toEqual([32, 28]);
    expect(info.itos).toHaveLength(28);
    expect(info.loss).toBeGreaterThan(3);

    const first = await client.check({ h: 'return dlogits.matmul(W2.T);' });
    expect(first.kind === 'results' && first.results.find((r) => r.id === 'h')?.mark).toBe('✓');

    const started = performance.now();
    const stuck = await client.check({ h: 'let i = 0;\nwhile (true) i++;' });
    const waited = performance.now() - started;
    expect(stuck).toMatchObject({ kind: 'timeout', id: 'h' });
    expect(waited).toBeGreaterThanOrEqual(1990);
    expect(waited).toBeLessThan(4000);

    const again = await client.check({ b2: 'return dlogits.sum(0);', W2: 'return h.T;' });
    expect(workers).toHaveLength(2);
    expect(again.kind).toBe('results');
    if (again.kind === 'results') {
      const marks = Object.fromEntries(again.results.map((r) => [r.id, r.mark]));
      expect(marks).toMatchObject({ b2: '✓', W2: '✗' });
    }
  }, 60_000);
});
