import { getBackend, setBackend } from '@llm-playground/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BackendDeps,
  describeBackend,
  NOT_ISOLATED_NOTE,
  requestedBackend,
  setupBackend,
} from './backend.js';
import { SessionClient, type WorkerPort } from './client.js';
import type { Command, SessionEvent } from './protocol.js';

function fakeDeps(overrides: Partial<BackendDeps> = {}): BackendDeps & { started: number[] } {
  const started: number[] = [];
  return {
    started,
    setBackend: (name) => ({ name }),
    threads: {
      startWasmThreads: async (n) => {
        started.push(n);
        return n;
      },
      browserThreadsUnavailable: () => null,
    },
    isolated: true,
    cores: 2,
    ...overrides,
  };
}

describe('requestedBackend', () => {
  it('reads ?backend= before the hash, null when absent', () => {
    expect(requestedBackend('?backend=js')).toBe('js');
    expect(requestedBackend('?x=1&backend=wasm')).toBe('wasm');
    expect(requestedBackend('')).toBeNull();
    expect(requestedBackend('?backend=')).toBeNull();
  });
  it('rejects an unknown backend, naming the accepted ones', () => {
    expect(() => requestedBackend('?backend=webgpu')).toThrow(
      '?backend=webgpu is not a tensor backend: use ?backend=wasm (the default) or ?backend=js',
    );
  });
});

describe('setupBackend', () => {
  afterEach(() => {
    setBackend('js');
  });

  it('isolated, 2 cores: wasm on two threads, no notes', async () => {
    const deps = fakeDeps();
    const info = await setupBackend('wasm', deps);
    expect(info).toEqual({
      requested: 'wasm',
      backend: 'wasm',
      threads: 2,
      isolated: true,
      notes: [],
    });
    expect(deps.started).toEqual([2]);
    expect(describeBackend(info)).toBe('wasm · 2 threads');
  });

  it('not isolated: one thread, and says why', async () => {
    const deps = fakeDeps({ isolated: false });
    const info = await setupBackend('wasm', deps);
    expect(info.threads).toBe(1);
    expect(info.notes).toEqual([NOT_ISOLATED_NOTE]);
    expect(deps.started).toEqual([]);
    expect(describeBackend(info)).toBe(
      'wasm · 1 thread (served without cross-origin isolation: one thread)',
    );
  });

  it('no WebAssembly SIMD: js, with one notice, no threads', async () => {
    const deps = fakeDeps({ setBackend: () => ({ name: 'js' }) });
    const info = await setupBackend('wasm', deps);
    expect(info.backend).toBe('js');
    expect(info.threads).toBe(1);
    expect(info.notes).toEqual([
      'WebAssembly SIMD is unavailable in this browser: training runs on the js kernels',
    ]);
    expect(deps.started).toEqual([]);
  });

  it('one core, a tensor build without threads, threads that fail: one thread with the reason', async () => {
    expect((await setupBackend('wasm', fakeDeps({ cores: 1 }))).notes).toEqual([
      'one processor: one thread',
    ]);
    expect((await setupBackend('wasm', fakeDeps({ threads: null }))).notes).toEqual([
      'this build of the tensor library has no wasm threads: one thread',
    ]);
    const failing = fakeDeps({
      threads: {
        startWasmThreads: () => Promise.reject(new Error('no Worker')),
      },
    });
    const info = await setupBackend('wasm', failing);
    expect(info.threads).toBe(1);
    expect(info.notes).toEqual(['wasm threads failed to start (no Worker): one thread']);
    const refused = fakeDeps({
      threads: { startWasmThreads: async () => 2, browserThreadsUnavailable: () => 'no Worker' },
    });
    expect((await setupBackend('wasm', refused)).notes).toEqual(['one thread: no Worker']);
  });

  it('js requested: js kernels, no threads', async () => {
    const deps = fakeDeps();
    const info = await setupBackend('js', deps);
    expect(info).toMatchObject({ requested: 'js', backend: 'js', threads: 1 });
    expect(deps.started).toEqual([]);
  });

  it('with the tensor package in Node: really switches to wasm (SIMD is there), one thread (not isolated)', async () => {
    const info = await setupBackend('wasm');
    expect(getBackend().name).toBe('wasm');
    expect(info).toMatchObject({ backend: 'wasm', threads: 1, isolated: false });
    expect(info.notes).toEqual([NOT_ISOLATED_NOTE]);
    await setupBackend('js');
    expect(getBackend().name).toBe('js');
  });
});

describe('SessionClient and the backend', () => {
  function fakePort() {
    const sent: Command[] = [];
    const port: WorkerPort = {
      postMessage: (command) => sent.push(command),
      onmessage: null,
      onerror: null,
      terminate: () => undefined,
    };
    const emit = (event: SessionEvent) =>
      port.onmessage?.({ data: event } as MessageEvent<SessionEvent>);
    return { port, sent, emit };
  }

  it('sends a requested backend first; sends nothing when none is requested', () => {
    const a = fakePort();
    new SessionClient(() => a.port, { backend: 'js' });
    expect(a.sent).toEqual([{ type: 'backend', name: 'js' }]);
    const b = fakePort();
    new SessionClient(() => b.port, { backend: null });
    expect(b.sent).toEqual([]);
  });

  it('keeps the worker’s backend info in a signal and replays it to subscribers', () => {
    const fake = fakePort();
    const client = new SessionClient(() => fake.port, { backend: null });
    expect(client.backendInfo.value).toBeNull();
    const info = {
      requested: 'wasm',
      backend: 'wasm',
      threads: 1,
      isolated: false,
      notes: [NOT_ISOLATED_NOTE],
    } as const;
    fake.emit({ type: 'backend', info: { ...info, notes: [...info.notes] } });
    expect(client.backendInfo.value).toEqual(info);
    const seen: SessionEvent[] = [];
    client.subscribe((event) => seen.push(event));
    expect(seen).toEqual([{ type: 'backend', info }]);
  });
});
