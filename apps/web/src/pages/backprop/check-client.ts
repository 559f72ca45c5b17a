/**
 * The main thread's side of the backprop checker: one worker (`check.worker.ts`) that builds the
 * fixed batch once and runs the learner's boxes on request. A check that does not answer within
 * `timeoutMs` (2 s) — an endless loop in a box — terminates the worker and says which box was
 * running; the next check starts a fresh worker. The page never runs learner code itself.
 */
import type { BoxResult } from './evaluator.js';

/** What the worker says once its batch is built. */
export interface BatchInfo {
  loss: number;
  itos: string[];
  /** The shape of every forward tensor and parameter, by name. */
  shapes: Record<string, number[]>;
}

/** A gradient's values for a picture (row-major). */
export interface Matrix {
  rows: number;
  cols: number;
  values: Float32Array;
}

/** Worker → page. */
export type CheckerMessage =
  | { type: 'ready'; info: BatchInfo }
  | { type: 'running'; id: string }
  | { type: 'results'; results: BoxResult[]; dlogits: Matrix | null }
  | { type: 'failed'; message: string };

export type CheckOutcome =
  | { kind: 'results'; results: BoxResult[]; dlogits: Matrix | null }
  | { kind: 'timeout'; id: string | null; message: string }
  | { kind: 'failed'; message: string };

/** The part of `Worker` used here (a fake in tests). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/** The page's checker worker (a module worker, its own chunk). */
export function createCheckWorker(): Worker {
  return new Worker(new URL('./check.worker.ts', import.meta.url), { type: 'module' });
}

/** Building the batch (module load included) may take a while on a busy machine. */
const START_TIMEOUT_MS = 60_000;

export class CheckClient {
  private worker: WorkerLike | null = null;
  private started: Promise<BatchInfo> | null = null;
  private busy = false;

  constructor(
    private readonly makeWorker: () => WorkerLike,
    readonly timeoutMs = 2000,
  ) {}

  /** Starts the worker if needed; resolves with the batch's facts, rejects with a message. */
  info(): Promise<BatchInfo> {
    if (this.started) return this.started;
    const worker = this.makeWorker();
    this.worker = worker;
    this.started = new Promise<BatchInfo>((resolve, reject) => {
      const fail = (message: string) => {
        this.stop();
        reject(new Error(message));
      };
      const timer = setTimeout(() => fail('the checker did not start in time'), START_TIMEOUT_MS);
      worker.onerror = () => {
        clearTimeout(timer);
        fail('the checker could not be loaded; reload the page');
      };
      worker.onmessage = (event) => {
        const message = event.data as CheckerMessage;
        clearTimeout(timer);
        if (message.type === 'ready') resolve(message.info);
        else if (message.type === 'failed') fail(message.message);
      };
    });
    return this.started;
  }

  /** Runs the boxes (`sources` by line id) in the worker. */
  async check(sources: Readonly<Record<string, string>>): Promise<CheckOutcome> {
    if (this.busy) return { kind: 'failed', message: 'a check is already running' };
    this.busy = true;
    try {
      await this.info();
      return await this.run(sources);
    } catch (error) {
      return { kind: 'failed', message: (error as Error).message };
    } finally {
      this.busy = false;
    }
  }

  private run(sources: Readonly<Record<string, string>>): Promise<CheckOutcome> {
    const worker = this.worker as WorkerLike;
    return new Promise((resolve) => {
      let running: string | null = null;
      const timer = setTimeout(() => {
        this.stop();
        const seconds = this.timeoutMs / 1000;
        resolve({
          kind: 'timeout',
          id: running,
          message: `stopped after ${seconds} s: the code did not finish (an endless loop?). The checker was restarted; fix it and check again.`,
        });
      }, this.timeoutMs);
      worker.onmessage = (event) => {
        const message = event.data as CheckerMessage;
        if (message.type === 'running') running = message.id;
        else if (message.type === 'results' || message.type === 'failed') {
          clearTimeout(timer);
          resolve(
            message.type === 'results'
              ? { kind: 'results', results: message.results, dlogits: message.dlogits }
              : { kind: 'failed', message: message.message },
          );
        }
      };
      worker.onerror = () => {
        clearTimeout(timer);
        this.stop();
        resolve({ kind: 'failed', message: 'the checker stopped with an error; check again' });
      };
      worker.postMessage({ type: 'check', sources });
    });
  }

  /** Terminates the worker; the next call starts a new one. */
  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.started = null;
  }
}
