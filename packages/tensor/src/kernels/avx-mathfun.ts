/**
 * Float32 log, sin and cos exactly as PyTorch's AVX2 `normal_fill_16_AVX2` computes them (Julien
 * Pommier's avx_mathfun: Cephes polynomials evaluated in single precision). GCC contracts its
 * multiply-then-add pairs into fused multiply-adds, so those steps are `fma` here. Every intermediate
 * is rounded to float32, so `randn` of 16 or more float32 elements reproduces PyTorch's CPU values.
 */
const f = Math.fround;
/** Single-precision fused multiply-add: a·b is exact in double for float32 inputs, then one rounding. */
const fma = (a: number, b: number, c: number): number => Math.fround(a * b + c);
const buf = new ArrayBuffer(4);
const asFloat = new Float32Array(buf);
const asInt = new Int32Array(buf);

function bitsOf(x: number): number {
  asFloat[0] = x;
  return asInt[0];
}

function floatOf(bits: number): number {
  asInt[0] = bits;
  return asFloat[0];
}

const MIN_NORM_POS = floatOf(0x00800000);
const SQRTHF = f(Math.SQRT1_2);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f);
const LOG_Q1 = f(-2.1219444e-4);
const LOG_Q2 = f(0.693359375);

/** log256_ps for one lane. */
export function logf(v: number): number {
  if (!(v > 0)) return v === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  let x = f(Math.max(f(v), MIN_NORM_POS));
  const bits = bitsOf(x);
  let e = f((bits >>> 23) - 0x7f + 1);
  x = floatOf((bits & ~0x7f800000) | 0x3f000000); // mantissa in [0.5, 1)
  const below = x < SQRTHF;
  const tmp = below ? x : 0;
  x = f(x - 1);
  if (below) e = f(e - 1);
  x = f(x + tmp);
  const z = f(x * x);
  let y = LOG_P[0];
  for (let i = 1; i < 9; i++) y = fma(y, x, LOG_P[i]);
  y = f(y * x);
  y = fma(y, z, f(e * LOG_Q1));
  y = fma(-z, 0.5, y);
  x = f(x + y);
  return fma(e, LOG_Q2, x);
}

const FOPI = f(1.27323954473516);
const DP1 = f(-0.78515625);
const DP2 = f(-2.4187564849853516e-4);
const DP3 = f(-3.774894977445941e-8);
const COS_P0 = f(2.443315711809948e-5);
const COS_P1 = f(-1.388731625493765e-3);
const COS_P2 = f(4.166664568298827e-2);
const SIN_P0 = f(-1.9515295891e-4);
const SIN_P1 = f(8.3321608736e-3);
const SIN_P2 = f(-1.6666654611e-1);

/** sincos256_ps for one lane: returns [sin, cos] of a float32 angle. */
export function sincosf(v: number): [number, number] {
  let x = f(v);
  const sinNegative = x < 0 || Object.is(x, -0);
  x = Math.abs(x);
  let y = f(x * FOPI);
  let j = Math.trunc(y);
  j = (j + 1) & ~1;
  y = f(j);
  const swapSin = (j & 4) !== 0;
  const usePolySin = (j & 2) !== 0;
  x = fma(y, DP3, fma(y, DP2, fma(y, DP1, x)));
  const cosNegative = (~(j - 2) & 4) !== 0;
  const z = f(x * x);
  let c = COS_P0;
  c = fma(c, z, COS_P1);
  c = fma(c, z, COS_P2);
  c = fma(f(c * z), z, -f(z * 0.5));
  c = f(c + 1);
  let s = SIN_P0;
  s = fma(s, z, SIN_P1);
  s = fma(s, z, SIN_P2);
  s = fma(f(s * z), x, x);
  // poly_mask selects the sine polynomial for sin when (j & 2) == 0.
  let sinValue = usePolySin ? c : s;
  let cosValue = usePolySin ? s : c;
  if (sinNegative !== swapSin) sinValue = -sinValue;
  if (cosNegative) cosValue = -cosValue;
  return [sinValue, cosValue];
}
