// Strided copies of 4-byte elements (float32 or int32, bits copied as they are): a view of up to four
// dims (sizes n0..n3, element strides s0..s3, any of them 0 for broadcast) into a contiguous buffer
// (gather32), and back (scatter32). src/kernels/wasm/strided.ts merges a view's dims to fit in four.

/** out[i0, i1, i2, i3] = x[i0·s0 + i1·s1 + i2·s2 + i3·s3] (row-major out). */
export function gather32(
  x: usize,
  n0: i32,
  n1: i32,
  n2: i32,
  n3: i32,
  s0: i32,
  s1: i32,
  s2: i32,
  s3: i32,
  out: usize,
): void {
  let o = out;
  const rowBytes = (<usize>n3) << 2;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const p = x + ((<usize>(i0 * s0 + i1 * s1 + i2 * s2)) << 2);
        let t = 0;
        if (s3 === 1) {
          for (; t + 4 <= n3; t += 4)
            v128.store(o + ((<usize>t) << 2), v128.load(p + ((<usize>t) << 2)));
          for (; t < n3; t++) store<i32>(o + ((<usize>t) << 2), load<i32>(p + ((<usize>t) << 2)));
        } else {
          for (; t < n3; t++)
            store<i32>(o + ((<usize>t) << 2), load<i32>(p + ((<usize>(t * s3)) << 2)));
        }
        o += rowBytes;
      }
    }
  }
}

/** x[i0·s0 + i1·s1 + i2·s2 + i3·s3] = src[i0, i1, i2, i3] (row-major src). */
export function scatter32(
  src: usize,
  x: usize,
  n0: i32,
  n1: i32,
  n2: i32,
  n3: i32,
  s0: i32,
  s1: i32,
  s2: i32,
  s3: i32,
): void {
  let o = src;
  const rowBytes = (<usize>n3) << 2;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const p = x + ((<usize>(i0 * s0 + i1 * s1 + i2 * s2)) << 2);
        let t = 0;
        if (s3 === 1) {
          for (; t + 4 <= n3; t += 4)
            v128.store(p + ((<usize>t) << 2), v128.load(o + ((<usize>t) << 2)));
          for (; t < n3; t++) store<i32>(p + ((<usize>t) << 2), load<i32>(o + ((<usize>t) << 2)));
        } else {
          for (; t < n3; t++)
            store<i32>(p + ((<usize>(t * s3)) << 2), load<i32>(o + ((<usize>t) << 2)));
        }
        o += rowBytes;
      }
    }
  }
}
