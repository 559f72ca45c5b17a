/**
 * The worker side of a training session, without the Worker (unit-tested in Node): it owns one
 * trainer at a time, answers the page's `Command`s, and while running trains in slices of about
 * `sliceMs` (33 ms), yielding to the event loop between slices (a MessageChannel round trip,
 * which unlike `setTimeout(0)` is not clamped to 4 ms) so that pause and step are handled
 * promptly. The steps run accumulate and go out through a `Throttle`: at most one progress
 * message per 33 ms, the snapshot at most every `snapshotMs` (and whenever the run stops, is
 * paused or stepped), its typed arrays transferred.
 *
 * Optional pacing (`pace`) runs at most N steps a second, for pages that want to watch slowly.
 */
import {
  type Command,
  emptySlice,
  mergeSlices,
  type RunStatus,
  type SessionEvent,
  type SessionTrainer,
  type Slice,
  sliceBuffers,
  sliceLength,
  type TrainerKind,
} from './protocol.js';
import { type Clock, realClock, Throttle } from './throttle.js';

export type Post = (event: SessionEvent, transfer?: Transferable[]) => void;

/** Kind name → the kind (or a promise of it: kinds load lazily, each in its own chunk). */
export type KindRegistry = Record<string, () => TrainerKind<never> | Promise<TrainerKind<never>>>;

export interface HostOptions {
  clock?: Clock;
  /** Runs `fn` soon, after pending messages (default: a MessageChannel round trip). */
  defer?: (fn: () => void) => void;
  /** Training time per slice, ms (default 33). */
  sliceMs?: number;
  /** Minimum ms between posts (default 1000/30: ≤ 30 a second). */
  postMs?: number;
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

export class SessionHost {
  private trainer: SessionTrainer | null = null;
  private kind: TrainerKind<never> | null = null;
  private kindName = '';
  private run = 0;
  private running = false;
  private pending: Slice = emptySlice(0);
  private snapshotDue = true;
  private lastSnapshot = Number.NEGATIVE_INFINITY;
  private scheduled = false;
  private paceTimer: unknown = null;
  private stepsPerSecondLimit: number | null = null;
  private paceStart = 0;
  private pacedSteps = 0;
  private runningMs = 0;
  private runStartedAt = 0;
  private stepsWhileRunning = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly clock: Clock;
  private readonly defer: (fn: () => void) => void;
  private readonly sliceMs: number;
  private readonly throttle: Throttle;

  constructor(
    private readonly post: Post,
    private readonly kinds: KindRegistry,
    options: HostOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.defer = options.defer ?? messageChannelDefer();
    this.sliceMs = options.sliceMs ?? 33;
    this.throttle = new Throttle(() => this.flush(), options.postMs ?? 1000 / 30, this.clock);
  }

  /** Handles one command (in order: a `start` that loads its kind delays the ones after it). */
  handle(command: Command): Promise<void> {
    this.queue = this.queue.then(() => this.dispatch(command)).catch((error) => this.fail(error));
    return this.queue;
  }

  /** The run's status now. */
  get status(): RunStatus {
    if (!this.trainer) return 'idle';
    if (this.trainer.stop) return this.trainer.stop.reason;
    return this.running ? 'running' : 'paused';
  }

  private async dispatch(command: Command): Promise<void> {
    if (command.type === 'start') {
      const load = this.kinds[command.kind];
      if (!load) {
        throw new RangeError(
          `Unknown trainer kind '${command.kind}': expected one of ${Object.keys(this.kinds).join(', ')}`,
        );
      }
      this.halt();
      this.trainer = null;
      const kind = await load();
      this.kind = kind;
      this.kindName = command.kind;
      this.trainer = kind.create(command.init as never);
      this.ready();
      return;
    }
    if (command.type === 'backend') return; // the worker shell sets the backend up (backend.ts)
    if (command.type === 'dispose') {
      this.halt();
      this.trainer = null;
      return;
    }
    if (command.type === 'pace') {
      this.stepsPerSecondLimit = command.stepsPerSecond;
      this.startPacing();
      return;
    }
    const trainer = this.trainer;
    if (!trainer) throw new Error(`The training worker got '${command.type}' before 'start'`);
    switch (command.type) {
      case 'resume':
        if (!this.running && !trainer.stop) {
          this.running = true;
          this.runStartedAt = this.clock.now();
          this.startPacing();
          this.schedule();
        }
        this.report(true);
        break;
      case 'pause':
        this.halt();
        this.report(true);
        break;
      case 'step': {
        this.halt();
        const slice = trainer.runSlice({
          maxSteps: Math.max(1, Math.floor(command.count)),
          maxMillis: Number.POSITIVE_INFINITY,
        });
        this.add(slice);
        this.report(true);
        break;
      }
      case 'reset':
        this.halt();
        trainer.reset();
        this.ready();
        break;
      case 'configure': {
        if (!trainer.configure) throw new Error(`The '${this.kindName}' trainer takes no settings`);
        const wasRunning = this.running;
        const outcome = trainer.configure(command.config);
        if (outcome === 'restart') {
          this.halt();
          this.ready();
        } else {
          if (wasRunning && trainer.stop) this.halt();
          this.report(true);
        }
        break;
      }
      case 'snapshot':
        this.report(true);
        break;
      case 'call': {
        if (!trainer.call)
          throw new Error(`The '${this.kindName}' trainer has no '${command.name}'`);
        const { value, transfer, restarted } = trainer.call(command.name, command.args);
        if (restarted) this.halt();
        this.post(
          { type: 'result', run: this.run, id: command.id, name: command.name, value },
          transfer ?? [],
        );
        if (restarted) this.ready();
        break;
      }
    }
  }

  private fail(error: unknown): void {
    this.halt();
    this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }

  /** Stops running (keeps the trainer). */
  private halt(): void {
    if (this.running) {
      this.runningMs += this.clock.now() - this.runStartedAt;
      this.running = false;
    }
    if (this.paceTimer !== null) this.clock.clearTimer(this.paceTimer);
    this.paceTimer = null;
  }

  private ready(): void {
    const trainer = this.trainer as SessionTrainer;
    this.run++;
    this.runningMs = 0;
    this.stepsWhileRunning = 0;
    this.throttle.cancel();
    this.pending = emptySlice(trainer.step);
    this.post({ type: 'ready', run: this.run, kind: this.kindName, info: trainer.info });
    this.report(true);
  }

  private add(slice: Slice): void {
    this.pending = mergeSlices(this.pending, slice);
  }

  /** Asks for a progress post; `withSnapshot` forces the snapshot into it. */
  private report(withSnapshot: boolean): void {
    if (withSnapshot) this.snapshotDue = true;
    this.throttle.request();
  }

  private flush(): void {
    const trainer = this.trainer;
    if (!trainer) return;
    const slice = this.pending;
    this.pending = emptySlice(slice.firstStep + sliceLength(slice));
    const now = this.clock.now();
    const snapshotMs = this.kind?.snapshotMs ?? 250;
    const transfer = sliceBuffers(slice);
    let snapshot: { step: number; value: unknown } | undefined;
    if (this.snapshotDue || now - this.lastSnapshot >= snapshotMs || !this.running) {
      const packed = trainer.snapshot();
      snapshot = { step: trainer.step, value: packed.value };
      transfer.push(...(packed.transfer ?? []));
      this.lastSnapshot = now;
      this.snapshotDue = false;
    }
    this.post(
      {
        type: 'progress',
        run: this.run,
        status: this.status,
        step: trainer.step,
        slice,
        stop: trainer.stop,
        stats: this.stats(),
        extra: trainer.extra?.() ?? {},
        snapshot,
      },
      transfer,
    );
  }

  private stats() {
    const ms = this.runningMs + (this.running ? this.clock.now() - this.runStartedAt : 0);
    return {
      stepsPerSecond: ms > 0 ? (this.stepsWhileRunning * 1000) / ms : 0,
      runningSeconds: ms / 1000,
    };
  }

  private startPacing(): void {
    this.paceStart = this.clock.now();
    this.pacedSteps = 0;
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
    if (!trainer || !this.running) return;
    let maxSteps = Number.POSITIVE_INFINITY;
    if (this.stepsPerSecondLimit !== null) {
      const elapsed = this.clock.now() - this.paceStart;
      maxSteps = Math.floor((elapsed / 1000) * this.stepsPerSecondLimit) - this.pacedSteps;
      if (maxSteps < 1) {
        // Sleep until the next step is due.
        const wait = Math.min(100, 1000 / this.stepsPerSecondLimit);
        this.paceTimer = this.clock.setTimer(() => {
          this.paceTimer = null;
          this.runSlice();
        }, wait);
        return;
      }
    }
    const slice = trainer.runSlice({ maxSteps, maxMillis: this.sliceMs });
    const ran = sliceLength(slice);
    this.pacedSteps += ran;
    this.stepsWhileRunning += ran;
    this.add(slice);
    if (trainer.stop) {
      this.halt();
      this.report(true);
      return;
    }
    this.report(false);
    this.schedule();
  }
}
