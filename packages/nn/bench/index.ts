// One full-batch training step of micrograd's moons demo (the unit the Python reference is timed
// on): forward MLP(2, [16, 16, 1]) over 100 points, max-margin + L2 loss, backward, SGD update.
// Run: pnpm --filter @llm-playground/nn bench (after building core, data and nn).
import { Generator, topologicalOrder } from '@llm-playground/core';
import { makeMoons } from '@llm-playground/data';
import { l2Regularization, MLP, maxMarginLoss, SGD } from '@llm-playground/nn/micro';

// Python micrograd, same step on CPython 3.x (demo.ipynb's loss() + backward + update): 1.38–1.46 s.
const PYTHON_REFERENCE_MS = [1380, 1460];
const TARGET_MS = 50;
const WARMUP = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 50);

const generator = new Generator(1337);
const { X, y } = makeMoons(100, { noise: 0.1, generator });
const labels = y.map((label) => label * 2 - 1);
const model = new MLP(2, [16, 16, 1], { generator });
const parameters = model.parameters();
// A small constant rate: the bench measures time, the model should just stay sane across runs.
const optimizer = new SGD(parameters, { lr: 0.01 });

function trainingStep() {
  const scores = X.map((point) => model.forward(point)[0]);
  const loss = maxMarginLoss(scores, labels).add(l2Regularization(parameters, 1e-4));
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  return loss;
}

const nodes = topologicalOrder(trainingStep()).length;
for (let i = 1; i < WARMUP; i++) trainingStep();
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  trainingStep();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const [low, high] = PYTHON_REFERENCE_MS;
console.log(`micrograd moons step: MLP(2, [16, 16, 1]), 100 points, ${nodes} graph nodes`);
console.log(
  `median ${median.toFixed(1)} ms over ${RUNS} runs (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}); target <= ${TARGET_MS} ms: ${median <= TARGET_MS ? 'PASS' : 'MISS'}`,
);
console.log(
  `speed-up vs Python micrograd (${low / 1000}–${high / 1000} s): ${(low / median).toFixed(0)}–${(high / median).toFixed(0)}x`,
);
