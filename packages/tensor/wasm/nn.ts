// The kernels nn's layers, losses and optimizers run every step: the backwards from a saved output,
// in-place updates (gradient accumulation), row gather / scatter-add (embeddings), the fused
// cross-entropy and the SGD / Adam(W) updates. Float32 storage, arithmetic in float64 in exactly the
// js kernels' order (JavaScript computes `a op b` on doubles and rounds once on the store), so every
// result is bit-identical to the js backend's — except where an exp or log is involved (softmax,
// log-softmax and its backward, the cross-entropy forward): their exps run in float32 lanes, within
// 1 ulp of Math.exp (transcendental.ts), so those results are within float32 tolerance of js.
import { groupLane, narrow, pairAt, pairLane, rowAt, wide, widenHigh, widenLow } from './rows';
import { expF32Lanes, expShiftedF32Lanes, logLanes } from './transcendental';

// ── backwards from the saved output (pointwise.ts's unaryBackward) ─────────────────────────────

const SIGMOID_BACKWARD = 1;
const RELU_BACKWARD = 2;
const SQRT_BACKWARD = 3;

@inline
function backwardLanes(op: i32, dy: v128, y: v128): v128 {
  if (op === SIGMOID_BACKWARD) {
    // dy · y · (1 − y), left to right
    return f64x2.mul(f64x2.mul(dy, y), f64x2.sub(f64x2.splat(1), y));
  }
  // sqrtOrZero: y = 0 ? 0 : dy / (2y)
  const q = f64x2.div(dy, f64x2.mul(f64x2.splat(2), y));
  return v128.andnot(q, f64x2.eq(y, f64x2.splat(0)));
}

@inline
function backwardLoop(op: i32, dy: usize, y: usize, dx: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const g = v128.load(dy + at);
    const v = v128.load(y + at);
    if (op === RELU_BACKWARD) {
      // y ≤ 0 ? 0 : dy (a NaN y passes dy through)
      v128.store(dx + at, v128.andnot(g, f32x4.le(v, f32x4.splat(0))));
    } else {
      const low = backwardLanes(op, widenLow(g), widenLow(v));
      const high = backwardLanes(op, widenHigh(g), widenHigh(v));
      v128.store(dx + at, narrow(low, high));
    }
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const g = load<f32>(dy + at);
    const v = load<f32>(y + at);
    let r: f32;
    if (op === RELU_BACKWARD) r = v <= 0 ? 0 : g;
    else {
      r = <f32>(
        f64x2.extract_lane(
          backwardLanes(op, f64x2.splat(<f64>g), f64x2.splat(<f64>v)),
          0,
        )
      );
    }
    store<f32>(dx + at, r);
  }
}

/** dx = backward(dy, y) for the sigmoid (1), relu (2) and sqrtOrZero (3) backwards, float32. */
export function unaryBackwardF32(op: i32, dy: usize, y: usize, dx: usize, n: i32): void {
  if (op === SIGMOID_BACKWARD) backwardLoop(SIGMOID_BACKWARD, dy, y, dx, n);
  else if (op === RELU_BACKWARD) backwardLoop(RELU_BACKWARD, dy, y, dx, n);
  else backwardLoop(SQRT_BACKWARD, dy, y, dx, n);
}

// ── in-place updates (pointwise.ts's update) ───────────────────────────────────────────────────

const ASSIGN = 0;
const ADD = 1;
const MUL = 2;
const DIV = 3;

@inline
function updateLanes(op: i32, t: v128, av: v128): v128 {
  if (op === ASSIGN) return av;
  if (op === ADD) return f64x2.add(t, av);
  if (op === MUL) return f64x2.mul(t, av);
  return f64x2.div(t, av);
}

@inline
function updateLoop(op: i32, t: usize, v: usize, n: i32, alpha: f64): void {
  const a = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = (<usize>i) << 2;
    const low = updateLanes(op, wide(t + at), f64x2.mul(a, wide(v + at)));
    const high = updateLanes(op, wide(t + at + 8), f64x2.mul(a, wide(v + at + 8)));
    v128.store(t + at, narrow(low, high));
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    const r = updateLanes(
      op,
      f64x2.splat(<f64>load<f32>(t + at)),
      f64x2.mul(a, f64x2.splat(<f64>load<f32>(v + at))),
    );
    store<f32>(t + at, <f32>f64x2.extract_lane(r, 0));
  }
}

/** t[i] = op(t[i], alpha·v[i]) for op assign (0), add (1), mul (2), div (3); float32, in double. */
export function updateF32(op: i32, t: usize, v: usize, n: i32, alpha: f64): void {
  if (op === ASSIGN) updateLoop(ASSIGN, t, v, n, alpha);
  else if (op === ADD) updateLoop(ADD, t, v, n, alpha);
  else if (op === MUL) updateLoop(MUL, t, v, n, alpha);
  else updateLoop(DIV, t, v, n, alpha);
}

// ── rows (indexing.ts) ─────────────────────────────────────────────────────────────────────────

/** out row p = src row rows[p], rows of `rowBytes` bytes (any element type). */
export function gatherRowsBytes(
  src: usize,
  rows: usize,
  count: i32,
  rowBytes: i32,
  out: usize,
): void {
  const size = <usize>rowBytes;
  for (let p = 0; p < count; p++) {
    const r = <usize>load<i32>(rows + ((<usize>p) << 2));
    memory.copy(out + (<usize>p) * size, src + r * size, size);
  }
}

/** out row rows[p] += src row p, float32 rows of `rowSize`, in the order of `rows` (repeats add). */
export function scatterAddRowsF32(
  src: usize,
  rows: usize,
  count: i32,
  rowSize: i32,
  out: usize,
): void {
  const pitch = (<usize>rowSize) << 2;
  for (let p = 0; p < count; p++) {
    const r = <usize>load<i32>(rows + ((<usize>p) << 2));
    const from = src + (<usize>p) * pitch;
    const to = out + r * pitch;
    let c = 0;
    for (; c + 4 <= rowSize; c += 4) {
      const at = (<usize>c) << 2;
      v128.store(to + at, f32x4.add(v128.load(to + at), v128.load(from + at)));
    }
    for (; c < rowSize; c++) {
      const at = (<usize>c) << 2;
      store<f32>(to + at, load<f32>(to + at) + load<f32>(from + at));
    }
  }
}

// ── cross-entropy (cross-entropy.ts) ───────────────────────────────────────────────────────────

/**
 * The forward's per-row work: for each counted row i (targets[i] ≠ ignoreIndex), its maximum m
 * (NaNs skipped, −∞ rows shifted by 0, as the js kernel), expShifted = exp(x − m) (the float32-lane
 * exp, within 1 ulp), and the row's Σ exp and Σ x, summed in float64 over four lanes. Writes
 * rowStats[3i..3i+2] = [m, Σexp, Σx] (float64) and inverseSum[i] = 1/Σexp; the caller adds
 * log(Σexp) with Math.log.
 */
export function crossEntropyRowsF32(
  x: usize,
  rows: i32,
  C: i32,
  targets: usize,
  ignoreIndex: i32,
  expShifted: usize,
  inverseSum: usize,
  rowStats: usize,
): void {
  const pitch = (<usize>C) << 2;
  for (let i = 0; i < rows; i++) {
    if (load<i32>(targets + ((<usize>i) << 2)) === ignoreIndex) continue;
    const row = x + (<usize>i) * pitch;
    const erow = expShifted + (<usize>i) * pitch;
    let m = rowMax(row, C, true);
    if (m === -Infinity) m = 0;
    const mv = f32x4.splat(m);
    let eLow = f64x2.splat(0);
    let eHigh = f64x2.splat(0);
    let xLow = f64x2.splat(0);
    let xHigh = f64x2.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const at = (<usize>c) << 2;
      const v = v128.load(row + at);
      const e = expShiftedF32Lanes(v, mv);
      v128.store(erow + at, e);
      eLow = f64x2.add(eLow, widenLow(e));
      eHigh = f64x2.add(eHigh, widenHigh(e));
      xLow = f64x2.add(xLow, widenLow(v));
      xHigh = f64x2.add(xHigh, widenHigh(v));
    }
    let sumExp: f64 = f64x2.extract_lane(eLow, 0) + f64x2.extract_lane(eHigh, 0);
    sumExp += f64x2.extract_lane(eLow, 1) + f64x2.extract_lane(eHigh, 1);
    let sumX: f64 = f64x2.extract_lane(xLow, 0) + f64x2.extract_lane(xHigh, 0);
    sumX += f64x2.extract_lane(xLow, 1) + f64x2.extract_lane(xHigh, 1);
    for (; c < C; c++) {
      const at = (<usize>c) << 2;
      const v = load<f32>(row + at);
      const e = f32x4.extract_lane(expShiftedF32Lanes(f32x4.splat(v), mv), 0);
      store<f32>(erow + at, e);
      sumExp += <f64>e;
      sumX += <f64>v;
    }
    store<f64>(inverseSum + ((<usize>i) << 3), 1 / sumExp);
    const stats = rowStats + (<usize>i) * 24;
    store<f64>(stats, <f64>m);
    store<f64>(stats, sumExp, 8);
    store<f64>(stats, sumX, 16);
  }
}

/**
 * The closed-form backward: dx[i, c] = scale_i·(expShifted[i, c]·inverseSum[i] − off), then
 * dx[i, t] −= scale_i·on, for counted rows; scale_i = dLoss[i] (float32) when `perRow`, else `shared`.
 * dx must be zero on entry (ignored rows stay zero). Bit-identical to the js kernel.
 */
export function crossEntropyBackwardF32(
  dLoss: usize,
  perRow: i32,
  shared: f64,
  rows: i32,
  C: i32,
  targets: usize,
  ignoreIndex: i32,
  off: f64,
  on: f64,
  expShifted: usize,
  inverseSum: usize,
  dx: usize,
): void {
  const pitch = (<usize>C) << 2;
  const offv = f64x2.splat(off);
  for (let i = 0; i < rows; i++) {
    const t = load<i32>(targets + ((<usize>i) << 2));
    if (t === ignoreIndex) continue;
    const scale = perRow ? <f64>load<f32>(dLoss + ((<usize>i) << 2)) : shared;
    const sv = f64x2.splat(scale);
    const inv = load<f64>(inverseSum + ((<usize>i) << 3));
    const iv = f64x2.splat(inv);
    const erow = expShifted + (<usize>i) * pitch;
    const drow = dx + (<usize>i) * pitch;
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const at = (<usize>c) << 2;
      const low = f64x2.mul(sv, f64x2.sub(f64x2.mul(wide(erow + at), iv), offv));
      const high = f64x2.mul(sv, f64x2.sub(f64x2.mul(wide(erow + at + 8), iv), offv));
      v128.store(drow + at, narrow(low, high));
    }
    for (; c < C; c++) {
      const at = (<usize>c) << 2;
      store<f32>(drow + at, <f32>(scale * (<f64>load<f32>(erow + at) * inv - off)));
    }
    const at = drow + ((<usize>t) << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) - scale * on));
  }
}

// ── optimizers (optim.ts) ──────────────────────────────────────────────────────────────────────

/**
 * One SGD step on float32 w from dw, PyTorch's order of operations, in double like the js kernel:
 * without momentum (buffer = 0) w −= lr·(dw + λw); with it g = dw + λw, b = first ? g : μb + (1 − τ)g
 * (stored, rounded), w −= lr·(nesterov ? g + μb : b) reading the rounded b back.
 */
export function sgdF32(
  w: usize,
  dw: usize,
  buffer: usize,
  n: i32,
  lr: f64,
  momentum: f64,
  dampening: f64,
  weightDecay: f64,
  nesterov: i32,
  first: i32,
): void {
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 2;
    const wi = <f64>load<f32>(w + at);
    if (buffer === 0) {
      store<f32>(w + at, <f32>(wi - lr * (<f64>load<f32>(dw + at) + weightDecay * wi)));
      continue;
    }
    const g = <f64>load<f32>(dw + at) + weightDecay * wi;
    const bi = first ? g : momentum * <f64>load<f32>(buffer + at) + (1 - dampening) * g;
    const b = <f32>bi;
    store<f32>(buffer + at, b);
    store<f32>(w + at, <f32>(wi - lr * (nesterov ? g + momentum * <f64>b : <f64>b)));
  }
}

/**
 * One Adam / AdamW step on float32 w from dw, updating m and v; stepSize = lr/(1 − β₁ᵗ),
 * bias2Sqrt = √(1 − β₂ᵗ), decay = 1 − lr·λ (AdamW) or 1, l2 = λ (Adam) or 0, all from the caller,
 * so every double equals the js kernel's.
 */
export function adamF32(
  w: usize,
  dw: usize,
  m: usize,
  v: usize,
  n: i32,
  beta1: f64,
  beta2: f64,
  eps: f64,
  stepSize: f64,
  bias2Sqrt: f64,
  decay: f64,
  l2: f64,
  decoupled: i32,
): void {
  const b1 = f64x2.splat(beta1);
  const b2 = f64x2.splat(beta2);
  const c1 = f64x2.splat(1 - beta1);
  const c2 = f64x2.splat(1 - beta2);
  const ev = f64x2.splat(eps);
  const sv = f64x2.splat(stepSize);
  const bv = f64x2.splat(bias2Sqrt);
  const dv = f64x2.splat(decay);
  const lv = f64x2.splat(l2);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = (<usize>i) << 2;
    let wv = widenLow(v128.load64_zero(w + at));
    const g = f64x2.add(widenLow(v128.load64_zero(dw + at)), f64x2.mul(lv, wv));
    // w *= decay, stored (rounded) and read back by the update below.
    if (decoupled) wv = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(wv, dv)));
    const mv = f64x2.promote_low_f32x4(
      f32x4.demote_f64x2_zero(
        f64x2.add(f64x2.mul(b1, widenLow(v128.load64_zero(m + at))), f64x2.mul(c1, g)),
      ),
    );
    const vv = f64x2.promote_low_f32x4(
      f32x4.demote_f64x2_zero(
        f64x2.add(
          f64x2.mul(b2, widenLow(v128.load64_zero(v + at))),
          f64x2.mul(f64x2.mul(c2, g), g),
        ),
      ),
    );
    const step = f64x2.div(f64x2.mul(sv, mv), f64x2.add(f64x2.div(f64x2.sqrt(vv), bv), ev));
    v128.store64_lane(m + at, f32x4.demote_f64x2_zero(mv), 0);
    v128.store64_lane(v + at, f32x4.demote_f64x2_zero(vv), 0);
    v128.store64_lane(w + at, f32x4.demote_f64x2_zero(f64x2.sub(wv, step)), 0);
  }
  for (; i < n; i++) {
    const at = (<usize>i) << 2;
    let wi = <f64>load<f32>(w + at);
    const g = <f64>load<f32>(dw + at) + l2 * wi;
    if (decoupled) wi = <f64>(<f32>(wi * decay));
    const mi = <f64>(<f32>(beta1 * <f64>load<f32>(m + at) + (1 - beta1) * g));
    const vi = <f64>(<f32>(beta2 * <f64>load<f32>(v + at) + (1 - beta2) * g * g));
    store<f32>(m + at, <f32>mi);
    store<f32>(v + at, <f32>vi);
    store<f32>(w + at, <f32>(wi - (stepSize * mi) / (Math.sqrt(vi) / bias2Sqrt + eps)));
  }
}

/**
 * adamF32 over `count` tensors in one call (PyTorch's multi-tensor "foreach" update): `table` holds
 * count × 5 i32 — w, dw, m, v (byte offsets) and n — and every tensor gets exactly adamF32's update.
 */
export function adamMultiF32(
  table: usize,
  count: i32,
  beta1: f64,
  beta2: f64,
  eps: f64,
  stepSize: f64,
  bias2Sqrt: f64,
  decay: f64,
  l2: f64,
  decoupled: i32,
): void {
  for (let t = 0; t < count; t++) {
    const e = table + <usize>(t * 20);
    adamF32(
      <usize>load<u32>(e),
      <usize>load<u32>(e, 4),
      <usize>load<u32>(e, 8),
      <usize>load<u32>(e, 12),
      load<i32>(e, 16),
      beta1,
      beta2,
      eps,
      stepSize,
      bias2Sqrt,
      decay,
      l2,
      decoupled,
    );
  }
}

// ── softmax over the last dimension (softmax.ts, inner = 1) ────────────────────────────────────

/**
 * Row maximum of `size` float32 at `row`: NaN-propagating (softmax: any NaN makes the row NaN) or
 * NaN-skipping (cross-entropy), as the js kernels; −∞ when the row has no other value.
 */
@inline
function rowMax(row: usize, size: i32, skipNaN: bool): f32 {
  let mv = f32x4.splat(-Infinity);
  let c = 0;
  for (; c + 4 <= size; c += 4) {
    const v = v128.load(row + ((<usize>c) << 2));
    mv = skipNaN ? f32x4.pmax(mv, v) : f32x4.max(mv, v);
  }
  const h = i32x4.shuffle(mv, mv, 2, 3, 0, 1);
  mv = skipNaN ? f32x4.pmax(mv, h) : f32x4.max(mv, h);
  const q = i32x4.shuffle(mv, mv, 1, 0, 3, 2);
  mv = skipNaN ? f32x4.pmax(mv, q) : f32x4.max(mv, q);
  let m: f32 = f32x4.extract_lane(mv, 0);
  for (; c < size; c++) {
    const v = load<f32>(row + ((<usize>c) << 2));
    if (skipNaN ? v > m : v > m || isNaN(v)) m = v;
  }
  return m;
}

/**
 * Lanes 4 − rem … 3 set (rem = 1, 2, 3): the part of the last, overlapping vector of a row of
 * size ≥ 4 that the whole vectors before it did not cover.
 */
@inline
function tailMask(rem: i32): v128 {
  return i32x4.gt_s(i32x4(0, 1, 2, 3), i32x4.splat(3 - rem));
}

/**
 * softmax (log = 0) or log-softmax (log = 1) over `rows` rows of `size` contiguous float32: per row
 * the maximum m (NaN-skipping; 0 for a row of −∞, as js), e = exp(x − m) with the float32-lane
 * exp (transcendental.ts, within 1 ulp; the subtraction's rounding carried into it) and Σe in
 * float64. softmax writes e / Σe (in double, rounded once); log-softmax writes x − (m + log Σe)
 * (the float64-lane log, ~1e-13 relative; in double, rounded once). stats[2r..2r+1] = [m, Σe].
 * A row's last partial vector is the row's last four floats, overlapping the one before (its
 * repeated lanes recompute the same values and are left out of the sum).
 */
export function softmaxRowsF32(
  x: usize,
  rows: i32,
  size: i32,
  out: usize,
  log: i32,
  stats: usize,
): void {
  if (log) softmaxRows(x, rows, size, out, true, stats);
  else softmaxRows(x, rows, size, out, false, stats);
}

/** softmaxRowsF32's loop, specialised on `log` (its tests fold out of the loops). */
@inline
function softmaxRows(
  x: usize,
  rows: i32,
  size: i32,
  out: usize,
  log: bool,
  stats: usize,
): void {
  const pitch = (<usize>size) << 2;
  const rem = size & 3;
  const mask = tailMask(rem);
  const last = (<usize>(size - 4)) << 2;
  const negInf = f32x4.splat(-Infinity);
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>r) * pitch;
    const orow = out + (<usize>r) * pitch;
    // NaN-skipping maximum (one instruction per vector, where a NaN-propagating f32x4.max is
    // eight): a NaN in the row still makes every output NaN, through its exp and so Σe.
    let m = rowMax(row, size, true);
    if (m === -Infinity) m = 0;
    const mv = f32x4.splat(m);
    // Read before any store: out may be x itself.
    const tail = size >= 4 ? v128.load(row + last) : mv;
    let low = f64x2.splat(0);
    let high = f64x2.splat(0);
    let live = 0; // end of the last vector that was not all −∞
    let c = 0;
    for (; c + 4 <= size; c += 4) {
      const at = (<usize>c) << 2;
      const v = v128.load(row + at);
      // Four −∞ (a causal mask's half of the attention weights): exp gives exactly 0, so store
      // zeros and add nothing, skipping the exp's ~45 instructions.
      if (!v128.any_true(f32x4.ne(v, negInf))) {
        if (!log) v128.store(orow + at, f32x4.splat(0));
        continue;
      }
      const e = expShiftedF32Lanes(v, mv);
      if (!log) v128.store(orow + at, e);
      low = f64x2.add(low, widenLow(e));
      high = f64x2.add(high, widenHigh(e));
      live = c + 4;
    }
    if (c < size) live = size;
    if (rem !== 0 && size >= 4) {
      const e = expShiftedF32Lanes(tail, mv);
      if (!log) v128.store(orow + last, e);
      const masked = v128.and(e, mask);
      low = f64x2.add(low, widenLow(masked));
      high = f64x2.add(high, widenHigh(masked));
      c = size;
    }
    let total: f64 = f64x2.extract_lane(low, 0) + f64x2.extract_lane(high, 0);
    total += f64x2.extract_lane(low, 1) + f64x2.extract_lane(high, 1);
    for (; c < size; c++) {
      const at = (<usize>c) << 2;
      const e = f32x4.extract_lane(expShiftedF32Lanes(f32x4.splat(load<f32>(row + at)), mv), 0);
      if (!log) store<f32>(orow + at, e);
      total += <f64>e;
    }
    const stat = stats + (<usize>r) * 16;
    store<f64>(stat, <f64>m);
    store<f64>(stat, total, 8);
    if (log) {
      const lse = <f64>m + f64x2.extract_lane(logLanes(f64x2.splat(total)), 0);
      logSoftmaxRow(row, size, orow, lse);
      continue;
    }
    const inv = f64x2.splat(1 / total);
    // The zeros past `live` stay zeros (0·(1/Σe) = 0) when 1/Σe is finite; a row of −∞ (Σe = 0)
    // or with a NaN (Σe = NaN) is NaN throughout, as js.
    const end = Number.isFinite(1 / total) ? live : size;
    c = 0;
    for (; c + 4 <= end; c += 4) {
      const at = (<usize>c) << 2;
      const low = f64x2.mul(wide(orow + at), inv);
      v128.store(orow + at, narrow(low, f64x2.mul(wide(orow + at + 8), inv)));
    }
    for (; c < end; c++) {
      const at = (<usize>c) << 2;
      store<f32>(orow + at, <f32>(<f64>load<f32>(orow + at) * (1 / total)));
    }
  }
}

/** One row of log-softmax's output: out[c] = x[c] − lse in double, rounded once. */
@inline
function logSoftmaxRow(row: usize, size: i32, orow: usize, l: f64): void {
  const lv = f64x2.splat(l);
  let c = 0;
  for (; c + 4 <= size; c += 4) {
    const at = (<usize>c) << 2;
    const v = v128.load(row + at);
    v128.store(orow + at, narrow(f64x2.sub(widenLow(v), lv), f64x2.sub(widenHigh(v), lv)));
  }
  for (; c < size; c++) {
    const at = (<usize>c) << 2;
    store<f32>(orow + at, <f32>(<f64>load<f32>(row + at) - l));
  }
}

/**
 * softmax / log-softmax backward over rows of `size` contiguous float32, from the saved output y:
 * softmax: dx = y·(dy − Σ dy·y), the sum in float64 in column order (bit-identical to js), four
 * rows at a time (rows.ts: one independent chain of adds per row instead of one row's chain);
 * log: dx = dy − exp(y)·Σ dy, the exp in float32 lanes (within 1 ulp), Σ dy in float64 (over four
 * lanes when size ≥ 4), the rest in double, rounded once.
 */
export function softmaxBackwardRowsF32(
  dy: usize,
  y: usize,
  dx: usize,
  rows: i32,
  size: i32,
  log: i32,
): void {
  const pitch = (<usize>size) << 2;
  if (!log) {
    softmaxBackwardGroups(dy, y, dx, rows, size, pitch);
    return;
  }
  const zero = f32x4.splat(0);
  const rem = size & 3;
  const last = (<usize>(size - 4)) << 2;
  for (let r = 0; r < rows; r++) {
    const g = dy + (<usize>r) * pitch;
    const yr = y + (<usize>r) * pitch;
    const d = dx + (<usize>r) * pitch;
    if (size >= 4) {
      logSoftmaxBackwardRow(g, yr, d, size, rem, last);
      continue;
    }
    let total: f64 = 0;
    for (let c = 0; c < size; c++) total += <f64>load<f32>(g + ((<usize>c) << 2));
    for (let c = 0; c < size; c++) {
      const at = (<usize>c) << 2;
      const e = <f64>f32x4.extract_lane(expF32Lanes(f32x4.splat(load<f32>(yr + at)), zero), 0);
      store<f32>(d + at, <f32>(<f64>load<f32>(g + at) - e * total));
    }
  }
}

/** softmax's backward (not log), four rows per group: the dots Σ dy·y, then each row's dx. */
@inline
function softmaxBackwardGroups(
  dy: usize,
  y: usize,
  dx: usize,
  rows: i32,
  size: i32,
  pitch: usize,
): void {
  for (let r = 0; r < rows; r += 4) {
    const g0 = rowAt(dy, r, rows, pitch);
    const g1 = rowAt(dy, r + 1, rows, pitch);
    const g2 = rowAt(dy, r + 2, rows, pitch);
    const g3 = rowAt(dy, r + 3, rows, pitch);
    const y0 = rowAt(y, r, rows, pitch);
    const y1 = rowAt(y, r + 1, rows, pitch);
    const y2 = rowAt(y, r + 2, rows, pitch);
    const y3 = rowAt(y, r + 3, rows, pitch);
    let a = f64x2.splat(0);
    let b = f64x2.splat(0);
    let c = 0;
    for (; c + 4 <= size; c += 4) {
      const at = (<usize>c) << 2;
      const ga = v128.load(g0 + at);
      const gb = v128.load(g1 + at);
      const gc = v128.load(g2 + at);
      const gd = v128.load(g3 + at);
      const ya = v128.load(y0 + at);
      const yb = v128.load(y1 + at);
      const yc = v128.load(y2 + at);
      const yd = v128.load(y3 + at);
      a = f64x2.add(a, f64x2.mul(pairLane(ga, gb, 0), pairLane(ya, yb, 0)));
      b = f64x2.add(b, f64x2.mul(pairLane(gc, gd, 0), pairLane(yc, yd, 0)));
      a = f64x2.add(a, f64x2.mul(pairLane(ga, gb, 1), pairLane(ya, yb, 1)));
      b = f64x2.add(b, f64x2.mul(pairLane(gc, gd, 1), pairLane(yc, yd, 1)));
      a = f64x2.add(a, f64x2.mul(pairLane(ga, gb, 2), pairLane(ya, yb, 2)));
      b = f64x2.add(b, f64x2.mul(pairLane(gc, gd, 2), pairLane(yc, yd, 2)));
      a = f64x2.add(a, f64x2.mul(pairLane(ga, gb, 3), pairLane(ya, yb, 3)));
      b = f64x2.add(b, f64x2.mul(pairLane(gc, gd, 3), pairLane(yc, yd, 3)));
    }
    for (; c < size; c++) {
      const at = (<usize>c) << 2;
      a = f64x2.add(a, f64x2.mul(pairAt(g0 + at, g1 + at), pairAt(y0 + at, y1 + at)));
      b = f64x2.add(b, f64x2.mul(pairAt(g2 + at, g3 + at), pairAt(y2 + at, y3 + at)));
    }
    for (let k = 0; k < 4 && r + k < rows; k++) {
      const at = (<usize>(r + k)) * pitch;
      softmaxBackwardRow(dy + at, y + at, dx + at, size, groupLane(a, b, k));
    }
  }
}

/** One row of softmax's dx = y·(dy − total), in double, rounded once. */
@inline
function softmaxBackwardRow(g: usize, yr: usize, d: usize, size: i32, total: f64): void {
  const tv = f64x2.splat(total);
  let c = 0;
  for (; c + 4 <= size; c += 4) {
    const at = (<usize>c) << 2;
    const low = f64x2.mul(wide(yr + at), f64x2.sub(wide(g + at), tv));
    const high = f64x2.mul(wide(yr + at + 8), f64x2.sub(wide(g + at + 8), tv));
    v128.store(d + at, narrow(low, high));
  }
  for (; c < size; c++) {
    const at = (<usize>c) << 2;
    store<f32>(d + at, <f32>(<f64>load<f32>(yr + at) * (<f64>load<f32>(g + at) - total)));
  }
}

/**
 * One row (size ≥ 4) of log-softmax's backward: dx = dy − exp(y)·Σdy, Σdy in float64 over four
 * lanes, exp(y) in float32 lanes, the rest in double. A partial last vector is the row's last four
 * floats, read before any store (dx may be dy itself).
 */
@inline
function logSoftmaxBackwardRow(g: usize, yr: usize, d: usize, size: i32, rem: i32, last: usize): void {
  const zero = f32x4.splat(0);
  const gTail = v128.load(g + last);
  const yTail = v128.load(yr + last);
  let low = f64x2.splat(0);
  let high = f64x2.splat(0);
  let c = 0;
  for (; c + 4 <= size; c += 4) {
    const gv = v128.load(g + ((<usize>c) << 2));
    low = f64x2.add(low, widenLow(gv));
    high = f64x2.add(high, widenHigh(gv));
  }
  if (rem !== 0) {
    const masked = v128.and(gTail, tailMask(rem));
    low = f64x2.add(low, widenLow(masked));
    high = f64x2.add(high, widenHigh(masked));
  }
  let total: f64 = f64x2.extract_lane(low, 0) + f64x2.extract_lane(high, 0);
  total += f64x2.extract_lane(low, 1) + f64x2.extract_lane(high, 1);
  const tv = f64x2.splat(total);
  for (c = 0; c + 4 <= size; c += 4) {
    const at = (<usize>c) << 2;
    const gv = v128.load(g + at);
    const e = expF32Lanes(v128.load(yr + at), zero);
    const lo = f64x2.sub(widenLow(gv), f64x2.mul(widenLow(e), tv));
    const hi = f64x2.sub(widenHigh(gv), f64x2.mul(widenHigh(e), tv));
    v128.store(d + at, narrow(lo, hi));
  }
  if (rem !== 0) {
    const e = expF32Lanes(yTail, zero);
    const lo = f64x2.sub(widenLow(gTail), f64x2.mul(widenLow(e), tv));
    const hi = f64x2.sub(widenHigh(gTail), f64x2.mul(widenHigh(e), tv));
    v128.store(d + last, narrow(lo, hi));
  }
}
