// Run: pnpm --filter @llm-playground/nn bench (after building core, tensor, data and nn).
//   1. One full-batch training step of micrograd's moons demo (the unit the Python reference is
//      timed on): forward MLP(2, [16, 16, 1]) over 100 points, max-margin + L2 loss, backward, SGD.
//   2. One training step of the makemore lecture MLP (forward, backward, SGD update) with the fused
//      F.crossEntropy, at batch 32 and 256, in steps/s, beside the tensor package's formulation
//      (logSoftmax + index) measured in the same run.
import { Generator, topologicalOrder } from '@llm-playground/core';
import { makeMoons } from '@llm-playground/data';
import {
  Embedding,
  F,
  Flatten,
  Linear,
  Sequential,
  Tanh,
  SGD as TensorSGD,
} from '@llm-playground/nn';
import { l2Regularization, MLP, maxMarginLoss, SGD } from '@llm-playground/nn/micro';
import { arange, noGrad, randint, randn, type Tensor } from '@llm-playground/tensor';

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

// ---- 2. the makemore lecture MLP step --------------------------------------------------------

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Median steps/s of each stepper, over `rounds` rounds of about `seconds` each, after a warm-up.
 * The steppers take turns within every round so that they share the machine's noisy moments alike.
 */
function stepsPerSecond(steppers: (() => void)[], seconds = 0.6, rounds = 7): number[] {
  for (const step of steppers) for (let i = 0; i < 50; i++) step();
  const rates: number[][] = steppers.map(() => []);
  for (let r = 0; r < rounds; r++) {
    steppers.forEach((step, k) => {
      let calls = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        step();
        calls++;
        elapsed = (performance.now() - start) / 1000;
      } while (elapsed < seconds);
      rates[k].push(calls / elapsed);
    });
  }
  return rates.map(medianOf);
}

// A synthetic training set of the lecture's size (182,625 contexts of 3 letters → next letter).
const N = 182625;
const dataGenerator = new Generator(2147483647);
const Xtr = randint(0, 27, [N, 3], { generator: dataGenerator });
const Ytr = randint(0, 27, [N], { generator: dataGenerator });

/** The lecture's raw parameters C, W1, b1, W2, b2 (as in the tensor bench). */
function rawMlp() {
  const g = new Generator(2147483647);
  const params = [[27, 10], [30, 200], [200], [200, 27], [27]].map((shape) =>
    randn(shape, { generator: g, requiresGrad: true }),
  );
  const [C, W1, b1, W2, b2] = params;
  const logits = (Xb: Tensor) =>
    C.index(Xb).view(-1, 30).matmul(W1).add(b1).tanh().matmul(W2).add(b2);
  return { params, logits, g };
}

function rawStep(mlp: ReturnType<typeof rawMlp>, batch: number, fused: boolean): void {
  const ix = randint(0, N, [batch], { generator: mlp.g });
  const logits = mlp.logits(Xtr.index(ix));
  const Yb = Ytr.index(ix);
  const loss = fused
    ? F.crossEntropy(logits, Yb)
    : logits.logSoftmax(1).index(arange(batch), Yb).mean().neg();
  for (const p of mlp.params) p.grad = null;
  loss.backward();
  noGrad(() => {
    for (const p of mlp.params) p.sub_(p.grad as Tensor, { alpha: 0.1 });
  });
}

/** The same network as nn modules, with the SGD optimizer. */
function moduleStepper(batch: number): () => void {
  const g = new Generator(2147483647);
  const model = new Sequential(
    new Embedding(27, 10, { generator: g }),
    new Flatten(),
    new Linear(30, 200, { generator: g }),
    new Tanh(),
    new Linear(200, 27, { generator: g }),
  );
  const optimizer = new TensorSGD(model.parameters(), { lr: 0.1 });
  return () => {
    const ix = randint(0, N, [batch], { generator: g });
    const loss = F.crossEntropy(model.forward(Xtr.index(ix)), Ytr.index(ix));
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  };
}

const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log('\nmakemore lecture MLP step (fwd + bwd + SGD), steps/s, medians, single thread');
console.log('  batch   logSoftmax+index   F.crossEntropy   speed-up   modules + SGD optimizer');
for (const batch of [32, 256]) {
  const a = rawMlp();
  const b = rawMlp();
  const [composed, fused, modules] = stepsPerSecond([
    () => rawStep(a, batch, false),
    () => rawStep(b, batch, true),
    moduleStepper(batch),
  ]);
  console.log(
    `  ${String(batch).padEnd(5)}   ${fmt(composed).padStart(16)}   ${fmt(fused).padStart(14)}   ${(fused / composed).toFixed(2).padStart(7)}×   ${fmt(modules).padStart(23)}`,
  );
}
