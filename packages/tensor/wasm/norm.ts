// Layer normalisation forward and backward over float32 rows (src/kernels/norm.ts's loops): the
// same float64 arithmetic in the same order, so the results are the js kernels' bits. The row sums
// run in column order, four rows at a time, one row per float64 lane (rows.ts); the elementwise
// passes run four columns per iteration in two f64x2; the per-column sums over rows (dw, dbias)
// add row after row into float64 accumulators in memory, four columns per iteration (each row
// right after its dx, while it is in cache). Null operands are pointer 0.
import { groupLane, narrow, pairAt, pairLane, rowAt, wide } from './rows';

// A group's second result (rows r + 2, r + 3, and the backward's other sums) comes back through
// these wasm globals: an instance's own, not in the shared memory, so each thread has its own.
let groupSecond: v128 = f64x2.splat(0);

/** x, or (x − m)² with `center`. */
@inline
function sumTerm(x: v128, center: bool, m: v128): v128 {
  if (!center) return x;
  const d = f64x2.sub(x, m);
  return f64x2.mul(d, d);
}

/**
 * Σ over the columns of the group's rows (rows.ts), in column order per row: [r, r + 1] in the
 * returned pair, [r + 2, r + 3] in `groupSecond`. With `center`, sums (x − m)² for the rows'
 * means m (`m01`, `m23`), as the js kernel's variance loop.
 */
@inline
function groupSums(
  p0: usize,
  p1: usize,
  p2: usize,
  p3: usize,
  n: i32,
  center: bool,
  m01: v128,
  m23: v128,
): v128 {
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const at = (<usize>c) << 2;
    const va = v128.load(p0 + at);
    const vb = v128.load(p1 + at);
    const vc = v128.load(p2 + at);
    const vd = v128.load(p3 + at);
    // Columns c … c + 3 in order (written out: a loop over k would not be unrolled).
    a = f64x2.add(a, sumTerm(pairLane(va, vb, 0), center, m01));
    b = f64x2.add(b, sumTerm(pairLane(vc, vd, 0), center, m23));
    a = f64x2.add(a, sumTerm(pairLane(va, vb, 1), center, m01));
    b = f64x2.add(b, sumTerm(pairLane(vc, vd, 1), center, m23));
    a = f64x2.add(a, sumTerm(pairLane(va, vb, 2), center, m01));
    b = f64x2.add(b, sumTerm(pairLane(vc, vd, 2), center, m23));
    a = f64x2.add(a, sumTerm(pairLane(va, vb, 3), center, m01));
    b = f64x2.add(b, sumTerm(pairLane(vc, vd, 3), center, m23));
  }
  for (; c < n; c++) {
    const at = (<usize>c) << 2;
    a = f64x2.add(a, sumTerm(pairAt(p0 + at, p1 + at), center, m01));
    b = f64x2.add(b, sumTerm(pairAt(p2 + at, p3 + at), center, m23));
  }
  groupSecond = b;
  return a;
}

/** One output row: y = (x − m)·rs [·w] [+ b] in double, rounded once; hasW/hasB fold away. */
@inline
function normalizeRow(
  row: usize,
  orow: usize,
  n: i32,
  w: usize,
  b: usize,
  m: f64,
  rs: f64,
  hasW: bool,
  hasB: bool,
): void {
  const mv = f64x2.splat(m);
  const rv = f64x2.splat(rs);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const at = (<usize>c) << 2;
    let lo = f64x2.mul(f64x2.sub(wide(row + at), mv), rv);
    let hi = f64x2.mul(f64x2.sub(wide(row + at + 8), mv), rv);
    if (hasW) {
      lo = f64x2.mul(lo, wide(w + at));
      hi = f64x2.mul(hi, wide(w + at + 8));
    }
    if (hasB) {
      lo = f64x2.add(lo, wide(b + at));
      hi = f64x2.add(hi, wide(b + at + 8));
    }
    v128.store(orow + at, narrow(lo, hi));
  }
  for (; c < n; c++) {
    const at = (<usize>c) << 2;
    let y: f64 = (<f64>load<f32>(row + at) - m) * rs;
    if (hasW) y *= <f64>load<f32>(w + at);
    if (hasB) y += <f64>load<f32>(b + at);
    store<f32>(orow + at, <f32>y);
  }
}

@inline
function layerNormRows(
  x: usize,
  rows: i32,
  n: i32,
  w: usize,
  b: usize,
  eps: f64,
  out: usize,
  mean: usize,
  rstd: usize,
  hasW: bool,
  hasB: bool,
): void {
  const pitch = (<usize>n) << 2;
  const nv = f64x2.splat(<f64>n);
  const zero = f64x2.splat(0);
  for (let r = 0; r < rows; r += 4) {
    const p0 = rowAt(x, r, rows, pitch);
    const p1 = rowAt(x, r + 1, rows, pitch);
    const p2 = rowAt(x, r + 2, rows, pitch);
    const p3 = rowAt(x, r + 3, rows, pitch);
    const m01 = f64x2.div(groupSums(p0, p1, p2, p3, n, false, zero, zero), nv);
    const m23 = f64x2.div(groupSecond, nv);
    const sq01 = groupSums(p0, p1, p2, p3, n, true, m01, m23);
    const sq23 = groupSecond;
    // rs = 1/√(sq/n + eps), lane by lane the scalar's operations.
    const one = f64x2.splat(1);
    const e = f64x2.splat(eps);
    const rs01 = f64x2.div(one, f64x2.sqrt(f64x2.add(f64x2.div(sq01, nv), e)));
    const rs23 = f64x2.div(one, f64x2.sqrt(f64x2.add(f64x2.div(sq23, nv), e)));
    for (let k = 0; k < 4 && r + k < rows; k++) {
      const m = groupLane(m01, m23, k);
      const rs = groupLane(rs01, rs23, k);
      store<f32>(mean + ((<usize>(r + k)) << 2), <f32>m);
      store<f32>(rstd + ((<usize>(r + k)) << 2), <f32>rs);
      const at = (<usize>(r + k)) * pitch;
      normalizeRow(x + at, out + at, n, w, b, m, rs, hasW, hasB);
    }
  }
}

/** See src/kernels/norm.ts `layerNorm`. */
export function layerNormF32(
  x: usize,
  rows: i32,
  n: i32,
  w: usize,
  b: usize,
  eps: f64,
  out: usize,
  mean: usize,
  rstd: usize,
): void {
  if (w !== 0 && b !== 0) layerNormRows(x, rows, n, w, b, eps, out, mean, rstd, true, true);
  else if (w !== 0) layerNormRows(x, rows, n, w, b, eps, out, mean, rstd, true, false);
  else if (b !== 0) layerNormRows(x, rows, n, w, b, eps, out, mean, rstd, false, true);
  else layerNormRows(x, rows, n, w, b, eps, out, mean, rstd, false, false);
}

/**
 * The group's Σ g·x and Σ g, g = dy·w (or dy), in column order per row: ds for rows [r, r + 1]
 * returned, [r + 2, r + 3] in `groupSecond`; db in `groupDb01`, `groupDb23`.
 */
let groupDb01: v128 = f64x2.splat(0);
let groupDb23: v128 = f64x2.splat(0);

@inline
function backwardGroupSums(
  g0: usize,
  g1: usize,
  g2: usize,
  g3: usize,
  x0: usize,
  x1: usize,
  x2: usize,
  x3: usize,
  w: usize,
  n: i32,
  hasW: bool,
): v128 {
  let ds01 = f64x2.splat(0);
  let ds23 = f64x2.splat(0);
  let db01 = f64x2.splat(0);
  let db23 = f64x2.splat(0);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const at = (<usize>c) << 2;
    const ga = v128.load(g0 + at);
    const gb = v128.load(g1 + at);
    const gc = v128.load(g2 + at);
    const gd = v128.load(g3 + at);
    const xa = v128.load(x0 + at);
    const xb = v128.load(x1 + at);
    const xc = v128.load(x2 + at);
    const xd = v128.load(x3 + at);
    const wv = hasW ? v128.load(w + at) : f32x4.splat(0);
    // Columns c … c + 3 in order (written out: a loop over k would not be unrolled).
    {
      const wk = hasW ? pairLane(wv, wv, 0) : f64x2.splat(1);
      const u = hasW ? f64x2.mul(pairLane(ga, gb, 0), wk) : pairLane(ga, gb, 0);
      const v = hasW ? f64x2.mul(pairLane(gc, gd, 0), wk) : pairLane(gc, gd, 0);
      ds01 = f64x2.add(ds01, f64x2.mul(u, pairLane(xa, xb, 0)));
      ds23 = f64x2.add(ds23, f64x2.mul(v, pairLane(xc, xd, 0)));
      db01 = f64x2.add(db01, u);
      db23 = f64x2.add(db23, v);
    }
    {
      const wk = hasW ? pairLane(wv, wv, 1) : f64x2.splat(1);
      const u = hasW ? f64x2.mul(pairLane(ga, gb, 1), wk) : pairLane(ga, gb, 1);
      const v = hasW ? f64x2.mul(pairLane(gc, gd, 1), wk) : pairLane(gc, gd, 1);
      ds01 = f64x2.add(ds01, f64x2.mul(u, pairLane(xa, xb, 1)));
      ds23 = f64x2.add(ds23, f64x2.mul(v, pairLane(xc, xd, 1)));
      db01 = f64x2.add(db01, u);
      db23 = f64x2.add(db23, v);
    }
    {
      const wk = hasW ? pairLane(wv, wv, 2) : f64x2.splat(1);
      const u = hasW ? f64x2.mul(pairLane(ga, gb, 2), wk) : pairLane(ga, gb, 2);
      const v = hasW ? f64x2.mul(pairLane(gc, gd, 2), wk) : pairLane(gc, gd, 2);
      ds01 = f64x2.add(ds01, f64x2.mul(u, pairLane(xa, xb, 2)));
      ds23 = f64x2.add(ds23, f64x2.mul(v, pairLane(xc, xd, 2)));
      db01 = f64x2.add(db01, u);
      db23 = f64x2.add(db23, v);
    }
    {
      const wk = hasW ? pairLane(wv, wv, 3) : f64x2.splat(1);
      const u = hasW ? f64x2.mul(pairLane(ga, gb, 3), wk) : pairLane(ga, gb, 3);
      const v = hasW ? f64x2.mul(pairLane(gc, gd, 3), wk) : pairLane(gc, gd, 3);
      ds01 = f64x2.add(ds01, f64x2.mul(u, pairLane(xa, xb, 3)));
      ds23 = f64x2.add(ds23, f64x2.mul(v, pairLane(xc, xd, 3)));
      db01 = f64x2.add(db01, u);
      db23 = f64x2.add(db23, v);
    }
  }
  for (; c < n; c++) {
    const at = (<usize>c) << 2;
    let u = pairAt(g0 + at, g1 + at);
    let v = pairAt(g2 + at, g3 + at);
    if (hasW) {
      const wk = f64x2.splat(<f64>load<f32>(w + at));
      u = f64x2.mul(u, wk);
      v = f64x2.mul(v, wk);
    }
    ds01 = f64x2.add(ds01, f64x2.mul(u, pairAt(x0 + at, x1 + at)));
    ds23 = f64x2.add(ds23, f64x2.mul(v, pairAt(x2 + at, x3 + at)));
    db01 = f64x2.add(db01, u);
    db23 = f64x2.add(db23, v);
  }
  groupSecond = ds23;
  groupDb01 = db01;
  groupDb23 = db23;
  return ds01;
}

/** β = ((db·m − ds)·a·a·a)/n and γ = −β·m − (db·a)/n per lane, the scalar's operations. */
let groupGamma: v128 = f64x2.splat(0);

@inline
function betaGamma(ds: v128, db: v128, m: v128, a: v128, nv: v128): v128 {
  const t = f64x2.mul(f64x2.mul(f64x2.mul(f64x2.sub(f64x2.mul(db, m), ds), a), a), a);
  const beta = f64x2.div(t, nv);
  groupGamma = f64x2.sub(f64x2.mul(f64x2.neg(beta), m), f64x2.div(f64x2.mul(db, a), nv));
  return beta;
}

/** One row of dx = a·g + β·x + γ (g = dy·w or dy), in double, rounded once. */
@inline
function dxRow(
  grow: usize,
  row: usize,
  drow: usize,
  w: usize,
  n: i32,
  a: f64,
  beta: f64,
  gamma: f64,
  hasW: bool,
): void {
  const av = f64x2.splat(a);
  const bv = f64x2.splat(beta);
  const gv = f64x2.splat(gamma);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const at = (<usize>c) << 2;
    let lo = wide(grow + at);
    let hi = wide(grow + at + 8);
    if (hasW) {
      lo = f64x2.mul(lo, wide(w + at));
      hi = f64x2.mul(hi, wide(w + at + 8));
    }
    lo = f64x2.add(f64x2.add(f64x2.mul(av, lo), f64x2.mul(bv, wide(row + at))), gv);
    hi = f64x2.add(f64x2.add(f64x2.mul(av, hi), f64x2.mul(bv, wide(row + at + 8))), gv);
    v128.store(drow + at, narrow(lo, hi));
  }
  for (; c < n; c++) {
    const at = (<usize>c) << 2;
    let g = <f64>load<f32>(grow + at);
    if (hasW) g *= <f64>load<f32>(w + at);
    store<f32>(drow + at, <f32>(a * g + beta * <f64>load<f32>(row + at) + gamma));
  }
}

@inline
function layerNormDx(
  dy: usize,
  x: usize,
  mean: usize,
  rstd: usize,
  w: usize,
  rows: i32,
  n: i32,
  dx: usize,
  hasW: bool,
  sums: bool,
  acc: usize,
): void {
  const pitch = (<usize>n) << 2;
  const nv = f64x2.splat(<f64>n);
  for (let r = 0; r < rows; r += 4) {
    const ds01 = backwardGroupSums(
      rowAt(dy, r, rows, pitch),
      rowAt(dy, r + 1, rows, pitch),
      rowAt(dy, r + 2, rows, pitch),
      rowAt(dy, r + 3, rows, pitch),
      rowAt(x, r, rows, pitch),
      rowAt(x, r + 1, rows, pitch),
      rowAt(x, r + 2, rows, pitch),
      rowAt(x, r + 3, rows, pitch),
      w,
      n,
      hasW,
    );
    const ds23 = groupSecond;
    const db01 = groupDb01;
    const db23 = groupDb23;
    const m01 = pairAt(rowAt(mean, r, rows, 4), rowAt(mean, r + 1, rows, 4));
    const m23 = pairAt(rowAt(mean, r + 2, rows, 4), rowAt(mean, r + 3, rows, 4));
    const a01 = pairAt(rowAt(rstd, r, rows, 4), rowAt(rstd, r + 1, rows, 4));
    const a23 = pairAt(rowAt(rstd, r + 2, rows, 4), rowAt(rstd, r + 3, rows, 4));
    const beta01 = betaGamma(ds01, db01, m01, a01, nv);
    const gamma01 = groupGamma;
    const beta23 = betaGamma(ds23, db23, m23, a23, nv);
    const gamma23 = groupGamma;
    for (let k = 0; k < 4 && r + k < rows; k++) {
      const at = (<usize>(r + k)) * pitch;
      dxRow(
        dy + at,
        x + at,
        dx + at,
        w,
        n,
        groupLane(a01, a23, k),
        groupLane(beta01, beta23, k),
        groupLane(gamma01, gamma23, k),
        hasW,
      );
      if (sums) {
        columnSumsRow(dy + at, x + at, groupLane(m01, m23, k), groupLane(a01, a23, k), n, acc);
      }
    }
  }
}

/**
 * dw[c] = Σ_r dy·(x − m)·a and dbias[c] = Σ_r dy over the rows in order (the js kernel's per-column
 * order): row by row, four columns at a time, into n float64 pairs at `acc` (16-byte aligned
 * scratch; dbias's sums at `acc` + 8n). Faster than walking the rows per block of columns with
 * the sums in registers, whose chains of adds (one per row) wait on each other. With dx, each row
 * is added right after its dx (`layerNormDx`), while it is in cache.
 */
@inline
function columnSumsRow(grow: usize, row: usize, m: f64, a: f64, n: i32, acc: usize): void {
  const accB = acc + ((<usize>n) << 3);
  const mv = f64x2.splat(m);
  const av = f64x2.splat(a);
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const at = (<usize>c) << 2;
    const gLo = wide(grow + at);
    const gHi = wide(grow + at + 8);
    const sw = acc + ((<usize>c) << 3);
    const sb = accB + ((<usize>c) << 3);
    const tLo = f64x2.mul(f64x2.mul(gLo, f64x2.sub(wide(row + at), mv)), av);
    const tHi = f64x2.mul(f64x2.mul(gHi, f64x2.sub(wide(row + at + 8), mv)), av);
    v128.store(sw, f64x2.add(v128.load(sw), tLo));
    v128.store(sw, f64x2.add(v128.load(sw, 16), tHi), 16);
    v128.store(sb, f64x2.add(v128.load(sb), gLo));
    v128.store(sb, f64x2.add(v128.load(sb, 16), gHi), 16);
  }
  for (; c < n; c++) {
    const at = (<usize>c) << 2;
    const g = <f64>load<f32>(grow + at);
    const sw = acc + ((<usize>c) << 3);
    const sb = accB + ((<usize>c) << 3);
    store<f64>(sw, load<f64>(sw) + g * (<f64>load<f32>(row + at) - m) * a);
    store<f64>(sb, load<f64>(sb) + g);
  }
}

/** The column sums at `acc` rounded into dw and dbias (either may be 0: not wanted). */
function columnSumsStore(acc: usize, n: i32, dw: usize, dbias: usize): void {
  const accB = acc + ((<usize>n) << 3);
  for (let c = 0; c < n; c++) {
    if (dw !== 0) store<f32>(dw + ((<usize>c) << 2), <f32>load<f64>(acc + ((<usize>c) << 3)));
    if (dbias !== 0)
      store<f32>(dbias + ((<usize>c) << 2), <f32>load<f64>(accB + ((<usize>c) << 3)));
  }
}

/** The column sums alone (a threaded backward's share of the calling thread). */
function columnSums(
  dy: usize,
  x: usize,
  mean: usize,
  rstd: usize,
  rows: i32,
  n: i32,
  acc: usize,
): void {
  const pitch = (<usize>n) << 2;
  for (let r = 0; r < rows; r++) {
    const m = <f64>load<f32>(mean + ((<usize>r) << 2));
    const a = <f64>load<f32>(rstd + ((<usize>r) << 2));
    columnSumsRow(dy + <usize>r * pitch, x + <usize>r * pitch, m, a, n, acc);
  }
}

/**
 * See src/kernels/norm.ts `layerNormBackward` (the saved mean and rstd are float32, as x); `acc`:
 * scratch for 2n float64, 16-byte aligned (dw's and dbias's column sums).
 */
export function layerNormBackwardF32(
  dy: usize,
  x: usize,
  mean: usize,
  rstd: usize,
  w: usize,
  rows: i32,
  n: i32,
  dx: usize,
  dw: usize,
  dbias: usize,
  acc: usize,
): void {
  const sums = dw !== 0 || dbias !== 0;
  if (sums) memory.fill(acc, 0, (<usize>n) << 4);
  if (dx !== 0) {
    // The column sums ride along with dx, row by row (same order as alone: the same bits).
    if (w !== 0 && sums) layerNormDx(dy, x, mean, rstd, w, rows, n, dx, true, true, acc);
    else if (w !== 0) layerNormDx(dy, x, mean, rstd, w, rows, n, dx, true, false, acc);
    else if (sums) layerNormDx(dy, x, mean, rstd, w, rows, n, dx, false, true, acc);
    else layerNormDx(dy, x, mean, rstd, w, rows, n, dx, false, false, acc);
  } else if (sums) columnSums(dy, x, mean, rstd, rows, n, acc);
  if (sums) columnSumsStore(acc, n, dw, dbias);
}
