/// <reference lib="webworker" />
/**
 * The MLP page's training worker: a thin shell around `MlpSession` (which holds the logic and is
 * unit-tested without a Worker).
 */
import type { PageMessage, WorkerMessage } from './protocol.js';
import { MlpSession } from './session.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = new MlpSession((message: WorkerMessage, transfer?: Transferable[]) =>
  scope.postMessage(message, { transfer: transfer ?? [] }),
);
scope.onmessage = (event: MessageEvent<PageMessage>) => session.handle(event.data);
