// Layer normalisation forward and backward over float32 rows (src/kernels/norm.ts's loops): the
// same float64 arithmetic in the same order, so the results are the js kernels' bits. The row sums
// run in column order (scalar); the elementwise passes and the per-column sums over rows (dw, dbias:
// one float64 accumulator per column, rows in order) run two columns per f64x2. Null operands are
// pointer 0.

function wide(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

function storeNarrow(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
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
  const pitch = (<usize>n) << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * pitch;
    const orow = out + <usize>r * pitch;
    let sum: f64 = 0;
    for (let c = 0; c < n; c++) sum += <f64>load<f32>(row + ((<usize>c) << 2));
    const m: f64 = sum / <f64>n;
    let sq: f64 = 0;
    for (let c = 0; c < n; c++) {
      const d = <f64>load<f32>(row + ((<usize>c) << 2)) - m;
      sq += d * d;
    }
    const rs: f64 = 1 / Math.sqrt(sq / <f64>n + eps);
    store<f32>(mean + ((<usize>r) << 2), <f32>m);
    store<f32>(rstd + ((<usize>r) << 2), <f32>rs);
    const mv = f64x2.splat(m);
    const rv = f64x2.splat(rs);
    let c = 0;
    for (; c + 2 <= n; c += 2) {
      const at = (<usize>c) << 2;
      let y = f64x2.mul(f64x2.sub(wide(row + at), mv), rv);
      if (w !== 0) y = f64x2.mul(y, wide(w + at));
      if (b !== 0) y = f64x2.add(y, wide(b + at));
      storeNarrow(orow + at, y);
    }
    for (; c < n; c++) {
      const at = (<usize>c) << 2;
      let y: f64 = (<f64>load<f32>(row + at) - m) * rs;
      if (w !== 0) y *= <f64>load<f32>(w + at);
      if (b !== 0) y += <f64>load<f32>(b + at);
      store<f32>(orow + at, <f32>y);
    }
  }
}

/** See src/kernels/norm.ts `layerNormBackward` (the saved mean and rstd are float32, as x). */
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
  const pitch = (<usize>n) << 2;
  if (dx !== 0) {
    for (let r = 0; r < rows; r++) {
      const grow = dy + <usize>r * pitch;
      const row = x + <usize>r * pitch;
      const drow = dx + <usize>r * pitch;
      const m = <f64>load<f32>(mean + ((<usize>r) << 2));
      const a = <f64>load<f32>(rstd + ((<usize>r) << 2));
      let ds: f64 = 0;
      let db: f64 = 0;
      for (let c = 0; c < n; c++) {
        const at = (<usize>c) << 2;
        let g = <f64>load<f32>(grow + at);
        if (w !== 0) g *= <f64>load<f32>(w + at);
        ds += g * <f64>load<f32>(row + at);
        db += g;
      }
      const beta: f64 = ((db * m - ds) * a * a * a) / <f64>n;
      const gamma: f64 = -beta * m - (db * a) / <f64>n;
      const av = f64x2.splat(a);
      const bv = f64x2.splat(beta);
      const gv = f64x2.splat(gamma);
      let c = 0;
      for (; c + 2 <= n; c += 2) {
        const at = (<usize>c) << 2;
        let g = wide(grow + at);
        if (w !== 0) g = f64x2.mul(g, wide(w + at));
        storeNarrow(
          drow + at,
          f64x2.add(f64x2.add(f64x2.mul(av, g), f64x2.mul(bv, wide(row + at))), gv),
        );
      }
      for (; c < n; c++) {
        const at = (<usize>c) << 2;
        let g = <f64>load<f32>(grow + at);
        if (w !== 0) g *= <f64>load<f32>(w + at);
        store<f32>(drow + at, <f32>(a * g + beta * <f64>load<f32>(row + at) + gamma));
      }
    }
  }
  if (dw === 0 && dbias === 0) return;
  // acc: n float64 sums of dy·(x − mean)·rstd, then n of dy (scratch, 16-byte aligned).
  memory.fill(acc, 0, (<usize>n) << 4);
  const accB = acc + ((<usize>n) << 3);
  for (let r = 0; r < rows; r++) {
    const grow = dy + <usize>r * pitch;
    const row = x + <usize>r * pitch;
    const m = <f64>load<f32>(mean + ((<usize>r) << 2));
    const a = <f64>load<f32>(rstd + ((<usize>r) << 2));
    const mv = f64x2.splat(m);
    const av = f64x2.splat(a);
    let c = 0;
    for (; c + 2 <= n; c += 2) {
      const at = (<usize>c) << 2;
      const g = wide(grow + at);
      const sw = acc + ((<usize>c) << 3);
      const sb = accB + ((<usize>c) << 3);
      v128.store(
        sw,
        f64x2.add(v128.load(sw), f64x2.mul(f64x2.mul(g, f64x2.sub(wide(row + at), mv)), av)),
      );
      v128.store(sb, f64x2.add(v128.load(sb), g));
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
  for (let c = 0; c < n; c++) {
    if (dw !== 0) store<f32>(dw + ((<usize>c) << 2), <f32>load<f64>(acc + ((<usize>c) << 3)));
    if (dbias !== 0)
      store<f32>(dbias + ((<usize>c) << 2), <f32>load<f64>(accB + ((<usize>c) << 3)));
  }
}
