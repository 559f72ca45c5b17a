// The kernels nn's layers, losses and optimizers run every step: the backwards from a saved output,
// in-place updates (gradient accumulation), row gather / scatter-add (embeddings), the fused
// cross-entropy and the SGD / Adam(W) updates. Float32 storage, arithmetic in float64 in exactly the
// js kernels' order (JavaScript computes `a op b` on doubles and rounds once on the store), so every
// result is bit-identical to the js backend's — except where an exp or log is involved (cross-
// entropy), whose float64 values agree with Math.exp / Math.log to ~1e-13 (transcendental.ts).
import { expLanes } from './transcendental';

// ── backwards from the saved output (pointwise.ts's unaryBackward) ─────────────────────────────

const SIGMOID_BACKWARD = 1;
const RELU_BACKWARD = 2;
const SQRT_BACKWARD = 3;

@inline
function widenLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline
function widenHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

@inline
function narrow(low: v128, high: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5);
}

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
    const tv = v128.load(t + at);
    const vv = v128.load(v + at);
    const low = updateLanes(op, widenLow(tv), f64x2.mul(a, widenLow(vv)));
    const high = updateLanes(op, widenHigh(tv), f64x2.mul(a, widenHigh(vv)));
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
 * (NaNs skipped, −∞ rows shifted by 0, as the js kernel), expShifted = exp(x − m) (stored as float32),
 * and the row's Σ exp and Σ x, summed in float64 in column order. Writes rowStats[3i..3i+2] =
 * [m, Σexp, Σx] (float64) and inverseSum[i] = 1/Σexp; the caller adds log(Σexp) with Math.log.
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
    let m: f32 = -Infinity;
    for (let c = 0; c < C; c++) {
      const v = load<f32>(row + ((<usize>c) << 2));
      if (v > m) m = v;
    }
    if (m === -Infinity) m = 0;
    const mv = f64x2.splat(<f64>m);
    let sumExp: f64 = 0;
    let sumX: f64 = 0;
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const at = (<usize>c) << 2;
      const v = v128.load(row + at);
      const low = expLanes(f64x2.sub(widenLow(v), mv));
      const high = expLanes(f64x2.sub(widenHigh(v), mv));
      v128.store(erow + at, narrow(low, high));
      // Sums in column order, as the js loop adds them.
      sumExp += f64x2.extract_lane(low, 0);
      sumExp += f64x2.extract_lane(low, 1);
      sumExp += f64x2.extract_lane(high, 0);
      sumExp += f64x2.extract_lane(high, 1);
      sumX += <f64>f32x4.extract_lane(v, 0);
      sumX += <f64>f32x4.extract_lane(v, 1);
      sumX += <f64>f32x4.extract_lane(v, 2);
      sumX += <f64>f32x4.extract_lane(v, 3);
    }
    for (; c < C; c++) {
      const at = (<usize>c) << 2;
      const v = <f64>load<f32>(row + at);
      const e = f64x2.extract_lane(expLanes(f64x2.splat(v - <f64>m)), 0);
      store<f32>(erow + at, <f32>e);
      sumExp += e;
      sumX += v;
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
      const e = v128.load(erow + at);
      const low = f64x2.mul(sv, f64x2.sub(f64x2.mul(widenLow(e), iv), offv));
      const high = f64x2.mul(sv, f64x2.sub(f64x2.mul(widenHigh(e), iv), offv));
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

// ── softmax over the last dimension (softmax.ts, inner = 1) ────────────────────────────────────

/**
 * Phase 1 of softmax / log-softmax over `rows` rows of `size` contiguous float32: per row the
 * maximum m (any NaN makes it NaN, −∞ becomes 0, as js), the float64 Σ exp(x − m) in column order,
 * written to stats[2r..2r+1] = [m, Σ]; without `log`, out = exp(x − m) rounded to float32 and then
 * scaled by 1/Σ (in double, out is read back rounded, as the js kernel's `out[k] *= inv`). With
 * `log` the caller forms lse = m + Math.log(Σ) per row and runs `logSoftmaxOutF32`.
 */
export function softmaxRowsF32(
  x: usize,
  rows: i32,
  size: i32,
  out: usize,
  log: i32,
  stats: usize,
): void {
  const pitch = (<usize>size) << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>r) * pitch;
    const orow = out + (<usize>r) * pitch;
    let m: f32 = -Infinity;
    for (let c = 0; c < size; c++) {
      const v = load<f32>(row + ((<usize>c) << 2));
      if (v > m || isNaN(v)) m = v;
    }
    if (m === -Infinity) m = 0;
    const mv = f64x2.splat(<f64>m);
    let total: f64 = 0;
    let c = 0;
    for (; c + 4 <= size; c += 4) {
      const at = (<usize>c) << 2;
      const v = v128.load(row + at);
      const low = expLanes(f64x2.sub(widenLow(v), mv));
      const high = expLanes(f64x2.sub(widenHigh(v), mv));
      if (!log) v128.store(orow + at, narrow(low, high));
      total += f64x2.extract_lane(low, 0);
      total += f64x2.extract_lane(low, 1);
      total += f64x2.extract_lane(high, 0);
      total += f64x2.extract_lane(high, 1);
    }
    for (; c < size; c++) {
      const at = (<usize>c) << 2;
      const e = f64x2.extract_lane(
        expLanes(f64x2.splat(<f64>load<f32>(row + at) - <f64>m)),
        0,
      );
      if (!log) store<f32>(orow + at, <f32>e);
      total += e;
    }
    const stat = stats + (<usize>r) * 16;
    store<f64>(stat, <f64>m);
    store<f64>(stat, total, 8);
    if (!log) {
      const inv = f64x2.splat(1 / total);
      c = 0;
      for (; c + 4 <= size; c += 4) {
        const at = (<usize>c) << 2;
        const v = v128.load(orow + at);
        v128.store(orow + at, narrow(f64x2.mul(widenLow(v), inv), f64x2.mul(widenHigh(v), inv)));
      }
      for (; c < size; c++) {
        const at = (<usize>c) << 2;
        store<f32>(orow + at, <f32>(<f64>load<f32>(orow + at) * (1 / total)));
      }
    }
  }
}

/** Phase 2 of log-softmax: out[r, c] = x[r, c] − lse[r] in double, rounded (lse float64 per row). */
export function logSoftmaxOutF32(x: usize, rows: i32, size: i32, out: usize, lse: usize): void {
  const pitch = (<usize>size) << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>r) * pitch;
    const orow = out + (<usize>r) * pitch;
    const l = load<f64>(lse + ((<usize>r) << 3));
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
}

/**
 * softmax / log-softmax backward over rows of `size` contiguous float32, from the saved output y:
 * softmax: dx = y·(dy − Σ dy·y); log: dx = dy − exp(y)·Σ dy. Sums in float64 in column order.
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
  for (let r = 0; r < rows; r++) {
    const g = dy + (<usize>r) * pitch;
    const yr = y + (<usize>r) * pitch;
    const d = dx + (<usize>r) * pitch;
    let total: f64 = 0;
    if (log) for (let c = 0; c < size; c++) total += <f64>load<f32>(g + ((<usize>c) << 2));
    else {
      for (let c = 0; c < size; c++) {
        const at = (<usize>c) << 2;
        total += <f64>load<f32>(g + at) * <f64>load<f32>(yr + at);
      }
    }
    const tv = f64x2.splat(total);
    let c = 0;
    for (; c + 4 <= size; c += 4) {
      const at = (<usize>c) << 2;
      const gv = v128.load(g + at);
      const yv = v128.load(yr + at);
      let low: v128;
      let high: v128;
      if (log) {
        low = f64x2.sub(widenLow(gv), f64x2.mul(expLanes(widenLow(yv)), tv));
        high = f64x2.sub(widenHigh(gv), f64x2.mul(expLanes(widenHigh(yv)), tv));
      } else {
        low = f64x2.mul(widenLow(yv), f64x2.sub(widenLow(gv), tv));
        high = f64x2.mul(widenHigh(yv), f64x2.sub(widenHigh(gv), tv));
      }
      v128.store(d + at, narrow(low, high));
    }
    for (; c < size; c++) {
      const at = (<usize>c) << 2;
      const gs = <f64>load<f32>(g + at);
      const ys = <f64>load<f32>(yr + at);
      let v: f64;
      if (log) v = gs - f64x2.extract_lane(expLanes(f64x2.splat(ys)), 0) * total;
      else v = ys * (gs - total);
      store<f32>(d + at, <f32>v);
    }
  }
}
