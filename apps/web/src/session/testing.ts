/**
 * Drives a `SessionHost` with a real trainer kind in Node (tests and the speed benchmark): the
 * slices are deferred through `setImmediate`, the events are structured-cloned with their
 * transfer lists as `postMessage` would, and `until` waits for a condition on them.
 */
import { expect } from 'vitest';
import { type KindRegistry, SessionHost } from './host.js';
import type { ProgressEvent, SessionEvent } from './protocol.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export function openHost(kinds: KindRegistry, options: { sliceMs?: number } = {}) {
  const events: SessionEvent[] = [];
  const host = new SessionHost(
    (event, transfer) => events.push(structuredClone(event, { transfer: transfer ?? [] })),
    kinds,
    { defer: (fn) => setImmediate(fn), sliceMs: options.sliceMs ?? 5 },
  );
  const progress = () => events.filter((e): e is ProgressEvent => e.type === 'progress');
  const last = () => progress().at(-1) as ProgressEvent;
  const until = async (predicate: () => boolean, rounds = 100_000) => {
    for (let i = 0; i < rounds && !predicate(); i++) await tick();
    expect(predicate()).toBe(true);
  };
  /** Lets pending throttled posts go out. */
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 60));
  return { host, events, progress, last, until, settle };
}
