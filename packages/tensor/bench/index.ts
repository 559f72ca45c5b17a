/**
 * Speed of the tensor engine (run: `pnpm --filter @llm-playground/tensor bench`, or `pnpm bench`).
 *   1. fp32 square matmul GFLOPS at n = 128, 256, 512, 1024: the js kernel, the wasm SIMD kernel and
 *      its relaxed-SIMD (fused multiply-add) build, each called on Float32Arrays (copies in and out
 *      included), beside PyTorch's `a @ b` (OpenBLAS, 1 thread) when torch is installed.
 *   2. One training step (forward, backward, SGD update) of the makemore lecture MLP — context 3,
 *      embedding 10, hidden 200 tanh, 27 outputs, cross-entropy — at batch 32, 256 and 4096, in
 *      steps/s, on each backend (`setBackend`), beside ../shared/bench/torch_mlp.py when available.
 * Medians of several timed rounds after a warm-up; single-threaded. Numbers move with the machine's
 * load: compare within one run. Relaxed SIMD is switched on for this process (Node 20 hides it behind
 * `--experimental-wasm-relaxed-simd`; Chromium has it on), so `setBackend('wasm')` uses it here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Generator } from '@llm-playground/core';
import * as engine from '../src/index.js';
import { arange, noGrad, randint, randn, type Tensor } from '../src/index.js';
import type { Backend } from '../src/kernels/backend.js';
import { jsBackend } from '../src/kernels/backend.js';
import {
  loadWasmBackend,
  startWasmThreads,
  stopWasmThreads,
  wasmFeatures,
} from '../src/kernels/wasm/index.js';

if (!wasmFeatures().relaxedSimd) setFlagsFromString('--experimental-wasm-relaxed-simd');

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

const SIZES = [128, 256, 512, 1024];

/** GFLOPS of a matmul kernel on n×n float32 operands (row-major, no accumulate). */
function kernelGflops(matmul: Backend['matmul'], n: number, seconds: number): number {
  const g = new Generator(0);
  const A = randn([n, n], { generator: g }).storage as Float32Array;
  const B = randn([n, n], { generator: g }).storage as Float32Array;
  const C = new Float32Array(n * n);
  const s = timeIt(() => matmul(n, n, n, A, 0, n, 1, B, 0, n, 1, C, 0, false), seconds, 3);
  return (2 * n * n * n) / s / 1e9;
}

function which(name: string, backend: Backend | { error: string }): Backend | null {
  if ('error' in backend) {
    console.log(`  (${name} unavailable: ${backend.error})`);
    return null;
  }
  return backend;
}

/** PyTorch's fp32 `a @ b` GFLOPS at each size on `threads` threads; null when torch is missing. */
function torchMatmul(threads: number): Record<number, number> | null {
  if (!existsSync('/usr/bin/python3')) return null;
  const script = `
import time, torch
torch.set_num_threads(${threads})
for n in ${JSON.stringify(SIZES)}:
    a = torch.randn(n, n); b = torch.randn(n, n); a @ b
    best = []
    for r in range(3):
        calls, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < (0.5 if n >= 1024 else 0.2):
            a @ b; calls += 1
        best.append((time.perf_counter() - t0) / calls)
    best.sort()
    print(n, 2 * n ** 3 / best[1] / 1e9)
`;
  try {
    const text = execFileSync('/usr/bin/python3', ['-c', script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        OPENBLAS_NUM_THREADS: String(threads),
        OMP_NUM_THREADS: String(threads),
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const out: Record<number, number> = {};
    for (const line of text.trim().split('\n')) {
      const [n, gflops] = line.split(' ').map(Number);
      out[n] = gflops;
    }
    return out;
  } catch {
    return null;
  }
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
  return mlpBatchStep(m, m.X.index(ix), m.Y.index(ix), lr);
}

/** One step on a given batch (what a captured step records: the batch is its input). */
function mlpBatchStep(m: ReturnType<typeof makeMlp>, Xb: Tensor, Yb: Tensor, lr: number): Tensor {
  const batch = Xb.shape[0];
  engine.zeroGrad(m.params);
  const emb = m.C.index(Xb);
  const h = emb.view(-1, 30).matmul(m.W1).add(m.b1).tanh();
  const logits = h.matmul(m.W2).add(m.b2);
  const loss = logits.logSoftmax(1).index(arange(batch), Yb).mean().neg();
  loss.backward();
  noGrad(() => {
    for (const p of m.params) p.sub_(p.grad as Tensor, { alpha: lr });
  });
  return loss;
}

const BATCHES = [32, 256, 4096];

/**
 * Steps/s of the lecture MLP at each batch size: eager (each step in `tidy`, so the wasm pool stays
 * flat), or captured (`captureStep` once, then `replay` on each new batch).
 */
function benchMlp(mode: 'eager' | 'captured' = 'eager'): Record<number, number> {
  const out: Record<number, number> = {};
  for (const batch of BATCHES) {
    const m = makeMlp();
    const seconds = batch === 4096 ? 4 : 2;
    if (mode === 'eager') {
      out[batch] = 1 / timeIt(() => engine.tidy(() => void mlpStep(m, batch, 0.1)), seconds);
    } else {
      const ix0 = randint(0, m.N, [batch], { generator: m.g });
      const step = engine.captureStep(
        (Xb, Yb) => mlpBatchStep(m, Xb, Yb, 0.1),
        [m.X.index(ix0), m.Y.index(ix0)],
      );
      out[batch] =
        1 /
        timeIt(
          () =>
            engine.tidy(() => {
              const ix = randint(0, m.N, [batch], { generator: m.g });
              step.replay(m.X.index(ix), m.Y.index(ix));
            }),
          seconds,
        );
      step.dispose();
    }
  }
  return out;
}

function torchSteps(batch: number, threads: number): number | null {
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
        String(threads),
        '--steps',
        batch === 4096 ? '200' : '2000',
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads) },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const match = /steps_per_s\D*([\d.]+)/.exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

const fmt = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined
    ? 'n/a'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const cpus = os.cpus();
const features = wasmFeatures();
console.log('@llm-playground/tensor bench (medians; one thread unless a column says otherwise)');
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores; Node ${process.version}; ` +
    `wasm simd ${features.simd ? 'yes' : 'no'}, relaxed simd ${features.relaxedSimd ? 'yes' : 'no'}\n`,
);

const THREADS = 2;
const onlyMlp = process.argv.includes('--mlp');
const onlyRss = process.argv.includes('--rss');
if (!onlyMlp) await benchMatmul();

async function benchMatmul(): Promise<void> {
  const wasmPlain = which('wasm simd', loadWasmBackend({ relaxedSimd: false }));
  const wasmRelaxed = which('wasm relaxed', loadWasmBackend({ relaxedSimd: true }));
  const torchMm = torchMatmul(1);
  console.log(
    `fp32 matmul n×n·n×n, GFLOPS    js   wasm simd   wasm relaxed   relaxed ${THREADS} threads   PyTorch 1 thread   PyTorch ${THREADS}   target`,
  );
  const rows: (number | null)[][] = [];
  for (const n of SIZES) {
    const seconds = n >= 1024 ? 1.5 : 0.6;
    const js = kernelGflops(jsBackend.matmul, n, n >= 1024 ? 2 : 0.6);
    const plain = wasmPlain ? kernelGflops(wasmPlain.matmul, n, seconds) : null;
    const relaxed = wasmRelaxed ? kernelGflops(wasmRelaxed.matmul, n, seconds) : null;
    rows.push([n, js, plain, relaxed]);
  }
  // The same relaxed kernel with C's rows split over worker threads (bit-identical results).
  const threads = await startWasmThreads(THREADS);
  for (const row of rows) {
    const n = row[0] as number;
    const fastest = wasmRelaxed ?? wasmPlain;
    row.push(
      threads > 1 && fastest ? kernelGflops(fastest.matmul, n, n >= 1024 ? 1.5 : 0.6) : null,
    );
  }
  await stopWasmThreads();
  const torchMm2 = torchMatmul(THREADS);
  for (const [n, js, plain, relaxed, threaded] of rows) {
    console.log(
      `  n = ${String(n).padEnd(5)}               ${fmt(js).padStart(6)} ${fmt(plain).padStart(11)} ${fmt(relaxed).padStart(14)} ${fmt(threaded).padStart(19)} ${(torchMm ? fmt(torchMm[n as number]) : 'n/a').padStart(18)} ${(torchMm2 ? fmt(torchMm2[n as number]) : 'n/a').padStart(11)}   ${n === 1024 ? '≥ 35 (1), ≥ 60 (2)' : ''}`,
    );
  }
  if (!torchMm)
    console.log('  PyTorch not found (/usr/bin/python3 with torch): no reference column');
}

console.log(
  `load average before the MLP runs: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
if (!onlyRss) await mlpTable();

async function mlpTable(): Promise<void> {
  const mlp: Record<string, Record<number, number>> = {};
  engine.setBackend('js');
  mlp['js eager'] = benchMlp('eager');
  mlp['js captured'] = benchMlp('captured');
  engine.setBackend('wasm');
  if (engine.getBackend().name === 'wasm') {
    mlp['wasm eager'] = benchMlp('eager');
    mlp['wasm captured'] = benchMlp('captured');
    if ((await startWasmThreads(THREADS)) > 1)
      mlp[`wasm capt ${THREADS}thr`] = benchMlp('captured');
    // The same with the earlier default threshold, 2²¹ multiply-adds (the lecture's batch-256
    // matmuls, 1.4–1.5·2²⁰, then stay on one thread): what the lower default buys on this machine.
    if ((await startWasmThreads(THREADS, { minMacs: 2 ** 21 })) > 1)
      mlp[`${THREADS}thr ≥2^21`] = benchMlp('captured');
    await stopWasmThreads();
  }
  const torch: Record<number, number | null> = {};
  const torch2: Record<number, number | null> = {};
  for (const batch of BATCHES) {
    torch[batch] = torchSteps(batch, 1);
    torch2[batch] = torchSteps(batch, THREADS);
  }
  const targets: Record<number, string> = { 32: '≥ 1.0×', 256: '≥ 1.0×', 4096: '≥ 0.5×' };
  console.log('\nlecture MLP step (fwd+bwd+SGD), steps/s');
  console.log(
    `  batch   ${Object.keys(mlp)
      .map((k) => k.padStart(13))
      .join(' ')}   torch 1thr   torch ${THREADS}thr   best ratio   target`,
  );
  for (const batch of BATCHES) {
    const ours = Object.values(mlp).map((r) => r[batch]);
    const best = Math.max(...ours);
    const t1 = torch[batch];
    const t2 = torch2[batch];
    const tBest = Math.max(t1 ?? 0, t2 ?? 0) || null;
    console.log(
      `  ${String(batch).padEnd(6)}  ${ours.map((v) => fmt(v, 0).padStart(13)).join(' ')}   ${fmt(t1, 0).padStart(10)}   ${fmt(t2, 0).padStart(10)}   ${tBest ? `${fmt(best / tBest, 2)}×`.padStart(10) : '       n/a'}   ${targets[batch]}`,
    );
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (Object.values(torch).every((t) => t === null)) {
    console.log(
      '  PyTorch not found (torch_mlp.py, torch or names.txt missing): no reference column',
    );
  }
}

// RSS over a long captured run (batch 32): memory must stay flat after warm-up. RSS is read after a
// full garbage collection, so that what is measured is what the run holds, not garbage not yet swept.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const rss = () => {
  collect();
  return process.memoryUsage().rss;
};
engine.setBackend('wasm');
if (engine.getBackend().name === 'wasm') {
  const m = makeMlp();
  const ix0 = randint(0, m.N, [32], { generator: m.g });
  const step = engine.captureStep(
    (Xb, Yb) => mlpBatchStep(m, Xb, Yb, 0.1),
    [m.X.index(ix0), m.Y.index(ix0)],
  );
  const total = Number(process.env.BENCH_RSS_STEPS ?? 50000);
  const marks: string[] = [];
  let warm = 0;
  for (let i = 1; i <= total; i++) {
    engine.tidy(() => {
      const ix = randint(0, m.N, [32], { generator: m.g });
      step.replay(m.X.index(ix), m.Y.index(ix));
    });
    if (i === Math.floor(total / 10)) warm = rss();
    if (i % Math.floor(total / 5) === 0)
      marks.push(
        `${i}: ${(rss() / 2 ** 20).toFixed(1)} MiB (heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)})`,
      );
  }
  const end = rss();
  console.log(
    `\nRSS over ${total} captured wasm steps (batch 32): ${marks.join(', ')}; ${(((end - warm) / warm) * 100).toFixed(1)}% after warm-up (step ${total / 10}); pool ${JSON.stringify(engine.memoryInfo())}`,
  );
}
engine.setBackend('js');
