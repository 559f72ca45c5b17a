/**
 * One lecture-MLP step in a loop, for profiling per-op overhead:
 *   node --import tsx --cpu-prof bench/step-profile.ts <js|wasm> <batch> <tidy|notidy|captured> [steps]
 * Prints steps/s; `SHOW_TAPE=1` with `captured` prints the recorded kernel calls. `RELAXED=1` turns
 * on relaxed SIMD (as `pnpm bench` does); `THREADS=n` starts the wasm worker pool, with
 * `MIN_MACS=m` as its threshold.
 */
import { setFlagsFromString } from 'node:v8';
import { Generator } from '@llm-playground/core';
import * as engine from '../src/index.js';
import { arange, noGrad, randint, randn, type Tensor } from '../src/index.js';
import { startWasmThreads, stopWasmThreads } from '../src/kernels/wasm/index.js';
import { stolenParts } from '../src/kernels/wasm/threads.js';

if (process.env.RELAXED) setFlagsFromString('--experimental-wasm-relaxed-simd');

const mode = process.argv[2] ?? 'wasm';
const batch = Number(process.argv[3] ?? 32);
const how = process.argv[4] ?? 'tidy';
const useTidy = how !== 'notidy';
engine.setBackend(mode as 'js' | 'wasm');
const threads = process.env.THREADS
  ? await startWasmThreads(Number(process.env.THREADS), {
      minMacs: process.env.MIN_MACS ? Number(process.env.MIN_MACS) : undefined,
    })
  : 1;
const g = new Generator(1);
const C = randn([27, 10], { generator: g, requiresGrad: true });
const W1 = randn([30, 200], { generator: g, requiresGrad: true });
const b1 = randn([200], { generator: g, requiresGrad: true });
const W2 = randn([200, 27], { generator: g, requiresGrad: true });
const b2 = randn([27], { generator: g, requiresGrad: true });
const params = [C, W1, b1, W2, b2];
const X = randint(0, 27, [batch, 3], { generator: g });
const Y = randint(0, 27, [batch], { generator: g });
const step = () => {
  engine.zeroGrad(params);
  const h = C.index(X).view(-1, 30).matmul(W1).add(b1).tanh();
  const loss = h.matmul(W2).add(b2).logSoftmax(1).index(arange(batch), Y).mean().neg();
  loss.backward();
  noGrad(() => {
    for (const p of params) p.sub_(p.grad as Tensor, { alpha: 0.01 });
  });
};
const n = Number(process.argv[5] ?? 3000);
const captured =
  how === 'captured'
    ? engine.captureStep(() => {
        step();
      }, [])
    : null;
if (captured && process.env.SHOW_TAPE) console.log(captured.kernels.join(' '));
const run = captured ? () => captured.replay() : useTidy ? () => engine.tidy(step) : step;
for (let i = 0; i < 20; i++) run();
const t0 = performance.now();
for (let i = 0; i < n; i++) run();
const rate = ((n / (performance.now() - t0)) * 1000).toFixed(0);
const stolen = threads > 1 ? ` (${stolenParts()} parts taken back from a late worker)` : '';
console.log(mode, batch, how, `${threads} thread(s)`, rate, `steps/s${stolen}`);
await stopWasmThreads();
