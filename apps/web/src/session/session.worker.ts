/// <reference lib="webworker" />
/**
 * The one training worker: a thin shell around `SessionHost` (which holds the logic and is
 * unit-tested without a Worker) with every registered trainer kind.
 */
import { SessionHost } from './host.js';
import { kinds } from './kinds.js';
import type { Command, SessionEvent } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const host = new SessionHost(
  (event: SessionEvent, transfer?: Transferable[]) =>
    scope.postMessage(event, { transfer: transfer ?? [] }),
  kinds,
);
scope.onmessage = (event: MessageEvent<Command>) => void host.handle(event.data);
