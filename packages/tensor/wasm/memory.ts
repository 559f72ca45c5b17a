// Bulk fills and dtype casts on the kernel memory. JavaScript's TypedArray fill / set run far slower
// on a SharedArrayBuffer (the shared kernel memory) than on a plain buffer (measured here: fill 7×,
// f32 → f64 set ~10×), so tensors living in wasm memory get them as wasm loops. Same numbers as
// JavaScript's conversions: float64 → float32 rounds to nearest, int32 → float rounds to nearest,
// float → int32 is ToInt32 of Math.trunc (modulo 2^32; NaN and ±∞ give 0).

/** Zeroes `bytes` bytes at `ptr` (memory.fill: a memset). */
export function zeroBytes(ptr: usize, bytes: usize): void {
  memory.fill(ptr, 0, bytes);
}

/** n 4-byte elements at ptr set to the bit pattern `bits` (a float32's or an int32's). */
export function fill32(ptr: usize, n: i32, bits: i32): void {
  const v = i32x4.splat(bits);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const at = ptr + ((<usize>i) << 2);
    v128.store(at, v);
    v128.store(at, v, 16);
    v128.store(at, v, 32);
    v128.store(at, v, 48);
  }
  for (; i < n; i++) store<i32>(ptr + ((<usize>i) << 2), bits);
}

/** n float64 elements at ptr set to `value`. */
export function fill64(ptr: usize, n: i32, value: f64): void {
  const v = f64x2.splat(value);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const at = ptr + ((<usize>i) << 3);
    v128.store(at, v);
    v128.store(at, v, 16);
    v128.store(at, v, 32);
    v128.store(at, v, 48);
  }
  for (; i < n; i++) store<f64>(ptr + ((<usize>i) << 3), value);
}

// Element types of `castElements`.
const F32 = 0;
const F64 = 1;
const I32 = 2;

/** JavaScript's ToInt32(Math.trunc(v)): the integer part modulo 2^32, as a signed int; NaN, ±∞ → 0. */
function toInt32(v: f64): i32 {
  // biome-ignore lint/suspicious/noGlobalIsFinite: AssemblyScript's typed builtin, not JavaScript's.
  if (!isFinite(v)) return 0;
  const t = Math.trunc(v);
  if (t >= -2147483648.0 && t < 2147483648.0) return <i32>t;
  // Exact in float64: t / 2^32 and its floor scale by a power of two, the difference is an integer.
  let m = t - Math.floor(t / 4294967296.0) * 4294967296.0;
  if (m >= 2147483648.0) m -= 4294967296.0;
  return <i32>m;
}

/** dst[i] = src[i] converted, for i < n; `from` and `to` are F32 (0), F64 (1), I32 (2). */
export function castElements(src: usize, from: i32, dst: usize, to: i32, n: i32): void {
  let i = 0;
  if (from === F32 && to === F64) {
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(src + ((<usize>i) << 2));
      const at = dst + ((<usize>i) << 3);
      v128.store(at, f64x2.promote_low_f32x4(v));
      v128.store(at, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), 16);
    }
    for (; i < n; i++) store<f64>(dst + ((<usize>i) << 3), <f64>load<f32>(src + ((<usize>i) << 2)));
  } else if (from === F64 && to === F32) {
    for (; i + 4 <= n; i += 4) {
      const at = src + ((<usize>i) << 3);
      const low = f32x4.demote_f64x2_zero(v128.load(at));
      const high = f32x4.demote_f64x2_zero(v128.load(at, 16));
      v128.store(dst + ((<usize>i) << 2), i32x4.shuffle(low, high, 0, 1, 4, 5));
    }
    for (; i < n; i++) store<f32>(dst + ((<usize>i) << 2), <f32>load<f64>(src + ((<usize>i) << 3)));
  } else if (from === I32 && to === F32) {
    for (; i + 4 <= n; i += 4) {
      const at = (<usize>i) << 2;
      v128.store(dst + at, f32x4.convert_i32x4_s(v128.load(src + at)));
    }
    for (; i < n; i++) {
      const at = (<usize>i) << 2;
      store<f32>(dst + at, <f32>load<i32>(src + at));
    }
  } else if (from === I32 && to === F64) {
    for (; i + 2 <= n; i += 2) {
      v128.store(
        dst + ((<usize>i) << 3),
        f64x2.convert_low_i32x4_s(v128.load64_zero(src + ((<usize>i) << 2))),
      );
    }
    for (; i < n; i++) store<f64>(dst + ((<usize>i) << 3), <f64>load<i32>(src + ((<usize>i) << 2)));
  } else if (to === I32 && from !== I32) {
    for (; i < n; i++) {
      const v =
        from === F32 ? <f64>load<f32>(src + ((<usize>i) << 2)) : load<f64>(src + ((<usize>i) << 3));
      store<i32>(dst + ((<usize>i) << 2), toInt32(v));
    }
  } else {
    // Same type: a copy.
    memory.copy(dst, src, (<usize>n) << (from === F64 ? 3 : 2));
  }
}

/** x[i] = value where mask[i mod period] ≠ 0 (int32 mask), i < n, float32 x (pointwise.ts's maskedFill). */
export function maskedFillF32(x: usize, n: i32, mask: usize, period: i32, value: f32): void {
  const fill = f32x4.splat(value);
  const zero = i32x4.splat(0);
  for (let start = 0; start < n; start += period) {
    const len = min(period, n - start);
    const row = x + ((<usize>start) << 2);
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const at = (<usize>i) << 2;
      const keep = i32x4.eq(v128.load(mask + at), zero);
      v128.store(row + at, v128.bitselect(v128.load(row + at), fill, keep));
    }
    for (; i < len; i++) {
      const at = (<usize>i) << 2;
      if (load<i32>(mask + at) !== 0) store<f32>(row + at, value);
    }
  }
}
