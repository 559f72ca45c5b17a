// Elementwise float32 kernels that give exactly the js kernels' numbers: SIMD where float32
// arithmetic equals JavaScript's (a double operation rounded to float32 is the float32 operation for
// + − × ÷ and √, whose double rounding is innocuous), float64 where the js kernel computes in double
// (tanh, the backward of tanh), in the same order of operations.
import { tanh, tanhx2 } from './math';
import { narrow, wide } from './rows';
import {
  EXP,
  GELU_TANH,
  geluTanhF32,
  LOG,
  SIGMOID,
  TANH,
  TANH_F32,
  tanhF32,
  transcendentalF32,
} from './transcendental';

// Unary op codes (the wrapper's table in src/kernels/wasm/elementwise.ts must match).
const NEG = 0;
const ABS = 1;
const RELU = 2;
const SQRT = 3;
const SQUARE = 4;
const RECIPROCAL = 5;
const SIGN = 6;
const COPY = 7;
// TANH = 8, EXP = 9, LOG = 10, SIGMOID = 11: transcendental.ts.

function unaryVector(op: i32, v: v128): v128 {
  switch (op) {
    case NEG:
      return f32x4.neg(v);
    case ABS:
      return f32x4.abs(v);
    case RELU:
      // Math.max(v, 0): NaN stays NaN, −0 becomes +0 — as wasm's max.
      return f32x4.max(v, f32x4.splat(0));
    case SQRT:
      return f32x4.sqrt(v);
    case SQUARE:
      return f32x4.mul(v, v);
    case RECIPROCAL:
      return f32x4.div(f32x4.splat(1), v);
    case SIGN:
      // 1, −1, or 0 (NaN and ±0 give +0, as the js kernel's comparisons do).
      return v128.or(
        v128.and(f32x4.gt(v, f32x4.splat(0)), f32x4.splat(1)),
        v128.and(f32x4.lt(v, f32x4.splat(0)), f32x4.splat(-1)),
      );
    default:
      return v;
  }
}

function unaryScalar(op: i32, v: f32): f32 {
  switch (op) {
    case NEG:
      return -v;
    case ABS:
      return Mathf.abs(v);
    case RELU:
      // biome-ignore lint/suspicious/noGlobalIsNan: AssemblyScript's typed builtin, not JavaScript's.
      return isNaN(v) ? v : v > 0 ? v : 0;
    case SQRT:
      return Mathf.sqrt(v);
    case SQUARE:
      return v * v;
    case RECIPROCAL:
      return 1 / v;
    case SIGN:
      return v > 0 ? 1 : v < 0 ? -1 : 0;
    case COPY:
      return v;
    default:
      return v;
  }
}

/** out[i] = op(x[i]) for i < n (float32, contiguous; out may be x). */
export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  if (op === TANH || op === EXP || op === LOG || op === SIGMOID) {
    transcendentalF32(op, x, out, n);
    return;
  }
  if (op === TANH_F32) {
    tanhF32(x, out, n);
    return;
  }
  if (op === GELU_TANH) {
    geluTanhF32(x, out, n);
    return;
  }
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(out + at, unaryVector(op, v128.load(x + at)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    store<f32>(out + at, unaryScalar(op, load<f32>(x + at)));
  }
}

/** dx[i] = dy[i]·(1 − y[i]·y[i]) in float64, as the js kernel computes it, for i < n (float32). */
export function tanhBackwardF32(dy: usize, y: usize, dx: usize, n: i32): void {
  let i = 0;
  const one = f64x2.splat(1);
  for (; i + 2 <= n; i += 2) {
    const at = (<usize>i) << 2;
    const yv = f64x2.promote_low_f32x4(v128.load64_zero(y + at));
    const gv = f64x2.promote_low_f32x4(v128.load64_zero(dy + at));
    const r = f64x2.mul(gv, f64x2.sub(one, f64x2.mul(yv, yv)));
    v128.store64_lane(dx + at, f32x4.demote_f64x2_zero(r), 0);
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = <f64>load<f32>(y + at);
    store<f32>(dx + at, <f32>(<f64>load<f32>(dy + at) * (1 - v * v)));
  }
}

/** out[i] = tanh(x[i]) over float64 arrays through math.ts's exact two-lane path (for the tests). */
export function tanhF64Array(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = (<usize>i) << 3;
    v128.store(out + at, tanhx2(v128.load(x + at)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 3;
    store<f64>(out + at, tanh(load<f64>(x + at)));
  }
}

/**
 * out[o, i] = Σ_r x[(o·size + r)·inner + i] for inner > 1, float32 in and out, summed in float64 in
 * r order — the js kernel's order and precision, so the result is identical. Sixteen columns at a
 * time in f64x2 accumulators, then eight, each pair widened straight from memory.
 */
export function sumDimF32(x: usize, outer: i32, size: i32, inner: i32, out: usize): void {
  const pitch = (<usize>inner) << 2;
  for (let o = 0; o < outer; o++) {
    const base = x + ((<usize>(o * size * inner)) << 2);
    const ob = out + ((<usize>(o * inner)) << 2);
    let i = 0;
    // Sixteen columns (a 64-byte line of each row) per walk down the rows, then eight.
    for (; i + 16 <= inner; i += 16) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let a4 = f64x2.splat(0);
      let a5 = f64x2.splat(0);
      let a6 = f64x2.splat(0);
      let a7 = f64x2.splat(0);
      let p = base + ((<usize>i) << 2);
      for (let r = 0; r < size; r++) {
        a0 = f64x2.add(a0, wide(p));
        a1 = f64x2.add(a1, wide(p + 8));
        a2 = f64x2.add(a2, wide(p + 16));
        a3 = f64x2.add(a3, wide(p + 24));
        a4 = f64x2.add(a4, wide(p + 32));
        a5 = f64x2.add(a5, wide(p + 40));
        a6 = f64x2.add(a6, wide(p + 48));
        a7 = f64x2.add(a7, wide(p + 56));
        p += pitch;
      }
      const at = ob + ((<usize>i) << 2);
      v128.store(at, narrow(a0, a1));
      v128.store(at, narrow(a2, a3), 16);
      v128.store(at, narrow(a4, a5), 32);
      v128.store(at, narrow(a6, a7), 48);
    }
    for (; i + 8 <= inner; i += 8) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let p = base + ((<usize>i) << 2);
      for (let r = 0; r < size; r++) {
        // Widened straight from memory: one instruction per pair (rows.ts's `wide`).
        a0 = f64x2.add(a0, wide(p));
        a1 = f64x2.add(a1, wide(p + 8));
        a2 = f64x2.add(a2, wide(p + 16));
        a3 = f64x2.add(a3, wide(p + 24));
        p += pitch;
      }
      const at = ob + ((<usize>i) << 2);
      v128.store(
        at,
        i32x4.shuffle(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 1, 4, 5),
      );
      v128.store(
        at,
        i32x4.shuffle(f32x4.demote_f64x2_zero(a2), f32x4.demote_f64x2_zero(a3), 0, 1, 4, 5),
        16,
      );
    }
    for (; i < inner; i++) {
      let acc: f64 = 0;
      let p = base + ((<usize>i) << 2);
      for (let r = 0; r < size; r++) {
        acc += <f64>load<f32>(p);
        p += pitch;
      }
      store<f32>(ob + ((<usize>i) << 2), <f32>acc);
    }
  }
}
