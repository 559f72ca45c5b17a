// Math.tanh exactly as V8 computes it: V8's ieee754::tanh and ieee754::expm1 (src/base/ieee754.cc,
// adapted from fdlibm: Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at
// SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice is preserved.), operation for operation in
// float64. WebAssembly's f64 arithmetic is IEEE-754 round-to-nearest like the C code compiled for
// x86-64 (no fused multiply-add), so every result is bit-identical to `Math.tanh` — the tests check
// it over millions of float32 inputs. That is what lets the wasm backend run tanh without changing a
// single number of the js backend.

function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >>> 32);
}

function fromWords(hi: i32, lo: u32): f64 {
  return reinterpret<f64>(((<u64>(<u32>hi)) << 32) | <u64>lo);
}

function setHighWord(x: f64, hi: i32): f64 {
  return reinterpret<f64>((reinterpret<u64>(x) & 0xffffffff) | ((<u64>(<u32>hi)) << 32));
}

const ln2Hi: f64 = reinterpret<f64>(((<u64>0x3fe62e42) << 32) | 0xfee00000);
const ln2Lo: f64 = reinterpret<f64>(((<u64>0x3dea39ef) << 32) | 0x35793c76);
const invLn2: f64 = reinterpret<f64>(((<u64>0x3ff71547) << 32) | 0x652b82fe);
const oThreshold: f64 = reinterpret<f64>(((<u64>0x40862e42) << 32) | 0xfefa39ef);
// Scaled Q's of fdlibm's expm1. Constants by their bits, as fdlibm lists them.
const Q1: f64 = reinterpret<f64>(((<u64>0xbfa11111) << 32) | 0x111110f4);
const Q2: f64 = reinterpret<f64>(((<u64>0x3f5a01a0) << 32) | 0x19fe5585);
const Q3: f64 = reinterpret<f64>(((<u64>0xbf14ce19) << 32) | 0x9eaadbb7);
const Q4: f64 = reinterpret<f64>(((<u64>0x3ed0cfca) << 32) | 0x86e65239);
const Q5: f64 = reinterpret<f64>(((<u64>0xbe8afdb7) << 32) | 0x6e09c32d);

/** exp(x) − 1 (fdlibm's expm1, as in V8). */
export function expm1(x: f64): f64 {
  let hx = highWord(x);
  const xsb = hx & 0x80000000;
  hx &= 0x7fffffff;
  let y: f64;
  let hi: f64;
  let lo: f64;
  let c: f64 = 0;
  let t: f64;
  let k: i32;
  // Huge and non-finite arguments.
  if (<u32>hx >= 0x4043687a) {
    // |x| >= 56·ln2
    if (<u32>hx >= 0x40862e42) {
      if (<u32>hx >= 0x7ff00000) {
        const low = <u32>reinterpret<u64>(x);
        if (((hx & 0xfffff) | low) !== 0) return x + x; // NaN
        return xsb === 0 ? x : -1.0;
      }
      if (x > oThreshold) return Infinity;
    }
    if (xsb !== 0) {
      // x < −56·ln2: −1 (with inexact)
      if (x + 1.0e-300 < 0.0) return 1.0e-300 - 1.0;
    }
  }
  // Argument reduction.
  if (<u32>hx > 0x3fd62e42) {
    // |x| > 0.5·ln2
    if (<u32>hx < 0x3ff0a2b2) {
      // and |x| < 1.5·ln2
      if (xsb === 0) {
        hi = x - ln2Hi;
        lo = ln2Lo;
        k = 1;
      } else {
        hi = x + ln2Hi;
        lo = -ln2Lo;
        k = -1;
      }
    } else {
      k = <i32>(invLn2 * x + (xsb === 0 ? 0.5 : -0.5));
      t = <f64>k;
      hi = x - t * ln2Hi; // t·ln2Hi is exact here
      lo = t * ln2Lo;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (<u32>hx < 0x3c900000) {
    // |x| < 2^-54: x
    return x;
  } else {
    k = 0;
  }
  // x is now in the primary range.
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k === 0) return x - (x * e - hxs);
  const twopk = fromWords(0x3ff00000 + (k << 20), 0);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  if (k <= -2 || k > 56) {
    y = 1.0 - (e - x);
    if (k === 1024) y = y * 2.0 * 8.98846567431158e307;
    else y = y * twopk;
    return y - 1.0;
  }
  t = 1.0;
  if (k < 20) {
    t = setHighWord(t, 0x3ff00000 - (0x200000 >> k)); // 1 − 2^−k
    y = t - (e - x);
    y = y * twopk;
  } else {
    t = setHighWord(t, (0x3ff - k) << 20); // 2^−k
    y = x - (e + t);
    y += 1.0;
    y = y * twopk;
  }
  return y;
}

/** tanh(x) (fdlibm's, as V8's Math.tanh). */
export function tanh(x: f64): f64 {
  const jx = highWord(x);
  const ix = jx & 0x7fffffff;
  let z: f64;
  if (ix >= 0x7ff00000) {
    // Infinity or NaN
    if (jx >= 0) return 1.0 / x + 1.0;
    return 1.0 / x - 1.0;
  }
  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3e300000) return x; // |x| < 2^-28
    if (ix >= 0x3ff00000) {
      // |x| >= 1
      const t = expm1(2.0 * Math.abs(x));
      z = 1.0 - 2.0 / (t + 2.0);
    } else {
      const t = expm1(-2.0 * Math.abs(x));
      z = -t / (t + 2.0);
    }
  } else {
    z = 1.0 - 1.0e-300;
  }
  return jx >= 0 ? z : -z;
}

// ── tanh on two lanes at once ──────────────────────────────────────────────────────────────────
// The same operations as `tanh`/`expm1` above, on f64x2, for the lanes where 2^-28 ≤ |x| < 22 (every
// other input takes the scalar path). fdlibm's branches become lane masks: each candidate result
// is computed with exactly the scalar's operations and the lane picks the one its branch would
// have returned, so every lane is bit-identical to the scalar function.

function splat(x: f64): v128 {
  return f64x2.splat(x);
}

function highWords(v: v128): v128 {
  return i64x2.shr_u(v, 32);
}

/** 2^k per lane, for integer k (as i64 lanes) in the normal range. */
function pow2(k: v128): v128 {
  return i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52);
}

/** expm1 on lanes with 2^-54 ≤ |x| < 56·ln2 (no overflow, no early return). */
function expm1x2(x: v128): v128 {
  const hx = highWords(f64x2.abs(x));
  const negative = f64x2.lt(x, splat(0));
  const isZero = i64x2.le_s(hx, i64x2.splat(0x3fd62e42)); // |x| ≤ 0.5·ln2: k = 0
  const isOne = v128.andnot(i64x2.lt_s(hx, i64x2.splat(0x3ff0a2b2)), isZero); // k = ±1
  const general = f64x2.trunc(
    f64x2.add(f64x2.mul(splat(invLn2), x), v128.bitselect(splat(-0.5), splat(0.5), negative)),
  );
  const t = v128.bitselect(
    splat(0),
    v128.bitselect(v128.bitselect(splat(-1), splat(1), negative), general, isOne),
    isZero,
  );
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(t));
  // Argument reduction (k = 0 leaves x and c = 0 exactly: x − 0·ln2Hi = x).
  const hi = f64x2.sub(x, f64x2.mul(t, splat(ln2Hi)));
  const lo = f64x2.mul(t, splat(ln2Lo));
  const r = f64x2.sub(hi, lo);
  const c = f64x2.sub(f64x2.sub(hi, r), lo);
  const hfx = f64x2.mul(splat(0.5), r);
  const hxs = f64x2.mul(r, hfx);
  const r1 = f64x2.add(
    splat(1),
    f64x2.mul(
      hxs,
      f64x2.add(
        splat(Q1),
        f64x2.mul(
          hxs,
          f64x2.add(
            splat(Q2),
            f64x2.mul(
              hxs,
              f64x2.add(splat(Q3), f64x2.mul(hxs, f64x2.add(splat(Q4), f64x2.mul(hxs, splat(Q5))))),
            ),
          ),
        ),
      ),
    ),
  );
  const tt = f64x2.sub(splat(3), f64x2.mul(r1, hfx));
  const e = f64x2.mul(hxs, f64x2.div(f64x2.sub(r1, tt), f64x2.sub(splat(6), f64x2.mul(r, tt))));
  // k = 0: x − (x·e − hxs)
  const resultZero = f64x2.sub(r, f64x2.sub(f64x2.mul(r, e), hxs));
  let e2 = f64x2.sub(f64x2.mul(r, f64x2.sub(e, c)), c);
  e2 = f64x2.sub(e2, hxs);
  // k = −1: 0.5·(x − e) − 0.5
  const resultMinusOne = f64x2.sub(f64x2.mul(splat(0.5), f64x2.sub(r, e2)), splat(0.5));
  // k = 1: x < −0.25 ? −2·(e − (x + 0.5)) : 1 + 2·(x − e)
  const resultOne = v128.bitselect(
    f64x2.mul(splat(-2), f64x2.sub(e2, f64x2.add(r, splat(0.5)))),
    f64x2.add(splat(1), f64x2.mul(splat(2), f64x2.sub(r, e2))),
    f64x2.lt(r, splat(-0.25)),
  );
  const twopk = pow2(k);
  // k ≤ −2 or k > 56: (1 − (e − x))·2^k − 1
  const resultFar = f64x2.sub(f64x2.mul(f64x2.sub(splat(1), f64x2.sub(e2, r)), twopk), splat(1));
  const twomk = pow2(i64x2.neg(k));
  // 2 ≤ k < 20: ((1 − 2^−k) − (e − x))·2^k
  const resultBelow20 = f64x2.mul(f64x2.sub(f64x2.sub(splat(1), twomk), f64x2.sub(e2, r)), twopk);
  // 20 ≤ k ≤ 56: ((x − (e + 2^−k)) + 1)·2^k
  const resultFrom20 = f64x2.mul(f64x2.add(f64x2.sub(r, f64x2.add(e2, twomk)), splat(1)), twopk);
  const far = v128.or(i64x2.le_s(k, i64x2.splat(-2)), i64x2.gt_s(k, i64x2.splat(56)));
  const below20 = i64x2.lt_s(k, i64x2.splat(20));
  const isMinusOne = v128.and(isOne, negative);
  const isPlusOne = v128.andnot(isOne, negative);
  let out = v128.bitselect(resultBelow20, resultFrom20, below20);
  out = v128.bitselect(resultFar, out, far);
  out = v128.bitselect(resultOne, out, isPlusOne);
  out = v128.bitselect(resultMinusOne, out, isMinusOne);
  return v128.bitselect(resultZero, out, isZero);
}

/** tanh of both lanes, bit-identical to `tanh` (and so to Math.tanh) lane by lane. */
export function tanhx2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const ix = highWords(ax);
  const outside = v128.or(
    i64x2.lt_s(ix, i64x2.splat(0x3e300000)),
    i64x2.ge_s(ix, i64x2.splat(0x40360000)),
  );
  if (v128.any_true(outside)) {
    return f64x2.replace_lane(
      f64x2.splat(tanh(f64x2.extract_lane(x, 0))),
      1,
      tanh(f64x2.extract_lane(x, 1)),
    );
  }
  const big = i64x2.ge_s(ix, i64x2.splat(0x3ff00000)); // |x| ≥ 1
  const arg = v128.bitselect(f64x2.mul(splat(2), ax), f64x2.mul(splat(-2), ax), big);
  const t = expm1x2(arg);
  const denominator = f64x2.add(t, splat(2));
  const z = v128.bitselect(
    f64x2.sub(splat(1), f64x2.div(splat(2), denominator)),
    f64x2.div(f64x2.neg(t), denominator),
    big,
  );
  // z ≥ 0; tanh is odd: give it x's sign.
  return v128.xor(z, v128.and(x, splat(-0.0)));
}
