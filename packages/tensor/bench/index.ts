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

const BATCHES = [32, 256, 4096];

function benchMlp(): Record<number, number> {
  const out: Record<number, number> = {};
  for (const batch of BATCHES) {
    const m = makeMlp();
    const seconds = timeIt(() => mlpStep(m, batch, 0.1), batch === 4096 ? 4 : 2);
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

const wasmPlain = which('wasm simd', loadWasmBackend({ relaxedSimd: false }));
const wasmRelaxed = which('wasm relaxed', loadWasmBackend({ relaxedSimd: true }));
const torchMm = torchMatmul(1);
const THREADS = 2;
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
  row.push(threads > 1 && fastest ? kernelGflops(fastest.matmul, n, n >= 1024 ? 1.5 : 0.6) : null);
}
await stopWasmThreads();
const torchMm2 = torchMatmul(THREADS);
for (const [n, js, plain, relaxed, threaded] of rows) {
  console.log(
    `  n = ${String(n).padEnd(5)}               ${fmt(js).padStart(6)} ${fmt(plain).padStart(11)} ${fmt(relaxed).padStart(14)} ${fmt(threaded).padStart(19)} ${(torchMm ? fmt(torchMm[n as number]) : 'n/a').padStart(18)} ${(torchMm2 ? fmt(torchMm2[n as number]) : 'n/a').padStart(11)}   ${n === 1024 ? '≥ 35 (1), ≥ 60 (2)' : ''}`,
  );
}
if (!torchMm) console.log('  PyTorch not found (/usr/bin/python3 with torch): no reference column');

const names = typeof engine.setBackend === 'function' ? (['js', 'wasm'] as const) : ([] as const);
const mlp: Record<string, Record<number, number>> = {};
if (names.length === 0) mlp.current = benchMlp();
for (const name of names) {
  engine.setBackend(name);
  mlp[`${name} (${engine.getBackend().name})`] = benchMlp();
}
if (names.length > 0) {
  if ((await startWasmThreads(THREADS)) > 1) {
    engine.setBackend('wasm');
    mlp[`wasm ${THREADS} thr`] = benchMlp();
  }
  await stopWasmThreads();
  engine.setBackend('js');
}
const torch: Record<number, number | null> = {};
for (const batch of BATCHES) torch[batch] = torchSteps(batch);
const targets: Record<number, string> = { 32: '≥ 1.0×', 256: '≥ 1.0×', 4096: '≥ 0.5×' };
console.log('\nlecture MLP step (fwd+bwd+SGD), steps/s');
console.log(
  `  batch   ${Object.keys(mlp)
    .map((k) => k.padStart(12))
    .join(' ')}   PyTorch 1 thread   best ratio   target`,
);
for (const batch of BATCHES) {
  const ours = Object.values(mlp).map((r) => r[batch]);
  const best = Math.max(...ours);
  const t = torch[batch];
  console.log(
    `  ${String(batch).padEnd(6)}  ${ours.map((v) => fmt(v, 0).padStart(12)).join(' ')}   ${fmt(t, 0).padStart(16)}   ${t ? `${fmt(best / t, 2)}×`.padStart(10) : '       n/a'}   ${targets[batch]}`,
  );
}
if (Object.values(torch).every((t) => t === null)) {
  console.log(
    '  PyTorch not found (torch_mlp.py, torch or names.txt missing): no reference column',
  );
}
