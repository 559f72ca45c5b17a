// Row sums in float64 that keep the js kernels' order (each row summed in column order) but run two
// rows per f64x2, one row per lane, and two such pairs side by side: four independent chains of
// additions instead of one. A single row's sum is a chain of dependent float64 adds (4 cycles
// each); lanes of different rows are independent, so four rows cost little more than one did, and
// every lane does exactly the scalar loop's operations in its order — the same bits.
//
// A group is four rows r … r + 3; past the last row the pointers repeat the last row (its lanes are
// computed and not stored), so one code path serves any row count.

/**
 * The pair (a[k], b[k]) of float32 lanes k of a and b, widened to float64. The interleaves are
 * the unpack patterns (0, 4, 1, 5) and (2, 6, 3, 7), one instruction each on x64 (V8 lowers other
 * two-input shuffles to a byte-shuffle sequence), then a swap of halves for k = 1, 3.
 */
@inline
export function pairLane(a: v128, b: v128, k: i32): v128 {
  const v = k < 2 ? i32x4.shuffle(a, b, 0, 4, 1, 5) : i32x4.shuffle(a, b, 2, 6, 3, 7);
  if ((k & 1) === 0) return f64x2.promote_low_f32x4(v);
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** (p[0], q[0]) as float64: one float32 from each of two rows. */
@inline
export function pairAt(p: usize, q: usize): v128 {
  return f64x2.replace_lane(f64x2.splat(<f64>load<f32>(p)), 1, <f64>load<f32>(q));
}

/** Pointer to row min(r, rows − 1) of rows `pitch` bytes apart. */
@inline
export function rowAt(base: usize, r: i32, rows: i32, pitch: usize): usize {
  return base + (<usize>(r < rows ? r : rows - 1)) * pitch;
}

/** Float64 lane k (0 or 1) of v. */
@inline
export function lane(v: v128, k: i32): f64 {
  return k === 0 ? f64x2.extract_lane(v, 0) : f64x2.extract_lane(v, 1);
}

/** Lane k (0–3) of the group's two pairs (rows r, r + 1 in `a`; r + 2, r + 3 in `b`). */
@inline
export function groupLane(a: v128, b: v128, k: i32): f64 {
  return k < 2 ? lane(a, k) : lane(b, k - 2);
}

/**
 * Two float32 at p widened to float64: V8 folds the 8-byte load into the conversion (one
 * instruction; a 16-byte load and widening both halves takes four for two such pairs).
 */
@inline
export function wide(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Float32 widened: lanes 0, 1 (low) or 2, 3 (high) of a float32 vector as float64. */
@inline
export function widenLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline
export function widenHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** Two float64 pairs rounded to one float32 vector (low pair in lanes 0, 1). */
@inline
export function narrow(low: v128, high: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5);
}
