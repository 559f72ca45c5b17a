// Fast float32 exp, log, tanh and sigmoid, vectorised. Each float32 lane is widened to float64 and
// evaluated there with short polynomials whose error (< 1e-12 relative) is far below float32's
// half-ulp (3e-8), then rounded once to float32. So every result is within 1 ulp of the true value
// and is, nearly always, the correctly rounded float32 — the same number as JavaScript's
// `Math.fround(Math.tanh(x))` except where the exact value lies within ~1e-12 of a rounding boundary
// between two floats (measured: a few inputs per million; see the tests and scripts/ulp.mjs).
//
// Why float64 lanes rather than a float32 polynomial: a float32 tanh/exp (Sleef's, PyTorch's) has
// 1–2 ulp of error everywhere and differs from the js backend on a large fraction of inputs; the
// widened evaluation costs two f64x2 chains per f32x4 but keeps the two backends in near-perfect
// agreement, and the kernels are still several times faster than V8's scalar Math functions.
//
// The ranges: every float32 input, including ±0, ±Infinity, NaN and subnormals (which are normal
// numbers in float64, so no special path is needed for them).

// ln 2 split so that k·LN2_HI is exact for |k| < 2^11 (fdlibm's ln2_hi / ln2_lo).
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LN2: f64 = 0.6931471805599453;
const LOG2E: f64 = 1.4426950408889634;
const SQRT2: f64 = 1.4142135623730951;

// Taylor coefficients 1/n! of expm1(r) = r + r²·(1/2! + r/3! + … + r⁸/10!). On |r| ≤ ln2/2 the
// truncation error is below r¹¹/11! ≈ 6e-13·|r| (relative to expm1(r) ≈ r).
const E2: f64 = 1.0 / 2;
const E3: f64 = 1.0 / 6;
const E4: f64 = 1.0 / 24;
const E5: f64 = 1.0 / 120;
const E6: f64 = 1.0 / 720;
const E7: f64 = 1.0 / 5040;
const E8: f64 = 1.0 / 40320;
const E9: f64 = 1.0 / 362880;
const E10: f64 = 1.0 / 3628800;

// atanh series of log: log(m) = 2s·(1 + s²/3 + s⁴/5 + … + s¹⁴/15), s = (m − 1)/(m + 1), |s| ≤ 0.1716
// for m in [√½, √2): truncation error below s¹⁶/17 ≈ 3e-14 relative.
const L3: f64 = 1.0 / 3;
const L5: f64 = 1.0 / 5;
const L7: f64 = 1.0 / 7;
const L9: f64 = 1.0 / 9;
const L11: f64 = 1.0 / 11;
const L13: f64 = 1.0 / 13;
const L15: f64 = 1.0 / 15;

@inline
function mul(a: v128, b: v128): v128 {
  return f64x2.mul(a, b);
}

@inline
function add(a: v128, b: v128): v128 {
  return f64x2.add(a, b);
}

@inline
function k(x: f64): v128 {
  return f64x2.splat(x);
}

/**
 * The shared core: for y in [−160·ln2, 130·ln2] (callers clamp), returns 2^k and p = expm1(r) with
 * y = k·ln2 + r, |r| ≤ ln2/2, so that exp(y) = 2^k·(1 + p) and expm1(y) = 2^k·p + (2^k − 1).
 */
@inline
function expParts(y: v128, scale: v128): v128 {
  const t = f64x2.nearest(mul(y, k(LOG2E)));
  const r = f64x2.sub(f64x2.sub(y, mul(t, k(LN2_HI))), mul(t, k(LN2_LO)));
  let q = add(k(E9), mul(r, k(E10)));
  q = add(k(E8), mul(r, q));
  q = add(k(E7), mul(r, q));
  q = add(k(E6), mul(r, q));
  q = add(k(E5), mul(r, q));
  q = add(k(E4), mul(r, q));
  q = add(k(E3), mul(r, q));
  q = add(k(E2), mul(r, q));
  const p = add(r, mul(mul(r, r), q));
  // 2^t: the exponent field (t + 1023) << 52, t an integer in [−160, 130].
  const ti = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(t));
  const s = i64x2.shl(i64x2.add(ti, i64x2.splat(1023)), 52);
  // `scale` picks the result: all ones → exp(y) = s + s·p; zero → expm1(y) = s·p + (s − 1).
  const sp = mul(s, p);
  return v128.bitselect(add(sp, s), add(sp, f64x2.sub(s, k(1))), scale);
}

/** exp(x) per lane, x a float32 widened to float64; NaN stays NaN, overflow/underflow as float32's. */
@inline
export function expLanes(x: v128): v128 {
  // exp(−110) and exp(90) are already 0 and ∞ in float32 (whose range ends near ±88.7 / −103.9).
  // Below −110 the result is exactly 0 (as float32's, and so that exp(−∞) adds nothing to a float64
  // sum: a row of −∞ in softmax must give 0/0 = NaN, as js).
  const y = f64x2.min(f64x2.max(x, k(-110)), k(90));
  return v128.andnot(expParts(y, i64x2.splat(-1)), f64x2.lt(x, k(-110)));
}

/** tanh(x) = −expm1(−2|x|) / (expm1(−2|x|) + 2), with x's sign; |x| ≥ 20 gives ±1. */
@inline
export function tanhLanes(x: v128): v128 {
  const a = f64x2.min(f64x2.abs(x), k(20));
  const m = expParts(mul(a, k(-2)), i64x2.splat(0));
  const z = f64x2.div(f64x2.neg(m), add(m, k(2)));
  // z ≥ 0 (or NaN); tanh is odd: give it x's sign (so tanh(−0) = −0).
  return v128.or(f64x2.abs(z), v128.and(x, k(-0.0)));
}

/** sigmoid(x) = 1 / (1 + e^−x) for x ≥ 0, e^x / (1 + e^x) below: e = exp(−|x|) ≤ 1 never overflows. */
@inline
export function sigmoidLanes(x: v128): v128 {
  const a = f64x2.min(f64x2.abs(x), k(120));
  const e = expParts(f64x2.neg(a), i64x2.splat(-1));
  const numerator = v128.bitselect(k(1), e, f64x2.ge(x, k(0)));
  return f64x2.div(numerator, add(k(1), e));
}

/** log(x): x = m·2^e with m in [√½, √2), log x = e·ln2 + 2·atanh((m − 1)/(m + 1)). */
@inline
export function logLanes(x: v128): v128 {
  const bits = x;
  let e = i64x2.sub(i64x2.shr_u(bits, 52), i64x2.splat(1023));
  let m = v128.or(v128.and(bits, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const high = f64x2.gt(m, k(SQRT2));
  m = v128.bitselect(mul(m, k(0.5)), m, high);
  e = i64x2.sub(e, high); // a true lane is −1: e + 1
  const s = f64x2.div(f64x2.sub(m, k(1)), add(m, k(1)));
  const s2 = mul(s, s);
  let q = add(k(L13), mul(s2, k(L15)));
  q = add(k(L11), mul(s2, q));
  q = add(k(L9), mul(s2, q));
  q = add(k(L7), mul(s2, q));
  q = add(k(L5), mul(s2, q));
  q = add(k(L3), mul(s2, q));
  const twoS = add(s, s);
  const logm = add(twoS, mul(mul(twoS, s2), q));
  const ef = f64x2.convert_low_i32x4_s(i32x4.shuffle(e, e, 0, 2, 0, 2));
  const value = add(mul(ef, k(LN2)), logm);
  // 0 < x < ∞ uses the formula; log(±0) = −∞, log(∞) = ∞, log(x < 0) = log(NaN) = NaN.
  const finitePositive = v128.and(f64x2.gt(x, k(0)), f64x2.lt(x, k(Infinity)));
  const special = v128.bitselect(
    k(-Infinity),
    v128.bitselect(k(Infinity), k(NaN), f64x2.eq(x, k(Infinity))),
    f64x2.eq(x, k(0)),
  );
  return v128.bitselect(value, special, finitePositive);
}

// Op codes shared with unaryF32 (elementwise.ts).
export const TANH = 8;
export const EXP = 9;
export const LOG = 10;
export const SIGMOID = 11;

@inline
function lanes(op: i32, x: v128): v128 {
  if (op === TANH) return tanhLanes(x);
  if (op === EXP) return expLanes(x);
  if (op === LOG) return logLanes(x);
  return sigmoidLanes(x);
}

/** Four float32 lanes through `op` in two float64 halves. */
@inline
function four(op: i32, v: v128): v128 {
  const low = f32x4.demote_f64x2_zero(lanes(op, f64x2.promote_low_f32x4(v)));
  const high = f32x4.demote_f64x2_zero(
    lanes(op, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))),
  );
  return i32x4.shuffle(low, high, 0, 1, 4, 5);
}

/**
 * out[i] = op(x[i]) for i < n, float32, `op` one of TANH, EXP, LOG, SIGMOID. Eight floats (four
 * independent f64x2 chains) per iteration to hide the latency of the polynomial and the division;
 * the tail goes through the same lane code, so a value's result never depends on its position.
 */
@inline
function transcendentalLoop(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const at = (<usize>i) << 2;
    const a = v128.load(x + at);
    const b = v128.load(x + at, 16);
    v128.store(out + at, four(op, a));
    v128.store(out + at, four(op, b), 16);
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = f64x2.splat(<f64>load<f32>(x + at));
    store<f32>(out + at, <f32>f64x2.extract_lane(lanes(op, v), 0));
  }
}

/** The four loops, each specialised on its op (the `if` chain in `lanes` folds away). */
export function transcendentalF32(op: i32, x: usize, out: usize, n: i32): void {
  if (op === TANH) transcendentalLoop(TANH, x, out, n);
  else if (op === EXP) transcendentalLoop(EXP, x, out, n);
  else if (op === LOG) transcendentalLoop(LOG, x, out, n);
  else transcendentalLoop(SIGMOID, x, out, n);
}

// ── tanh in float32 lanes (TANH_F32 = 12) ──────────────────────────────────────────────────────
// Four lanes per f32x4 instead of two per f64x2: about twice as fast, within 1 ulp of the correctly
// rounded tanh but not always the same float as js (measured by scripts/wasm-accuracy.ts).
//   |x| < 1:  tanh x = x + x·u·P(u), u = x², P of degree 6 (a near-minimax fit on [0, 1],
//             coefficients rounded to float32: relative error 7e-9, an eighth of an ulp)
//   |x| ≥ 1:  tanh |x| = 1 − 2/(1 + E), E = exp(2|x|) in float32 (|x| clamped to 10, where tanh is
//             1 in float32 anyway): the subtracted term is ≤ 0.24, so its few-ulp error is < 0.6 ulp
//             of the result.

export const TANH_F32 = 12;

const P0: f32 = -0.33333292603492737;
const P1: f32 = 0.13332301378250122;
const P2: f32 = -0.05387718230485916;
const P3: f32 = 0.02147918939590454;
const P4: f32 = -0.007935226894915104;
const P5: f32 = 0.0022935119923204184;
const P6: f32 = -0.0003562249185051769;
// ln 2 = LN2F_HI + LN2F_LO with LN2F_HI exact in 9 bits (k·LN2F_HI exact for |k| < 2^15).
const LN2F_HI: f32 = 0.693359375;
const LN2F_LO: f32 = -2.12194440e-4;
const LOG2EF: f32 = 1.44269504;
const MAGIC: f32 = 12582912.0; // 1.5·2^23: adding it rounds to an integer, kept in the low bits
const MAGIC_BITS: i32 = 0x4b400000;

@inline
function fs(x: f32): v128 {
  return f32x4.splat(x);
}

/**
 * a·b + c in float32 lanes: fused (one rounding) in the relaxed-SIMD build, where the hardware has
 * FMA — the polynomials' error only shrinks — and a multiply then an add in the plain build.
 */
@inline
function fma32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** c − a·b in float32 lanes, fused in the relaxed build as `fma32`. */
@inline
function fnma32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
  return f32x4.sub(c, f32x4.mul(a, b));
}

/** The Cody–Waite reduction r = (c − t·ln2_hi) − t·ln2_lo (fused in the relaxed build). */
@inline
function reduceLn2(c: v128, t: v128): v128 {
  return fnma32(t, fs(LN2F_LO), fnma32(t, fs(LN2F_HI), c));
}

/** e^r = 1 + r + r²·P(r) from P = P(r) (fused in the relaxed build). */
@inline
function expFromPoly(r: v128, p: v128): v128 {
  return f32x4.add(fma32(f32x4.mul(r, r), p, r), fs(1));
}

/** exp(y) for y in [0, 20] in float32 lanes: y = k·ln2 + r, |r| ≤ ln2/2, degree-7 Taylor, ×2^k. */
@inline
function expSmallF32(y: v128): v128 {
  // t = nearest(y·log2e) by adding 1.5·2^23 (ties to even, as f32x4.nearest): the sum's low bits
  // are t as an integer, which saves a float → int conversion (several instructions in V8).
  const j = f32x4.add(f32x4.mul(y, fs(LOG2EF)), fs(MAGIC));
  const t = f32x4.sub(j, fs(MAGIC));
  const r = f32x4.sub(f32x4.sub(y, f32x4.mul(t, fs(LN2F_HI))), f32x4.mul(t, fs(LN2F_LO)));
  let p = fma32(r, fs(1.0 / 5040), fs(1.0 / 720));
  p = fma32(r, p, fs(1.0 / 120));
  p = fma32(r, p, fs(1.0 / 24));
  p = fma32(r, p, fs(1.0 / 6));
  p = fma32(r, p, fs(0.5));
  p = fma32(r, p, fs(1));
  p = fma32(r, p, fs(1));
  // ×2^t: add t to the exponent field (t in [0, 29], the result stays normal).
  return i32x4.add(p, i32x4.shl(i32x4.sub(j, i32x4.splat(MAGIC_BITS)), 23));
}

@inline
export function tanhF32Lanes(x: v128): v128 {
  const a = f32x4.abs(x);
  // Small: x + x·u·P(u), on |x| (the sign goes back at the end).
  const u = f32x4.mul(a, a);
  let q = fma32(u, fs(P6), fs(P5));
  q = fma32(u, q, fs(P4));
  q = fma32(u, q, fs(P3));
  q = fma32(u, q, fs(P2));
  q = fma32(u, q, fs(P1));
  q = fma32(u, q, fs(P0));
  const small = fma32(f32x4.mul(a, u), q, a);
  // Large: 1 − 2/(1 + exp(2|x|)).
  // pmin (one instruction; f32x4.min's NaN handling costs six): 10 < a ? 10 : a keeps a NaN a.
  const e = expSmallF32(f32x4.mul(f32x4.pmin(a, fs(10)), fs(2)));
  const large = f32x4.sub(fs(1), f32x4.div(fs(2), f32x4.add(e, fs(1))));
  // NaN: a ≥ 1 is false, so small (NaN through the arithmetic) is taken — not large, whose
  // exponent is built with integer adds that can turn a NaN's bits into a number.
  const z = v128.bitselect(large, small, f32x4.ge(a, fs(1)));
  return v128.or(z, v128.and(x, fs(-0.0)));
}

/** out[i] = tanh(x[i]) in float32 lanes, eight floats per iteration. */
export function tanhF32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const at = (<usize>i) << 2;
    v128.store(out + at, tanhF32Lanes(v128.load(x + at)));
    v128.store(out + at, tanhF32Lanes(v128.load(x + at, 16)), 16);
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    store<f32>(out + at, f32x4.extract_lane(tanhF32Lanes(f32x4.splat(load<f32>(x + at))), 0));
  }
}

// ── exp in float32 lanes, for softmax and cross-entropy ────────────────────────────────────────
// exp(y + lo) for y a float32 lane and lo a small correction (the rounding error of y = x − m, so
// that the shift costs no accuracy), four lanes per f32x4, about six times faster than the
// float64-lane exp. As Cephes' expf: y = t·ln2 + r with |r| ≤ ln2/2 (Cody–Waite, ln2 in two
// parts), e^r = 1 + r + r²·P(r), then ×2^t in two factors 2^t1·2^t2 (t1 = t >> 1) so that results
// down to the subnormals are rounded once; P of degree 4 (below) where Cephes has 5. Error: within
// 1 ulp of Math.exp rounded to float32 (asserted in the tests on every 1021st float32 in
// [−104, 89], subnormals included). y is clamped to [−104, 88.8]: below, exactly 0 (also for −∞);
// above, +∞; NaN stays NaN.

// P(r) = R0 + R1·r + R2·r² + R3·r³ + R4·r⁴ on |r| ≤ ln2/2: a near-minimax fit (Lawson's iteratively
// reweighted least squares on e^r's relative error, coefficients rounded to float32). Evaluated in
// float32, 1 + r + r²·P(r) is within 6.7e-8 relative of e^r — as Cephes' degree-5 P (6.5e-8) —
// with one multiply-add fewer.
const R0: f32 = 0.4999999403953552;
const R1: f32 = 0.1666652113199234;
const R2: f32 = 0.04166838899254799;
const R3: f32 = 0.008368710055947304;
const R4: f32 = 0.001381461275741458;

@inline
export function expF32Lanes(y: v128, lo: v128): v128 {
  // pmax / pmin keep a NaN y (the comparison is false) and compile to one instruction each.
  const c = f32x4.pmin(f32x4.pmax(y, fs(-104)), fs(88.8));
  const j = f32x4.add(f32x4.mul(c, fs(LOG2EF)), fs(MAGIC));
  const t = f32x4.sub(j, fs(MAGIC));
  const ti = i32x4.sub(j, i32x4.splat(MAGIC_BITS));
  const r = f32x4.add(reduceLn2(c, t), lo);
  let p = fma32(r, fs(R4), fs(R3));
  p = fma32(r, p, fs(R2));
  p = fma32(r, p, fs(R1));
  p = fma32(r, p, fs(R0));
  const e = expFromPoly(r, p);
  const t1 = i32x4.shr_s(ti, 1);
  const s1 = i32x4.shl(i32x4.add(t1, i32x4.splat(127)), 23);
  // y ≤ −104 (−∞ included: a masked attention weight) gives exactly 0; zeroing the second factor
  // there avoids an underflow through the subnormals, which costs a microcode assist per lane on
  // x86 (a causally masked softmax ran 2× slower than an unmasked one).
  const s2 = v128.andnot(
    i32x4.shl(i32x4.add(i32x4.sub(ti, t1), i32x4.splat(127)), 23),
    f32x4.le(y, fs(-104)),
  );
  return f32x4.mul(f32x4.mul(e, s1), s2);
}

/**
 * exp(x − m) for float32 lanes x and a splatted shift m, with the subtraction's rounding error
 * carried into the exponential (two-sum), so the result is as accurate as exp of the exact
 * difference. An infinite difference has no error term (it would be NaN): −∞ gives 0.
 */
@inline
export function expShiftedF32Lanes(x: v128, m: v128): v128 {
  const negM = f32x4.neg(m);
  const s = f32x4.add(x, negM);
  const bb = f32x4.sub(s, x);
  const err = f32x4.add(f32x4.sub(x, f32x4.sub(s, bb)), f32x4.sub(negM, bb));
  return expF32Lanes(s, v128.and(err, f32x4.eq(err, err)));
}

/** out[i] = exp(x[i]) with the float32-lane exp (for the accuracy tests and script). */
export function expF32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(out + at, expF32Lanes(v128.load(x + at), f32x4.splat(0)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const v = expF32Lanes(f32x4.splat(load<f32>(x + at)), f32x4.splat(0));
    store<f32>(out + at, f32x4.extract_lane(v, 0));
  }
}

// ── GELU, tanh approximation (GELU_TANH = 13), forward and backward in float32 lanes ───────────
// ½x(1 + tanh u) = x·σ(2u) = x/(1 + e^(−2u)), u = √(2/π)(x + 0.044715x³): one float32-lane exp and
// one division (the tanh route costs both of tanhF32Lanes' paths and a division). Backward, with
// s = σ(2u) and 1 − s = e·s (no cancellation as s → 1): dx = dy·(s + 2x·e·s²·u'),
// u' = √(2/π)(1 + 3·0.044715x²). Within a few float32 ulps of PyTorch's float32 kernel, and more
// accurate than it in the negative tail, where 1 + tanh u cancels.

export const GELU_TANH = 13;
const TWO_BETA: f32 = 1.5957691216057308; // 2√(2/π)
const BETA: f32 = 0.7978845608028654; // √(2/π)
const KAPPA: f32 = 0.044715;

/**
 * exp(y) in float32 lanes for y clamped to [−87, 88], where the result is a normal float:
 * expF32Lanes without the two-factor scaling for subnormal results (here one integer add into the
 * exponent field), the error term and the zero below −104; with `infAbove88`, +∞ above 88. For
 * the GELU, where e^(−2u) below e^−87 ≈ 1.6e-38 adds nothing to 1 + e.
 */
@inline
function expNormalF32Lanes(y: v128, infAbove88: bool): v128 {
  const c = f32x4.pmin(f32x4.pmax(y, fs(-87)), fs(88));
  const j = f32x4.add(f32x4.mul(c, fs(LOG2EF)), fs(MAGIC));
  const t = f32x4.sub(j, fs(MAGIC));
  const r = reduceLn2(c, t);
  let p = fma32(r, fs(R4), fs(R3));
  p = fma32(r, p, fs(R2));
  p = fma32(r, p, fs(R1));
  p = fma32(r, p, fs(R0));
  const e = expFromPoly(r, p);
  // ×2^t, t in [−126, 127]: add t to e's exponent field (e in [0.7, 1.42]: the result is normal).
  const scaled = i32x4.add(e, i32x4.shl(i32x4.sub(j, i32x4.splat(MAGIC_BITS)), 23));
  // Above 88, +∞ with `infAbove88` (the forward: x = −∞ gives −∞/∞ = NaN and x < −10 gives −0, as
  // PyTorch's float32 kernel); else e^88 (the backward caps e lower and treats ±∞ apart).
  if (!infAbove88) return scaled;
  return v128.bitselect(fs(Infinity), scaled, f32x4.gt(y, fs(88)));
}

/** e^(−2u) for the GELU's u = √(2/π)(x + 0.044715x³) (+∞ above e^88 with `infAbove88`). */
@inline
function geluExp(x: v128, infAbove88: bool): v128 {
  const x2 = f32x4.mul(x, x);
  const minusTwoU = f32x4.mul(fs(-TWO_BETA), f32x4.add(x, f32x4.mul(f32x4.mul(fs(KAPPA), x2), x)));
  return expNormalF32Lanes(minusTwoU, infAbove88);
}

@inline
function geluTanhLanes(x: v128): v128 {
  return f32x4.div(x, f32x4.add(fs(1), geluExp(x, true)));
}

/**
 * out[i] = ½x(1 + tanh(√(2/π)(x + 0.044715x³))), x = x[i], float32 lanes, eight per iteration
 * (two independent chains through the exp and the division).
 */
export function geluTanhF32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const at = (<usize>i) << 2;
    const a = geluTanhLanes(v128.load(x + at));
    const b = geluTanhLanes(v128.load(x + at, 16));
    v128.store(out + at, a);
    v128.store(out + at, b, 16);
  }
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(out + at, geluTanhLanes(v128.load(x + at)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    store<f32>(out + at, f32x4.extract_lane(geluTanhLanes(f32x4.splat(load<f32>(x + at))), 0));
  }
}

@inline
function geluTanhBackwardLanes(dy: v128, x: v128): v128 {
  // e capped at 1e30 (x ≲ −9.3; a NaN stays NaN): s = 1/(1 + e) ≈ 1e-30 and e·s² ≈ 1e-30, where
  // e = ∞ would make e·s² = ∞·0 = NaN. x = ±∞: e = NaN (all bits set), so dx = NaN as the js
  // kernel's ∞·0.
  const ax = f32x4.abs(x);
  const e = v128.or(f32x4.pmin(geluExp(x, false), fs(1e30)), f32x4.eq(ax, fs(Infinity)));
  const s = f32x4.div(fs(1), f32x4.add(fs(1), e));
  const du = f32x4.mul(fs(BETA), f32x4.add(fs(1), f32x4.mul(fs(3 * KAPPA), f32x4.mul(x, x))));
  // The x·e·s²·u' term is below 1e-35 for |x| ≥ 10: zero there, where x² and 2x may overflow
  // float32 (∞·0 would be NaN; the js kernel, in float64, gives dy·s).
  const right = v128.andnot(
    f32x4.mul(f32x4.mul(f32x4.mul(f32x4.add(x, x), e), f32x4.mul(s, s)), du),
    f32x4.ge(ax, fs(10)),
  );
  return f32x4.mul(dy, f32x4.add(s, right));
}

/** dx[i] = dy[i]·GELU'(x[i]) (tanh approximation), float32 lanes. */
export function geluTanhBackwardF32(dy: usize, x: usize, dx: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const at = (<usize>i) << 2;
    const a = geluTanhBackwardLanes(v128.load(dy + at), v128.load(x + at));
    const b = geluTanhBackwardLanes(v128.load(dy + at, 16), v128.load(x + at, 16));
    v128.store(dx + at, a);
    v128.store(dx + at, b, 16);
  }
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(dx + at, geluTanhBackwardLanes(v128.load(dy + at), v128.load(x + at)));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const r = geluTanhBackwardLanes(f32x4.splat(load<f32>(dy + at)), f32x4.splat(load<f32>(x + at)));
    store<f32>(dx + at, f32x4.extract_lane(r, 0));
  }
}
