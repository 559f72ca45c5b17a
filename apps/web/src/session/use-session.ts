/**
 * A page's training session as a hook: the session of `key` from the module-level store (one
 * worker per page, created on first use), started with `kind` and `init()` unless it already
 * runs a trainer started with the same `identity` (the word list, say) — so a run survives the
 * learner visiting another page — and subscribed to `onEvent` (the log since the last `ready`
 * is replayed first). Unmounting only unsubscribes.
 */
import { useEffect, useRef } from 'preact/hooks';
import { type SessionClient, sessionFor } from './client.js';
import type { SessionEvent } from './protocol.js';

export function createSessionWorker(): Worker {
  return new Worker(new URL('./session.worker.ts', import.meta.url), { type: 'module' });
}

export interface UseSessionOptions {
  /** The store key: the page's id. */
  key: string;
  kind: string;
  init: () => unknown;
  /** A new trainer is started when any of these changes (compared with `===`). */
  identity: readonly unknown[];
  onEvent: (event: SessionEvent) => void;
  /** False: start nothing and listen to nothing (the page shows why, e.g. the data do not fit). */
  enabled?: boolean;
}

export function useSession(options: UseSessionOptions): SessionClient {
  const session = sessionFor(options.key, createSessionWorker);
  const handler = useRef(options.onEvent);
  handler.current = options.onEvent;
  const enabled = options.enabled ?? true;
  useEffect(() => {
    if (!enabled) {
      session.clear(); // a run on data the page no longer accepts is of no use
      return;
    }
    if (!session.startedWithSame(options.identity)) {
      session.start(options.kind, options.init(), options.identity);
    }
    return session.subscribe((event) => handler.current(event));
  }, [enabled, ...options.identity]);
  return session;
}
