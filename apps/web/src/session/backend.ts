/**
 * Which tensor kernels the session worker trains with, and why: the wasm backend (WebAssembly
 * SIMD) by default, the js kernels on request (`?backend=js` in the page's address, before the
 * `#`) or where WebAssembly SIMD is missing, and two wasm threads for large matmuls when the page
 * is cross-origin isolated (the `pnpm web` server sends COOP/COEP; a plain static host does not,
 * and then the worker runs on one thread). The worker posts the outcome as a `backend` event; the
 * page reads it from `SessionClient.backendInfo`.
 */
import type { BackendName } from '@llm-playground/tensor';
import * as tensor from '@llm-playground/tensor';
import { type BackendInfo, MAX_THREADS, NOT_ISOLATED_NOTE } from './backend-info.js';

export {
  type BackendInfo,
  describeBackend,
  MAX_THREADS,
  NOT_ISOLATED_NOTE,
  requestedBackend,
} from './backend-info.js';

/** The wasm threads API of `@llm-playground/tensor`, where the package exports it. */
interface ThreadsApi {
  startWasmThreads(threads: number, options?: { minMacs?: number }): Promise<number>;
  browserThreadsUnavailable?(): string | null;
}

/** What `setupBackend` needs (the tensor package's functions; replaced in tests). */
export interface BackendDeps {
  setBackend(name: BackendName): { name: string };
  threads: ThreadsApi | null;
  /** `globalThis.crossOriginIsolated` (undefined outside browsers). */
  isolated: boolean;
  /** Logical processors (`navigator.hardwareConcurrency`). */
  cores: number;
}

function tensorThreadsApi(): ThreadsApi | null {
  // NOTE: read through the namespace so the app builds against a tensor package that does not
  // export the threads API yet; the worker then runs on one thread and says so.
  const api = tensor as unknown as Partial<ThreadsApi>;
  return typeof api.startWasmThreads === 'function' ? (api as ThreadsApi) : null;
}

/** The tensor package's functions and this runtime's isolation and core count. */
export function defaultBackendDeps(): BackendDeps {
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
  };
  return {
    setBackend: tensor.setBackend,
    threads: tensorThreadsApi(),
    isolated: g.crossOriginIsolated === true,
    cores: g.navigator?.hardwareConcurrency ?? 1,
  };
}

/**
 * Sets the session worker's tensor backend up: `setBackend(requested)`, then, on wasm in a
 * cross-origin-isolated worker, up to `MAX_THREADS` threads for large matmuls. Never throws for
 * a runtime that cannot: the notes say what it fell back to and why.
 */
export async function setupBackend(
  requested: BackendName,
  deps: BackendDeps = defaultBackendDeps(),
): Promise<BackendInfo> {
  const notes: string[] = [];
  const backend = deps.setBackend(requested).name as BackendName;
  if (requested === 'js') notes.push('js backend requested (?backend=js): wasm kernels off');
  else if (backend !== 'wasm') {
    notes.push('WebAssembly SIMD is unavailable in this browser: training runs on the js kernels');
  }
  let threads = 1;
  if (backend === 'wasm') {
    const wanted = Math.min(MAX_THREADS, Math.max(1, deps.cores));
    if (!deps.isolated) notes.push(NOT_ISOLATED_NOTE);
    else if (!deps.threads) {
      notes.push('this build of the tensor library has no wasm threads: one thread');
    } else if (wanted < 2) notes.push('one processor: one thread');
    else {
      const reason = deps.threads.browserThreadsUnavailable?.() ?? null;
      if (reason) notes.push(`one thread: ${reason}`);
      else {
        try {
          threads = await deps.threads.startWasmThreads(wanted);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          notes.push(`wasm threads failed to start (${message}): one thread`);
        }
      }
    }
  }
  return { requested, backend, threads, isolated: deps.isolated, notes };
}
