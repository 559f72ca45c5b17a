/**
 * Trains the moons MLP off the main thread. Runs steps in slices of ~33 ms and posts one progress
 * message per slice (≤ 30 a second) with the new step records, the weights and the decision grid
 * (computed here on plain numbers), so the page only paints.
 */
import { decisionGrid, type GridSpec, gridSpecFor } from './mlp-snapshot.js';
import { GRID_SIZE, type MoonsMessage, type MoonsRequest } from './moons-protocol.js';
import { type MoonsConfig, type MoonsStep, MoonsTrainer } from './moons-trainer.js';

const SLICE_MS = 33;

let config: MoonsConfig | undefined;
let trainer: MoonsTrainer | undefined;
let spec: GridSpec | undefined;
let run = 0;
let running = false;
let timer: ReturnType<typeof setTimeout> | undefined;

function post(message: MoonsMessage, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

function start(): void {
  if (!config) return;
  stop();
  run++;
  try {
    trainer = new MoonsTrainer(config);
  } catch (error) {
    trainer = undefined;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  spec = gridSpecFor(trainer.X, 0.3, GRID_SIZE, GRID_SIZE);
  post({ type: 'data', run, X: trainer.X, labels: trainer.labels, spec });
  report([]);
}

function stop(): void {
  running = false;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

function report(records: MoonsStep[]): void {
  if (!trainer || !spec) return;
  if (trainer.done) running = false;
  const snapshot = trainer.snapshot();
  const grid = decisionGrid(snapshot, spec);
  post(
    {
      type: 'progress',
      run,
      records,
      stepCount: trainer.stepCount,
      snapshot,
      grid,
      accuracy: trainer.accuracy(snapshot),
      running,
      done: trainer.done,
      diverged: trainer.diverged,
    },
    [grid.buffer],
  );
}

function loop(): void {
  timer = undefined;
  if (!running || !trainer) return;
  report(trainer.runFor(SLICE_MS));
  // Yield to the event loop between slices so pause/reset messages get through.
  if (running) timer = setTimeout(loop, 0);
}

self.onmessage = (event: MessageEvent<MoonsRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'configure':
      config = request.config;
      start();
      break;
    case 'reset':
      start();
      break;
    case 'play':
      if (trainer && !trainer.done && !running) {
        running = true;
        loop();
      }
      break;
    case 'pause':
      stop();
      report([]);
      break;
    case 'step':
      if (trainer && !running) report(trainer.runFor(0, undefined, 1));
      break;
  }
};
