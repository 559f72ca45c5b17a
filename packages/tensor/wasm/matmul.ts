// Float32 matrix multiply C[M×N] (+)= A[M×K]·B[K×N] with WebAssembly SIMD128 (AssemblyScript).
//
// The GotoBLAS / BLIS loop nest, on raw linear memory (the runtime is `stub`: no allocation here, the
// JavaScript side hands us every pointer):
//   for each K block of KC (p0):          pack B[p0:p0+kc, :] into strips of NR = 8 columns, k-major
//     for each M block of MC rows (i0):   pack A[i0:i0+mc, p0:p0+kc] into strips of MR = 4 rows, k-major
//       for each B strip (j0):            8·kc floats, stays in L1 while…
//         for each A strip (ii):          …every 4×8 tile of C in the block is updated by the micro-kernel
// The micro-kernel keeps a 4×8 tile of C in eight f32x4 registers; per k it loads two vectors of B and
// splats four scalars of A: 6 loads per 32 multiply-adds. Packing reads A and B through arbitrary
// element strides, so Aᵀ·B and A·Bᵀ (the backward pass) cost no copy of the unpacked operands. Panels
// are zero-padded to whole strips; edge tiles go through a small buffer and only their valid part
// is written. Sums are accumulated in float32, in k order within a K block, blocks added in order.
//
// Built twice: with plain SIMD (multiply, then add) and with relaxed SIMD (`f32x4.relaxed_madd`,
// a fused multiply-add on hardware that has one). `ASC_FEATURE_RELAXED_SIMD` is a compile-time
// constant, so each binary contains only its own variant.

/** Rows of C per micro-tile (A strip height). */
const MR: i32 = 4;
/** Columns of C per micro-tile (B strip width: two f32x4). */
const NR: i32 = 8;
/** K block: a B strip of KC·NR floats (8 KiB) stays in L1 across the A strips. */
const KC: i32 = 256;
/** M block: an A block of MC·KC floats (128 KiB) stays in L2 across the B strips. */
const MC: i32 = 128;

/** Widest C (in columns) for which A is read unpacked (`tileDirect`); see matmulF32. */
const DIRECT_MAX_N: i32 = 16 * NR;

/** Floats of scratch the packed-A block needs. */
export function packASize(M: i32, K: i32): i32 {
  const mc = min(M, MC);
  const kc = min(K, KC);
  return ((mc + MR - 1) / MR) * MR * kc;
}

/** Floats of scratch the packed-B block needs. */
export function packBSize(N: i32, K: i32): i32 {
  const kc = min(K, KC);
  return ((N + NR - 1) / NR) * NR * kc;
}

/**
 * Packs rows [r0, r0 + rows) × columns [p0, p0 + kc) of X (element (r, k) at x + 4·(r·rs + k·ks))
 * into strips of `width` rows: dst[(s·kc + k)·width + t] = X[r0 + s·width + t, p0 + k], zero past `rows`.
 * Three loops: rows adjacent in memory (rs = 1: B row-major, Aᵀ; a whole strip is a vector load per
 * k); four rows each contiguous in k (ks = 1, A row-major: 4×4 blocks transposed in registers);
 * else row by row (Bᵀ, edge strips).
 */
function pack(
  dst: usize,
  x: usize,
  rs: i32,
  ks: i32,
  r0: i32,
  rows: i32,
  p0: i32,
  kc: i32,
  width: i32,
): void {
  const strips = (rows + width - 1) / width;
  const step = (<usize>width) << 2;
  const kstep = (<usize>ks) << 2;
  for (let s = 0; s < strips; s++) {
    const base = dst + ((<usize>(s * kc * width)) << 2);
    const first = s * width;
    const here = min(width, rows - first);
    if (rs === 1 && here === width) {
      let src = x + ((<usize>(r0 + first + p0 * ks)) << 2);
      let out = base;
      if (width === 8) {
        for (let k = 0; k < kc; k++) {
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
          out += 32;
          src += kstep;
        }
      } else if (width === 4) {
        for (let k = 0; k < kc; k++) {
          v128.store(out, v128.load(src));
          out += 16;
          src += kstep;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let t = 0; t < width; t++) {
            store<f32>(out + ((<usize>t) << 2), load<f32>(src + ((<usize>t) << 2)));
          }
          out += step;
          src += kstep;
        }
      }
      continue;
    }
    if (ks === 1 && width === 4 && here === 4) {
      // Four rows, each contiguous in k (A row-major): 4×4 blocks transposed in registers, four
      // vector loads and stores per 16 floats instead of 16 scalar copies.
      const r = x + ((<usize>((r0 + first) * rs + p0)) << 2);
      const pitch = (<usize>rs) << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const at = r + ((<usize>k) << 2);
        const x0 = v128.load(at);
        const x1 = v128.load(at + pitch);
        const x2 = v128.load(at + 2 * pitch);
        const x3 = v128.load(at + 3 * pitch);
        // Rows (x0 … x3) × k → k × rows: interleave pairs, then halves.
        const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5); // x0[0] x1[0] x0[1] x1[1]
        const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
        const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
        const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
        const out = base + ((<usize>(k * 4)) << 2);
        v128.store(out, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
        v128.store(out, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
        v128.store(out, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
        v128.store(out, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
      }
      for (; k < kc; k++) {
        const at = r + ((<usize>k) << 2);
        const out = base + ((<usize>(k * 4)) << 2);
        store<f32>(out, load<f32>(at));
        store<f32>(out, load<f32>(at + pitch), 4);
        store<f32>(out, load<f32>(at + 2 * pitch), 8);
        store<f32>(out, load<f32>(at + 3 * pitch), 12);
      }
      continue;
    }
    for (let t = 0; t < width; t++) {
      let out = base + ((<usize>t) << 2);
      if (t < here) {
        let src = x + ((<usize>((r0 + first + t) * rs + p0 * ks)) << 2);
        for (let k = 0; k < kc; k++) {
          store<f32>(out, load<f32>(src));
          out += step;
          src += kstep;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          store<f32>(out, 0);
          out += step;
        }
      }
    }
  }
}

function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * One 4×8 tile: C[0:rows, 0:cols] (+)= Apanel(kc×4)·Bpanel(kc×8). `ldc` is C's row pitch in bytes;
 * `edge` points at 128 bytes of scratch for partial tiles.
 */
function tile(
  pa: usize,
  pb: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  rows: i32,
  cols: i32,
  overwrite: bool,
  edge: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  storeTile(c, ldc, rows, cols, overwrite, edge, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * Writes (or adds) a 4×8 tile held in eight registers to C[0:rows, 0:cols]; partial tiles go
 * through `edge` (128 bytes) and only their valid part is written.
 */
function storeTile(
  c: usize,
  ldc: usize,
  rows: i32,
  cols: i32,
  overwrite: bool,
  edge: usize,
  c00: v128,
  c01: v128,
  c10: v128,
  c11: v128,
  c20: v128,
  c21: v128,
  c30: v128,
  c31: v128,
): void {
  if (rows === MR && cols === NR) {
    if (overwrite) {
      v128.store(c, c00);
      v128.store(c, c01, 16);
      c += ldc;
      v128.store(c, c10);
      v128.store(c, c11, 16);
      c += ldc;
      v128.store(c, c20);
      v128.store(c, c21, 16);
      c += ldc;
      v128.store(c, c30);
      v128.store(c, c31, 16);
    } else {
      v128.store(c, f32x4.add(v128.load(c), c00));
      v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
      c += ldc;
      v128.store(c, f32x4.add(v128.load(c), c10));
      v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
      c += ldc;
      v128.store(c, f32x4.add(v128.load(c), c20));
      v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
      c += ldc;
      v128.store(c, f32x4.add(v128.load(c), c30));
      v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
    }
    return;
  }
  v128.store(edge, c00);
  v128.store(edge, c01, 16);
  v128.store(edge, c10, 32);
  v128.store(edge, c11, 48);
  v128.store(edge, c20, 64);
  v128.store(edge, c21, 80);
  v128.store(edge, c30, 96);
  v128.store(edge, c31, 112);
  for (let r = 0; r < rows; r++) {
    const row = c + <usize>r * ldc;
    const src = edge + ((<usize>(r * NR)) << 2);
    for (let t = 0; t < cols; t++) {
      const at = row + ((<usize>t) << 2);
      const v = load<f32>(src + ((<usize>t) << 2));
      store<f32>(at, overwrite ? v : load<f32>(at) + v);
    }
  }
}

/**
 * The same 4×8 tile with A read in place, unpacked: row r of the tile starts at `a + r·lda` (bytes)
 * and steps `kstep` bytes per k. For a row-major A (kstep = 4) this skips packing A, which costs a
 * scalar copy per element — as much as the arithmetic when K or N is small (the lecture's shapes).
 * Rows past `rows` read row 0 again (never past A's end); their sums are dropped. Same products in
 * the same order as `tile`: bit-identical results.
 */
function tileDirect(
  a: usize,
  lda: usize,
  kstep: usize,
  pb: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  rows: i32,
  cols: i32,
  overwrite: bool,
  edge: usize,
): void {
  let a0 = a;
  let a1 = rows > 1 ? a + lda : a;
  let a2 = rows > 2 ? a + 2 * lda : a;
  let a3 = rows > 3 ? a + 3 * lda : a;
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    a0 += kstep;
    a1 += kstep;
    a2 += kstep;
    a3 += kstep;
    pb += 32;
  }
  storeTile(c, ldc, rows, cols, overwrite, edge, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * C (row-major, N columns, at `c`) = A·B, or += when `accumulate` is non-zero. A's element (i, k) is
 * at a + 4·(i·ars + k·acs), B's (k, j) at b + 4·(k·brs + j·bcs). `pa` and `pb` are scratch of
 * packASize(M, K) and packBSize(N, K) floats, `edge` 128 bytes; none may overlap A, B or C.
 */
export function matmulF32(
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  accumulate: i32,
  pa: usize,
  pb: usize,
  edge: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) memory.fill(c, 0, (<usize>(M * N)) << 2);
    return;
  }
  const ldc = (<usize>N) << 2;
  // A is read in place, unpacked, when its packing would be a scalar copy (rows not adjacent in
  // memory) that few B strips share: packing pays for itself only over many strips. Measured
  // (M = 256, K = 200, relaxed): N = 27 97 → 71 µs, N = 96 230 → 213 µs; N = 200 (K = 30) and
  // n = 1024 are faster packed.
  const direct = ars !== 1 && N <= DIRECT_MAX_N;
  const lda = (<usize>ars) << 2;
  const kstep = (<usize>acs) << 2;
  for (let p0 = 0; p0 < K; p0 += KC) {
    const kc = min(KC, K - p0);
    const overwrite = p0 === 0 && !accumulate;
    // B's columns are the "rows" of its packing: column j, step k.
    pack(pb, b, bcs, brs, 0, N, p0, kc, NR);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      if (direct) {
        const aBlock = a + <usize>i0 * lda + <usize>p0 * kstep;
        for (let j0 = 0; j0 < N; j0 += NR) {
          const cols = min(NR, N - j0);
          const pbStrip = pb + ((<usize>(j0 * kc)) << 2);
          for (let ii = 0; ii < mc; ii += MR) {
            const rows = min(MR, mc - ii);
            const cTile = c + <usize>(i0 + ii) * ldc + ((<usize>j0) << 2);
            const aTile = aBlock + <usize>ii * lda;
            tileDirect(aTile, lda, kstep, pbStrip, kc, cTile, ldc, rows, cols, overwrite, edge);
          }
        }
        continue;
      }
      pack(pa, a, ars, acs, i0, mc, p0, kc, MR);
      for (let j0 = 0; j0 < N; j0 += NR) {
        const cols = min(NR, N - j0);
        const pbStrip = pb + ((<usize>(j0 * kc)) << 2);
        for (let ii = 0; ii < mc; ii += MR) {
          const rows = min(MR, mc - ii);
          const cTile = c + <usize>(i0 + ii) * ldc + ((<usize>j0) << 2);
          tile(
            pa + ((<usize>(ii * kc)) << 2),
            pbStrip,
            kc,
            cTile,
            ldc,
            rows,
            cols,
            overwrite,
            edge,
          );
        }
      }
    }
  }
}

// ── Small batched products (attention: [B, H, T, hs]·[B, H, hs, T] with T, hs ≤ 64) ──────────────
// One call for the whole batch (up to two batch dims, element strides): per entry B is copied into
// a zero-padded [K, N4] panel (N4 = N rounded up to 4), then C is computed 4 rows × 4 columns at a
// time, the k-sum in order with a separate multiply and add (the same bits in both builds).

/** Floats of scratch smallBatchedF32 needs for K × N. */
export function smallPanelSize(N: i32, K: i32): i32 {
  return K * ((N + 3) & ~3);
}

export function smallBatchedF32(
  n0: i32,
  n1: i32,
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  a0: i32,
  a1: i32,
  ar: i32,
  ac: i32,
  b: usize,
  b0: i32,
  b1: i32,
  br: i32,
  bc: i32,
  c: usize,
  panel: usize,
): void {
  const N4 = (N + 3) & ~3;
  const pitch = (<usize>N4) << 2;
  let cAt = c;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      const aBase = a + ((<usize>(i0 * a0 + i1 * a1)) << 2);
      const bBase = b + ((<usize>(i0 * b0 + i1 * b1)) << 2);
      for (let k = 0; k < K; k++) {
        const prow = panel + <usize>k * pitch;
        const brow = bBase + ((<usize>(k * br)) << 2);
        for (let j = 0; j < N; j++)
          store<f32>(prow + ((<usize>j) << 2), load<f32>(brow + ((<usize>(j * bc)) << 2)));
        for (let j = N; j < N4; j++) store<f32>(prow + ((<usize>j) << 2), 0);
      }
      let i = 0;
      for (; i + 4 <= M; i += 4) {
        const r0 = aBase + ((<usize>(i * ar)) << 2);
        const r1 = r0 + ((<usize>ar) << 2);
        const r2 = r1 + ((<usize>ar) << 2);
        const r3 = r2 + ((<usize>ar) << 2);
        for (let j = 0; j < N4; j += 4) {
          let s0 = f32x4.splat(0);
          let s1 = f32x4.splat(0);
          let s2 = f32x4.splat(0);
          let s3 = f32x4.splat(0);
          for (let k = 0; k < K; k++) {
            const bv = v128.load(panel + <usize>k * pitch + ((<usize>j) << 2));
            const ak = (<usize>(k * ac)) << 2;
            s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(r0 + ak), bv));
            s1 = f32x4.add(s1, f32x4.mul(v128.load32_splat(r1 + ak), bv));
            s2 = f32x4.add(s2, f32x4.mul(v128.load32_splat(r2 + ak), bv));
            s3 = f32x4.add(s3, f32x4.mul(v128.load32_splat(r3 + ak), bv));
          }
          storeRow(cAt + ((<usize>(i * N + j)) << 2), s0, N - j);
          storeRow(cAt + ((<usize>((i + 1) * N + j)) << 2), s1, N - j);
          storeRow(cAt + ((<usize>((i + 2) * N + j)) << 2), s2, N - j);
          storeRow(cAt + ((<usize>((i + 3) * N + j)) << 2), s3, N - j);
        }
      }
      for (; i < M; i++) {
        const r0 = aBase + ((<usize>(i * ar)) << 2);
        for (let j = 0; j < N4; j += 4) {
          let s0 = f32x4.splat(0);
          for (let k = 0; k < K; k++) {
            const bv = v128.load(panel + <usize>k * pitch + ((<usize>j) << 2));
            s0 = f32x4.add(s0, f32x4.mul(v128.load32_splat(r0 + ((<usize>(k * ac)) << 2)), bv));
          }
          storeRow(cAt + ((<usize>(i * N + j)) << 2), s0, N - j);
        }
      }
      cAt += (<usize>(M * N)) << 2;
    }
  }
}

/** Stores the first min(4, left) lanes of v at p. */
function storeRow(p: usize, v: v128, left: i32): void {
  if (left >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (left > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (left > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
