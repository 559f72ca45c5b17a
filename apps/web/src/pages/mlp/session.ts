/**
 * The training worker's logic without the Worker: it owns an `MlpTrainer`, answers the page's
 * messages and, while running, trains in time slices of about 33 ms, posting one progress
 * message per slice (so at most ~30 a second) and the embedding at most 4 times a second.
 * Between slices it yields to the event loop (through a MessageChannel, which unlike
 * `setTimeout(0)` is not clamped to 4 ms), so Pause and Step are handled promptly.
 *
 * The speed test runs this same class in Node with the same messages, to compare steps/s.
 */
import type { PageMessage, WorkerMessage } from './protocol.js';
import { MlpTrainer, type Slice } from './trainer.js';

export type Post = (message: WorkerMessage, transfer?: Transferable[]) => void;

export interface SessionOptions {
  /** Runs `fn` soon, after pending messages (default: a MessageChannel round trip). */
  defer?: (fn: () => void) => void;
  now?: () => number;
  /** Training time per slice, ms (default 33: ≤ 30 progress messages a second). */
  sliceMs?: number;
  /** Minimum time between embedding updates, ms (default 250). */
  embeddingMs?: number;
}

/** A deferral through a MessageChannel: a macrotask without setTimeout's clamping. */
export function messageChannelDefer(): (fn: () => void) => void {
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

export class MlpSession {
  trainer: MlpTrainer | null = null;
  private readonly defer: (fn: () => void) => void;
  private readonly now: () => number;
  private readonly sliceMs: number;
  private readonly embeddingMs: number;
  private scheduled = false;
  private lastEmbedding = Number.NEGATIVE_INFINITY;
  private runningMs = 0;
  private runStartedAt = 0;
  private stepsWhileRunning = 0;

  constructor(
    private readonly post: Post,
    options: SessionOptions = {},
  ) {
    this.defer = options.defer ?? messageChannelDefer();
    this.now = options.now ?? (() => performance.now());
    this.sliceMs = options.sliceMs ?? 33;
    this.embeddingMs = options.embeddingMs ?? 250;
  }

  handle(message: PageMessage): void {
    try {
      this.dispatch(message);
    } catch (error) {
      this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private dispatch(message: PageMessage): void {
    if (message.type === 'init') {
      this.stopClock();
      this.trainer = new MlpTrainer(message.words, message.config);
      this.ready();
      return;
    }
    const trainer = this.trainer;
    if (!trainer) throw new Error(`the worker got '${message.type}' before 'init'`);
    switch (message.type) {
      case 'configure': {
        const wasRunning = trainer.status === 'running';
        if (wasRunning) this.stopClock();
        if (trainer.configure(message.config)) {
          this.ready();
        } else {
          if (wasRunning && trainer.status === 'paused') trainer.play();
          if (trainer.status === 'running') this.startClock();
          this.postSlice({ firstStep: trainer.step, losses: new Float32Array(0), evaluations: [] });
        }
        break;
      }
      case 'play':
        if (trainer.status !== 'running' && trainer.play()) {
          this.startClock();
          this.schedule();
        }
        this.postSlice({ firstStep: trainer.step, losses: new Float32Array(0), evaluations: [] });
        break;
      case 'pause':
        if (trainer.status === 'running') this.stopClock();
        trainer.pause();
        this.postSlice({ firstStep: trainer.step, losses: new Float32Array(0), evaluations: [] });
        break;
      case 'step': {
        if (trainer.status === 'running') {
          this.stopClock();
          trainer.pause();
        }
        const slice = trainer.advance(message.count);
        this.postSlice(slice);
        this.postEmbedding();
        break;
      }
      case 'reset':
        this.stopClock();
        trainer.reset();
        this.ready();
        break;
      case 'lr-finder': {
        const started = this.now();
        const { lrs, losses, suggestion } = trainer.findLearningRate(message.steps);
        const seconds = (this.now() - started) / 1000;
        this.post({ type: 'lr-finder', lrs, losses, suggestion, seconds }, [
          lrs.buffer,
          losses.buffer,
        ]);
        break;
      }
      case 'sample':
        this.post({
          type: 'samples',
          step: trainer.step,
          samples: trainer.sample({
            count: message.count,
            temperature: message.temperature,
            seed: message.seed,
          }),
        });
        break;
    }
  }

  private ready(): void {
    const trainer = this.trainer as MlpTrainer;
    this.runningMs = 0;
    this.stepsWhileRunning = 0;
    this.post({ type: 'ready', info: trainer.info, config: trainer.config });
    this.postSlice({ firstStep: 0, losses: new Float32Array(0), evaluations: [] });
    this.postEmbedding();
  }

  private startClock(): void {
    this.runStartedAt = this.now();
  }

  private stopClock(): void {
    if (this.trainer?.status === 'running') this.runningMs += this.now() - this.runStartedAt;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => {
      this.scheduled = false;
      this.runSlice();
    });
  }

  private runSlice(): void {
    const trainer = this.trainer;
    if (trainer?.status !== 'running') return;
    const slice = trainer.advance(Number.POSITIVE_INFINITY, this.now() + this.sliceMs, this.now);
    this.stepsWhileRunning += slice.losses.length;
    if (trainer.status !== 'running') {
      this.runningMs += this.now() - this.runStartedAt;
    }
    this.postSlice(slice);
    if (trainer.status !== 'running' || this.now() - this.lastEmbedding >= this.embeddingMs) {
      this.postEmbedding();
    }
    if (trainer.status === 'running') this.schedule();
  }

  /** Wall-clock steps per second while running (0 before any running time). */
  stepsPerSecond(): number {
    const ms = this.runningMilliseconds();
    return ms > 0 ? (this.stepsWhileRunning * 1000) / ms : 0;
  }

  private runningMilliseconds(): number {
    const live = this.trainer?.status === 'running' ? this.now() - this.runStartedAt : 0;
    return this.runningMs + live;
  }

  private postSlice(slice: Slice): void {
    const trainer = this.trainer as MlpTrainer;
    const losses = slice.losses.slice(); // a compact copy whose buffer can be transferred
    this.post(
      {
        type: 'progress',
        status: trainer.status,
        step: trainer.step,
        steps: trainer.config.steps,
        lr: trainer.currentLr(),
        firstStep: slice.firstStep,
        losses,
        evaluations: slice.evaluations,
        stepsPerSecond: this.stepsPerSecond(),
        runningSeconds: this.runningMilliseconds() / 1000,
        divergence: slice.divergence ?? trainer.divergence ?? undefined,
      },
      [losses.buffer],
    );
  }

  private postEmbedding(): void {
    const trainer = this.trainer as MlpTrainer;
    this.lastEmbedding = this.now();
    const { x, y } = trainer.embedding();
    this.post({ type: 'embedding', step: trainer.step, x, y }, [x.buffer, y.buffer]);
  }
}
