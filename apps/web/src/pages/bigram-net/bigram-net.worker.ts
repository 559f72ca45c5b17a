/// <reference lib="webworker" />
/**
 * Trains the bigram net off the main thread. Runs steps in short slices (≤ 12 ms, then yields so
 * pause/step/configure messages get through), paced to the chosen speed, and posts progress at most
 * ~30 times a second with W at most 4 times a second.
 */
import { BigramNetTrainer } from './bigram-net-trainer.js';
import { type FromWorker, MAX_STEPS, type Speed, type ToWorker } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let trainer: BigramNetTrainer | null = null;
let running = false;
let speed: Speed = '60';
let timer: ReturnType<typeof setTimeout> | null = null;
// Pacing: steps allowed = elapsed × speed since the run (re)started.
let paceStart = 0;
let pacedSteps = 0;
// Losses not yet posted.
let pending = { steps: [] as number[], losses: [] as number[], dataLosses: [] as number[] };
let lastPost = 0;
let lastWeights = 0;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function flush(
  force: boolean,
  extra: { stopped?: 'max-steps' } = {},
  options: { weights?: boolean } = {},
): void {
  if (!trainer) return;
  const now = performance.now();
  if (!force && now - lastPost < 33) return;
  lastPost = now;
  const withWeights = options.weights !== false && (force || now - lastWeights >= 250);
  const W = withWeights ? trainer.weights() : undefined;
  if (withWeights) lastWeights = now;
  post(
    { type: 'progress', ...pending, step: trainer.steps, running, W, ...extra },
    W ? [W.buffer] : [],
  );
  pending = { steps: [], losses: [], dataLosses: [] };
}

/** One step; false (and a 'diverged' message) if it diverged. */
function stepOnce(): boolean {
  if (!trainer) return false;
  const result = trainer.step();
  const divergence = trainer.divergence(result);
  if (divergence) {
    running = false;
    // The weights that produced this loss have blown up: never send them to be drawn.
    flush(true, {}, { weights: false });
    post({ type: 'diverged', divergence, step: trainer.steps });
    return false;
  }
  pending.steps.push(result.step);
  pending.losses.push(result.loss);
  pending.dataLosses.push(result.dataLoss);
  return true;
}

function schedule(): void {
  if (timer === null && running) timer = setTimeout(tick, 0);
}

function tick(): void {
  timer = null;
  if (!running || !trainer) return;
  const sliceStart = performance.now();
  const perSecond = speed === 'max' ? Infinity : Number(speed);
  const allowed =
    perSecond === Infinity ? Infinity : ((sliceStart - paceStart) / 1000) * perSecond - pacedSteps;
  let done = 0;
  while (done < allowed && performance.now() - sliceStart < 12) {
    if (!stepOnce()) return;
    done++;
    pacedSteps++;
    if (trainer.steps >= MAX_STEPS) {
      running = false;
      flush(true, { stopped: 'max-steps' });
      return;
    }
  }
  flush(false);
  // Sleep until the next step is due (paced speeds), or yield at once (max).
  const wait = perSecond === Infinity ? 0 : Math.max(0, Math.min(100, 1000 / perSecond - 1));
  timer = setTimeout(tick, wait);
}

function startPacing(): void {
  paceStart = performance.now();
  pacedSteps = 0;
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'init': {
        trainer = new BigramNetTrainer(message.words, {
          seed: message.seed,
          lr: message.lr,
          lambda: message.lambda,
        });
        speed = message.speed;
        running = false;
        pending = { steps: [], losses: [], dataLosses: [] };
        const W = trainer.weights();
        post(
          {
            type: 'ready',
            V: trainer.V,
            itos: [...trainer.tokenizer.itos],
            countLoss: trainer.countLoss,
            counts: trainer.counts,
            W,
          },
          [W.buffer],
        );
        break;
      }
      case 'play':
        if (!trainer || running) break;
        if (trainer.steps >= MAX_STEPS) break;
        running = true;
        startPacing();
        flush(true);
        schedule();
        break;
      case 'pause':
        running = false;
        flush(true);
        break;
      case 'step':
        if (!trainer || running) break;
        stepOnce();
        flush(true);
        break;
      case 'reset':
        if (!trainer) break;
        running = false;
        trainer.reset(message.seed);
        pending = { steps: [], losses: [], dataLosses: [] };
        flush(true);
        break;
      case 'configure':
        if (!trainer) break;
        trainer.configure({ lr: message.lr, lambda: message.lambda });
        if (message.speed !== speed) {
          speed = message.speed;
          startPacing();
        }
        break;
    }
  } catch (error) {
    running = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
