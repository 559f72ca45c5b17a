// Accuracy and speed of the wasm float32 transcendental kernels (tanh, exp, log, sigmoid) against
// JavaScript's Math functions rounded to float32 (what the js backend computes):
//   npx tsx packages/tensor/scripts/wasm-accuracy.ts [stride] [--tanh-all]
// For each function: the largest distance in ulps over every `stride`-th float32 bit pattern (all
// of them with stride 1; default 97) plus 10^7 random values in the range that matters, how many
// results differ from js at all, and ns per element of both (arrays of 2^16, in wasm memory).
// `--tanh-all` also checks tanh on every float32 in [0, 11) (1.09 billion; tanh is odd and is 1
// beyond 9.01), and times the float64-lane tanh (kernel op 8) beside the float32-lane one.
import { type UnaryOp, unaryContiguous } from '../src/kernels/elementwise.js';
import { allocateInWasm, loadWasmBackend } from '../src/kernels/wasm/index.js';
import { loadKernels } from '../src/kernels/wasm/runtime.js';

const stride = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 97);
const tanhAll = process.argv.includes('--tanh-all');
const backend = loadWasmBackend({ relaxedSimd: false });
if ('error' in backend) throw new Error(backend.error);

/** Maps float32 bits to integers ordered like the floats, so ulp distance is a subtraction. */
function ordered(bits: number): number {
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

const CHUNK = 1 << 20;
const x = allocateInWasm('float32', CHUNK) as Float32Array;
const got = allocateInWasm('float32', CHUNK) as Float32Array;
const want = new Float32Array(CHUNK);
const xBits = new Int32Array(x.buffer, x.byteOffset, CHUNK);
const gotBits = new Int32Array(got.buffer, got.byteOffset, CHUNK);
const wantBits = new Int32Array(want.buffer);

interface Tally {
  maxUlp: number;
  worstX: number;
  differ: number;
  total: number;
}

function check(op: UnaryOp, n: number, tally: Tally): void {
  backend.unaryContiguous(op, x, 0, got, n);
  unaryContiguous(op, x, 0, want, n);
  for (let i = 0; i < n; i++) {
    if (gotBits[i] === wantBits[i]) continue;
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(g) && Number.isNaN(w)) continue;
    tally.differ++;
    const ulp =
      Number.isNaN(g) || Number.isNaN(w)
        ? Infinity
        : Math.abs(ordered(gotBits[i]) - ordered(wantBits[i]));
    if (ulp > tally.maxUlp) {
      tally.maxUlp = ulp;
      tally.worstX = x[i];
    }
  }
  tally.total += n;
}

const RANGES: Record<string, [number, number]> = {
  tanh: [-10, 10],
  exp: [-104, 89],
  log: [0, 1e4],
  sigmoid: [-20, 20],
};

for (const op of ['tanh', 'exp', 'log', 'sigmoid'] as UnaryOp[]) {
  const all: Tally = { maxUlp: 0, worstX: 0, differ: 0, total: 0 };
  let n = 0;
  for (let b = 0; b < 2 ** 32; b += stride) {
    xBits[n++] = b | 0;
    if (n === CHUNK) {
      check(op, n, all);
      n = 0;
    }
  }
  if (n > 0) check(op, n, all);
  const random: Tally = { maxUlp: 0, worstX: 0, differ: 0, total: 0 };
  const [lo, hi] = RANGES[op];
  let seed = 12345;
  for (let done = 0; done < 1e7; done += CHUNK) {
    const m = Math.min(CHUNK, 1e7 - done);
    for (let i = 0; i < m; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      x[i] = lo + ((hi - lo) * seed) / 2 ** 32;
    }
    check(op, m, random);
  }
  // Speed: ns per element on 2^16 ordinary values.
  const m = 1 << 16;
  for (let i = 0; i < m; i++) x[i] = lo + ((hi - lo) * i) / m;
  const time = (f: () => void): number => {
    for (let r = 0; r < 20; r++) f();
    const runs: number[] = [];
    for (let r = 0; r < 30; r++) {
      const t = performance.now();
      f();
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    return (runs[15] * 1e6) / m;
  };
  const wasmNs = time(() => backend.unaryContiguous(op, x, 0, got, m));
  const jsNs = time(() => unaryContiguous(op, x, 0, want, m));
  console.log(
    `${op.padEnd(8)} every ${stride}th float32 (${all.total}): max ${all.maxUlp} ulp (at ${all.worstX}), ${all.differ} differ from js; ` +
      `1e7 random in [${lo}, ${hi}]: max ${random.maxUlp} ulp, ${random.differ} differ; ` +
      `${wasmNs.toFixed(2)} ns/element wasm vs ${jsNs.toFixed(2)} js`,
  );
}

if (tanhAll) {
  const all: Tally = { maxUlp: 0, worstX: 0, differ: 0, total: 0 };
  let n = 0;
  for (let b = 0; b < 0x41300000; b++) {
    xBits[n++] = b;
    if (n === CHUNK) {
      check('tanh', n, all);
      n = 0;
    }
  }
  if (n > 0) check('tanh', n, all);
  console.log(
    `tanh     every float32 in [0, 11) (${all.total}): max ${all.maxUlp} ulp (at ${all.worstX}), ${all.differ} differ from js (${((100 * all.differ) / all.total).toFixed(2)}%)`,
  );
  const kernels = loadKernels(false);
  if ('error' in kernels) throw new Error(kernels.error);
  const m = 1 << 16;
  for (let i = 0; i < m; i++) x[i] = -10 + (20 * i) / m;
  const ns = (op: number): number => {
    for (let r = 0; r < 20; r++) kernels.unaryF32(op, x.byteOffset, got.byteOffset, m);
    const runs: number[] = [];
    for (let r = 0; r < 31; r++) {
      const t = performance.now();
      kernels.unaryF32(op, x.byteOffset, got.byteOffset, m);
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    return (runs[15] * 1e6) / m;
  };
  console.log(
    `tanh     ns/element: float32 lanes ${ns(12).toFixed(2)}, float64 lanes ${ns(8).toFixed(2)}`,
  );
}
