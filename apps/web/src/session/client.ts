/**
 * The page side of a training session, framework-free: it owns the worker, sends commands, and
 * keeps a compact log of what the worker said since the last `ready` (the `ready` itself, every
 * progress merged into one, the latest result of each call, the last error). A page that
 * subscribes — for the first time, or again after the learner visited another page while the
 * run went on — first gets that log replayed, so it rebuilds its charts and history from it,
 * then every new event.
 *
 * Sessions live in a module-level store keyed by page (`sessionFor`), not in a component: leaving
 * a page only unsubscribes; the run keeps going in its worker.
 */

import type { BackendName } from '@llm-playground/tensor';
import { type Signal, signal } from '@preact/signals';
import { type BackendInfo, requestedBackend } from './backend-info.js';
import { type Command, mergeSlices, type ProgressEvent, type SessionEvent } from './protocol.js';

/** What the client needs of a Worker (a Worker, or a fake in tests). */
export interface WorkerPort {
  postMessage(message: Command): void;
  onmessage: ((event: MessageEvent<SessionEvent>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export type Listener = (event: SessionEvent) => void;

export class SessionClient {
  /** Whatever the page started the current trainer with (to tell whether a restart is needed). */
  startedWith: readonly unknown[] | null = null;
  private ready: Extract<SessionEvent, { type: 'ready' }> | null = null;
  private progress: ProgressEvent | null = null;
  private results = new Map<string, Extract<SessionEvent, { type: 'result' }>>();
  private error: Extract<SessionEvent, { type: 'error' }> | null = null;
  private readonly listeners = new Set<Listener>();
  private nextCallId = 1;
  private port: WorkerPort | null;
  /**
   * What the worker trains with — the backend (`wasm`/`js`), its threads and why it runs with
   * less than it could (`describeBackend` makes one line of it) — or null until the worker said.
   * Pages should show it near their speed figure.
   */
  readonly backendInfo: Signal<BackendInfo | null> = signal(null);

  /**
   * @param options.backend the tensor backend the worker trains with; by default the page
   *   address's `?backend=js|wasm` (before the `#`), else the worker's default, `'wasm'`.
   */
  constructor(createPort: () => WorkerPort, options: { backend?: BackendName | null } = {}) {
    const port = createPort();
    this.port = port;
    port.onmessage = (event) => this.receive(event.data);
    port.onerror = (event) =>
      this.receive({ type: 'error', message: `The training worker failed: ${event.message}` });
    let backend = options.backend;
    if (backend === undefined) {
      try {
        backend = requestedBackend(globalThis.location?.search ?? '');
      } catch (error) {
        backend = null;
        console.warn(error instanceof Error ? error.message : String(error));
      }
    }
    if (backend) this.send({ type: 'backend', name: backend });
  }

  /** Starts a trainer of `kind` (replacing any current one); `identity` is kept in `startedWith`. */
  start(kind: string, init: unknown, identity: readonly unknown[] = []): void {
    this.startedWith = identity;
    this.ready = null;
    this.progress = null;
    this.results.clear();
    this.error = null;
    this.send({ type: 'start', kind, init });
  }

  /** Whether the current trainer was started with these values (compared one by one with `===`). */
  startedWithSame(identity: readonly unknown[]): boolean {
    const started = this.startedWith;
    return (
      started !== null &&
      started.length === identity.length &&
      started.every((value, i) => value === identity[i])
    );
  }

  /** Drops the current trainer (the worker stays, idle, for the next `start`). */
  clear(): void {
    if (this.startedWith === null) return;
    this.startedWith = null;
    this.ready = null;
    this.progress = null;
    this.results.clear();
    this.error = null;
    this.send({ type: 'dispose' });
  }

  send(command: Command): void {
    this.port?.postMessage(command);
  }

  /** Sends a kind-specific request; its `result` event carries the same `name` and this id. */
  call(name: string, args: unknown): number {
    const id = this.nextCallId++;
    this.send({ type: 'call', id, name, args });
    return id;
  }

  /** Replays the log to `listener`, then forwards every new event; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    if (this.ready) listener(this.ready);
    if (this.progress) listener(this.progress);
    for (const result of this.results.values()) listener(result);
    if (this.error) listener(this.error);
    const backend = this.backendInfo.value;
    if (backend) listener({ type: 'backend', info: backend });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The latest progress (merged since the last `ready`), or null. */
  get latest(): ProgressEvent | null {
    return this.progress;
  }

  /** Whether any page listens now. */
  get subscribed(): boolean {
    return this.listeners.size > 0;
  }

  /** Ends the worker. */
  dispose(): void {
    this.send({ type: 'dispose' });
    this.port?.terminate();
    this.port = null;
    this.listeners.clear();
  }

  private receive(event: SessionEvent): void {
    switch (event.type) {
      case 'backend':
        this.backendInfo.value = event.info;
        break;
      case 'ready':
        this.ready = event;
        this.progress = null;
        this.results.clear();
        this.error = null;
        break;
      case 'progress':
        if (this.ready && event.run !== this.ready.run) return; // a stale run's last words
        this.progress = this.progress ? mergeProgress(this.progress, event) : event;
        break;
      case 'result':
        this.results.set(event.name, event);
        break;
      case 'error':
        this.error = event;
        break;
    }
    for (const listener of this.listeners) listener(event);
  }
}

/**
 * Two progress events of one run as one: the later status, step, stop, stats and extra; the
 * slices joined; the later snapshot (or the earlier when the later has none).
 */
export function mergeProgress(a: ProgressEvent, b: ProgressEvent): ProgressEvent {
  if (a.run !== b.run) return b;
  return {
    ...b,
    slice: mergeSlices(a.slice, b.slice),
    snapshot: b.snapshot ?? a.snapshot,
  };
}

// ---- the store: one session per page, outliving the page's component ----

const sessions = new Map<string, SessionClient>();

/** The session of `key` (a page id), created with `createPort` (and `options`) the first time. */
export function sessionFor(
  key: string,
  createPort: () => WorkerPort,
  options: { backend?: BackendName | null } = {},
): SessionClient {
  let session = sessions.get(key);
  if (!session) {
    session = new SessionClient(createPort, options);
    sessions.set(key, session);
  }
  return session;
}

/** Ends the session of `key`, if any. */
export function disposeSession(key: string): void {
  sessions.get(key)?.dispose();
  sessions.delete(key);
}

/** The keys of the sessions alive now. */
export function sessionKeys(): string[] {
  return [...sessions.keys()];
}
