/// <reference lib="webworker" />
/**
 * The one training worker: a thin shell around `SessionHost` (which holds the logic and is
 * unit-tested without a Worker) with every registered trainer kind. Before its first command it
 * sets the tensor backend up (`backend.ts`: wasm by default, or what a `backend` command asks
 * for; wasm threads when cross-origin isolated) and posts what it got as a `backend` event.
 */
import type { BackendName } from '@llm-playground/tensor';
import { describeBackend, setupBackend } from './backend.js';
import { SessionHost } from './host.js';
import { kinds } from './kinds.js';
import type { Command, SessionEvent } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: SessionEvent, transfer?: Transferable[]) =>
  scope.postMessage(event, { transfer: transfer ?? [] });
const host = new SessionHost(post, kinds);

/** Commands wait for the backend: a `backend` command chains a new setup, in order. */
let setup: Promise<void> | null = null;
function configure(name: BackendName): Promise<void> {
  const previous = setup ?? Promise.resolve();
  return previous.then(async () => {
    try {
      const info = await setupBackend(name);
      console.info(`llm-playground training worker: ${describeBackend(info)}`);
      post({ type: 'backend', info });
    } catch (error) {
      post({ type: 'error', message: `Setting up the ${name} backend failed: ${String(error)}` });
    }
  });
}

scope.onmessage = (event: MessageEvent<Command>) => {
  const command = event.data;
  if (command.type === 'backend') {
    setup = configure(command.name);
    return;
  }
  setup ??= configure('wasm');
  void setup.then(() => host.handle(command));
};
