// GFLOPS of the wasm float32 matmul on operands already in the kernel memory (zero-copy: what a
// backend with wasm-resident storage sees), plain SIMD and relaxed SIMD, one and two threads, and
// the size from which two threads pay:
//   npx tsx packages/tensor/scripts/wasm-matmul.ts
// Prints the load average beside the numbers: on a shared machine compare within one run.
import os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import {
  allocateInWasm,
  loadWasmBackend,
  startWasmThreads,
  stopWasmThreads,
  wasmFeatures,
} from '../src/kernels/wasm/index.js';

if (!wasmFeatures().relaxedSimd) setFlagsFromString('--experimental-wasm-relaxed-simd');

function operands(n: number): [Float32Array, Float32Array, Float32Array] {
  const a = allocateInWasm('float32', n * n) as Float32Array;
  const b = allocateInWasm('float32', n * n) as Float32Array;
  const c = allocateInWasm('float32', n * n, { zeroed: false }) as Float32Array;
  for (let i = 0; i < n * n; i++) {
    a[i] = Math.sin(i);
    b[i] = Math.cos(i);
  }
  return [a, b, c];
}

/** Median GFLOPS over `rounds` timed batches of calls lasting ~`seconds` in all. */
function gflops(run: () => void, n: number, seconds = 0.6, rounds = 7): number {
  run();
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    while (performance.now() - start < (seconds * 1000) / rounds) {
      run();
      calls++;
    }
    per.push((2 * n ** 3 * calls) / ((performance.now() - start) / 1000) / 1e9);
  }
  return per.sort((x, y) => x - y)[Math.floor(rounds / 2)];
}

const load = () => os.loadavg()[0].toFixed(1);
const plain = loadWasmBackend({ relaxedSimd: false });
const relaxed = loadWasmBackend({ relaxedSimd: true });
if ('error' in plain || 'error' in relaxed) throw new Error('wasm backend unavailable');

console.log(`n      simd  relaxed  relaxed×2  simd×2   (load average at start of row)`);
for (const n of [64, 96, 128, 192, 256, 384, 512, 1024]) {
  const [a, b, c] = operands(n);
  const call = (backend: typeof plain) => () =>
    backend.matmul(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, false);
  const row = [`${n}`.padEnd(6), `(${load()})`];
  const one = [gflops(call(plain), n), gflops(call(relaxed), n)];
  await startWasmThreads(2, { minMacs: 1 });
  const two = [gflops(call(relaxed), n), gflops(call(plain), n)];
  await stopWasmThreads();
  console.log(
    `${row[0]}${[...one, ...two].map((g) => g.toFixed(1).padStart(7)).join('  ')}   ${row[1]}`,
  );
}
