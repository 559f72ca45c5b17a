import { describe, expect, it } from 'vitest';
import {
  disposeSession,
  SessionClient,
  sessionFor,
  sessionKeys,
  type WorkerPort,
} from './client.js';
import type { Command, ProgressEvent, SessionEvent } from './protocol.js';

/** A fake worker: records commands; `emit` plays the worker's side. */
function fakePort() {
  const sent: Command[] = [];
  let terminated = false;
  const port: WorkerPort = {
    postMessage: (command) => sent.push(command),
    onmessage: null,
    onerror: null,
    terminate: () => {
      terminated = true;
    },
  };
  const emit = (event: SessionEvent) =>
    port.onmessage?.({ data: event } as MessageEvent<SessionEvent>);
  return { port, sent, emit, terminated: () => terminated };
}

const progress = (run: number, firstStep: number, losses: number[], extra = {}): ProgressEvent => ({
  type: 'progress',
  run,
  status: 'running',
  step: firstStep + losses.length,
  slice: {
    firstStep,
    series: { loss: Float32Array.from(losses) },
    events: losses.map((_, i) => firstStep + i),
  },
  stop: null,
  stats: { stepsPerSecond: 1, runningSeconds: 1 },
  extra,
  snapshot: extra && 'snap' in extra ? { step: firstStep, value: extra.snap } : undefined,
});

describe('SessionClient', () => {
  it('replays ready and one merged progress to a page that subscribes later', () => {
    const fake = fakePort();
    const client = new SessionClient(() => fake.port);
    client.start('quadratic', { w0: 0 }, ['words']);
    expect(fake.sent).toEqual([{ type: 'start', kind: 'quadratic', init: { w0: 0 } }]);
    fake.emit({ type: 'ready', run: 1, kind: 'quadratic', info: 'info' });
    fake.emit(progress(1, 0, [5, 4], { snap: 'a' }));
    fake.emit(progress(1, 2, [3]));
    fake.emit(progress(1, 3, [2, 1], { snap: 'b' }));
    fake.emit(progress(1, 5, []));
    const seen: SessionEvent[] = [];
    const unsubscribe = client.subscribe((event) => seen.push(event));
    expect(seen.map((e) => e.type)).toEqual(['ready', 'progress']);
    const merged = seen[1] as ProgressEvent;
    expect(merged.slice.firstStep).toBe(0);
    expect([...merged.slice.series.loss]).toEqual([5, 4, 3, 2, 1]);
    expect(merged.slice.events).toEqual([0, 1, 2, 3, 4]);
    expect(merged.step).toBe(5);
    expect(merged.snapshot?.value).toBe('b');
    // New events go straight through; after unsubscribing nothing does.
    fake.emit(progress(1, 5, [0.5]));
    expect(seen).toHaveLength(3);
    unsubscribe();
    fake.emit(progress(1, 6, [0.25]));
    expect(seen).toHaveLength(3);
    expect([...(client.latest?.slice.series.loss ?? [])]).toEqual([5, 4, 3, 2, 1, 0.5, 0.25]);
  });

  it("a new ready clears the log; a stale run's progress is dropped", () => {
    const fake = fakePort();
    const client = new SessionClient(() => fake.port);
    fake.emit({ type: 'ready', run: 1, kind: 'k', info: null });
    fake.emit(progress(1, 0, [1, 2]));
    fake.emit({ type: 'ready', run: 2, kind: 'k', info: null });
    fake.emit(progress(1, 2, [3]));
    fake.emit(progress(2, 0, [9]));
    const seen: SessionEvent[] = [];
    client.subscribe((event) => seen.push(event));
    expect(seen.map((e) => e.type)).toEqual(['ready', 'progress']);
    expect([...(seen[1] as ProgressEvent).slice.series.loss]).toEqual([9]);
  });

  it('calls get ids; the latest result of each name and the last error are replayed', () => {
    const fake = fakePort();
    const client = new SessionClient(() => fake.port);
    expect(client.call('sample', { count: 3 })).toBe(1);
    expect(client.call('sample', { count: 4 })).toBe(2);
    expect(fake.sent.at(-1)).toEqual({ type: 'call', id: 2, name: 'sample', args: { count: 4 } });
    fake.emit({ type: 'result', run: 1, id: 1, name: 'sample', value: 'old' });
    fake.emit({ type: 'result', run: 1, id: 2, name: 'sample', value: 'new' });
    fake.emit({ type: 'error', message: 'boom' });
    const seen: SessionEvent[] = [];
    client.subscribe((event) => seen.push(event));
    expect(seen).toEqual([
      { type: 'result', run: 1, id: 2, name: 'sample', value: 'new' },
      { type: 'error', message: 'boom' },
    ]);
  });

  it('clear drops the trainer and its log; the next start starts afresh', () => {
    const fake = fakePort();
    const client = new SessionClient(() => fake.port);
    client.start('k', {}, ['words']);
    fake.emit({ type: 'ready', run: 1, kind: 'k', info: null });
    client.clear();
    expect(fake.sent.at(-1)).toEqual({ type: 'dispose' });
    expect(client.startedWithSame(['words'])).toBe(false);
    const seen: SessionEvent[] = [];
    client.subscribe((event) => seen.push(event));
    expect(seen).toEqual([]);
    client.clear(); // nothing started: nothing sent
    expect(fake.sent.filter((c) => c.type === 'dispose')).toHaveLength(1);
  });

  it('startedWithSame compares identities one by one', () => {
    const fake = fakePort();
    const client = new SessionClient(() => fake.port);
    const words = ['emma'];
    expect(client.startedWithSame([words])).toBe(false);
    client.start('k', {}, [words]);
    expect(client.startedWithSame([words])).toBe(true);
    expect(client.startedWithSame([['emma']])).toBe(false);
  });
});

describe('the session store', () => {
  it('keeps one session per key until disposed', () => {
    const a = fakePort();
    const first = sessionFor('test-page', () => a.port);
    const second = sessionFor('test-page', () => fakePort().port);
    expect(second).toBe(first);
    expect(sessionKeys()).toContain('test-page');
    disposeSession('test-page');
    expect(a.sent.at(-1)).toEqual({ type: 'dispose' });
    expect(a.terminated()).toBe(true);
    expect(sessionKeys()).not.toContain('test-page');
  });
});
