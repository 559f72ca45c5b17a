/**
 * Speed of the tensor engine (run: `pnpm --filter @llm-playground/tensor bench`, or `pnpm bench`).
 *   1. fp32 square matmul GFLOPS at n = 128, 256, 512, 1024.
 *   2. One training step (forward, backward, SGD update) of the makemore lecture MLP — context 3,
 *      embedding 10, hidden 200 tanh, 27 outputs, cross-entropy — at batch 32, 256 and 4096, in steps/s.
 *   3. The same step in PyTorch, run side by side with ../shared/bench/torch_mlp.py when available.
 * Medians of several timed rounds after a warm-up; single-threaded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Generator } from '@llm-playground/core';
import { arange, noGrad, randint, randn, type Tensor } from '../src/index.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeIt(fn: () => void, minSeconds: number, rounds = 5): number {
  // Returns median seconds per call.
  fn();
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      fn();
      calls++;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < minSeconds / rounds);
    per.push(elapsed / calls);
  }
  return median(per);
}

function benchMatmul(): Record<number, number> {
  const out: Record<number, number> = {};
  for (const n of [128, 256, 512, 1024]) {
    const g = new Generator(0);
    const a = randn([n, n], { generator: g });
    const b = randn([n, n], { generator: g });
    const seconds = timeIt(() => a.matmul(b), n >= 1024 ? 6 : 2, n >= 1024 ? 3 : 5);
    out[n] = (2 * n * n * n) / seconds / 1e9;
  }
  return out;
}

/** The lecture MLP: C[27,10], W1[30,200], b1, W2[200,27], b2, from seed 2147483647. */
function makeMlp() {
  const g = new Generator(2147483647);
  const C = randn([27, 10], { generator: g });
  const W1 = randn([30, 200], { generator: g });
  const b1 = randn([200], { generator: g });
  const W2 = randn([200, 27], { generator: g });
  const b2 = randn([27], { generator: g });
  const params = [C, W1, b1, W2, b2];
  for (const p of params) p.requiresGrad = true;
  // A synthetic training set of the lecture's size (contexts and targets over a 27-letter vocabulary).
  const N = 182625;
  const X = randint(0, 27, [N, 3], { generator: g });
  const Y = randint(0, 27, [N], { generator: g });
  return { g, C, W1, b1, W2, b2, params, X, Y, N };
}

function mlpStep(m: ReturnType<typeof makeMlp>, batch: number, lr: number): Tensor {
  const ix = randint(0, m.N, [batch], { generator: m.g });
  const emb = m.C.index(m.X.index(ix));
  const h = emb.view(-1, 30).matmul(m.W1).add(m.b1).tanh();
  const logits = h.matmul(m.W2).add(m.b2);
  const loss = logits.logSoftmax(1).index(arange(batch), m.Y.index(ix)).mean().neg();
  for (const p of m.params) p.grad = null;
  loss.backward();
  noGrad(() => {
    for (const p of m.params) p.sub_(p.grad as Tensor, { alpha: lr });
  });
  return loss;
}

function benchMlp(): Record<number, number> {
  const out: Record<number, number> = {};
  for (const batch of [32, 256, 4096]) {
    const m = makeMlp();
    const seconds = timeIt(() => mlpStep(m, batch, 0.1), batch === 4096 ? 6 : 3);
    out[batch] = 1 / seconds;
  }
  return out;
}

function torchSteps(batch: number): number | null {
  const script = resolve(import.meta.dirname, '../../../../shared/bench/torch_mlp.py');
  const names = resolve(import.meta.dirname, '../../../../shared/data/names.txt');
  if (!existsSync(script) || !existsSync('/usr/bin/python3') || !existsSync(names)) return null;
  try {
    const text = execFileSync(
      '/usr/bin/python3',
      [
        script,
        '--mode',
        'speed',
        '--batch',
        String(batch),
        '--threads',
        '1',
        '--steps',
        batch === 4096 ? '200' : '2000',
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const match = /steps_per_s\D*([\d.]+)/.exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

const fmt = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log('@llm-playground/tensor bench (single thread, medians)\n');
const mm = benchMatmul();
console.log('fp32 matmul n×n·n×n         GFLOPS   target');
for (const [n, gflops] of Object.entries(mm)) {
  console.log(
    `  n = ${n.padEnd(5)}                ${fmt(gflops, 2).padStart(6)}   ${n === '1024' ? '≥ 2.5' : ''}`,
  );
}
const targets: Record<number, string> = { 32: '≥ 1,500', 256: '≥ 150', 4096: '' };
console.log(
  '\nlecture MLP step (fwd+bwd+SGD)  steps/s   target     PyTorch 1.13 (1 thread)   ratio',
);
const mlp = benchMlp();
for (const [batch, sps] of Object.entries(mlp)) {
  const torch = torchSteps(Number(batch));
  const ratio = torch ? `${fmt(sps / torch, 2)}×` : '';
  console.log(
    `  batch ${batch.padEnd(5)}                 ${fmt(sps, 0).padStart(7)}   ${targets[Number(batch)].padEnd(9)}  ${torch ? fmt(torch, 0).padStart(8) : '     n/a'}                 ${ratio}`,
  );
}
