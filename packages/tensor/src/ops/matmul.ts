/**
 * `matmul` with PyTorch's rules: 1-d·1-d is a dot product, 2-d·2-d a matrix product, 1-d operands
 * get a dimension added (and removed from the result), and batched operands broadcast their leading
 * dimensions. Transposed 2-d operands (`W.T`) are read in place, without a copy.
 */

import { record } from '../autograd.js';
import { getBackend } from '../backend.js';
import { allocate, promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { broadcastShapes, numel } from '../shape.js';
import { Tensor } from '../tensor-core.js';
import { expand, reshape, squeeze, transpose, unsqueeze } from './movement.js';

/** C = A·B for 2-d A [M, K] and B [K, N], read through their strides (views cost no copy). */
function mm(a: Tensor, b: Tensor): Tensor {
  const [M, K] = a.shape;
  const N = b.shape[1];
  const out = allocate(promoteTypes(a.dtype, b.dtype), M * N);
  getBackend().matmul(
    M,
    N,
    K,
    a.storage,
    a.offset,
    a.strides[0],
    a.strides[1],
    b.storage,
    b.offset,
    b.strides[0],
    b.strides[1],
    out,
    0,
    false,
  );
  return new Tensor(out, [M, N]);
}

function mmRecorded(a: Tensor, b: Tensor): Tensor {
  const out = mm(a, b);
  return record(out, 'Mm', [a, b], (g) => [
    // dA = dC · Bᵀ, dB = Aᵀ · dC — both read transposes in place.
    a.requiresGrad ? mm(g, transpose(b, 0, 1)) : null,
    b.requiresGrad ? mm(transpose(a, 0, 1), g) : null,
  ]);
}

/**
 * Matrix product with PyTorch's rules for 1-d, 2-d and batched operands.
 *
 * @example
 * ```ts
 * matmul(tensor([[1, 2]]), tensor([[3], [4]])).tolist(); // [[11]]
 * tensor([1, 2, 3]).matmul(tensor([1, 1, 1])).item(); // 6
 * randn([5, 2, 3]).matmul(randn([3, 4])).shape; // [5, 2, 4]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(b instanceof Tensor)) throw new TypeError("matmul(): argument 'other' must be a Tensor");
  if (a.dtype === 'int32' && b.dtype !== 'int32') {
    throw new DTypeError(
      `expected m1 and m2 to have the same dtype, but got: ${a.dtype} != ${b.dtype}`,
    );
  }
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`,
    );
  }
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw new ShapeError(
        `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      );
    }
    return reshape(mmRecorded(unsqueeze(a, 0), unsqueeze(b, 1)), []);
  }
  if (a.ndim === 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (b.ndim === 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
  const [M, K] = a.shape.slice(-2);
  const [K2, N] = b.shape.slice(-2);
  if (K !== K2 && b.ndim > 2) {
    // The batched product's wording: sizes [batch, K] expected of the second operand.
    const B = numel(broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2)));
    throw new ShapeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${B}, ${K}] but got: [${B}, ${K2}].`,
    );
  }
  if (K !== K2) {
    const aDesc = a.ndim === 2 ? `${M}x${K}` : `${numel(a.shape.slice(0, -1))}x${K}`;
    throw new ShapeError(`mat1 and mat2 shapes cannot be multiplied (${aDesc} and ${K2}x${N})`);
  }
  if (a.ndim === 2 && b.ndim === 2) return mmRecorded(a, b);
  if (b.ndim === 2) {
    // [..., M, K] · [K, N]: fold the batch into the rows when A is contiguous (one big product).
    const lead = a.shape.slice(0, -2);
    const flat = reshape(a, [numel(lead) * M, K]);
    return reshape(mmRecorded(flat, b), [...lead, M, N]);
  }
  // Batched: broadcast the leading dimensions, then one product per batch entry.
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const ae = expand(a, [...batch, M, K]);
  const be = expand(b, [...batch, K, N]);
  return bmm(ae, be, batch);
}

function bmm(a: Tensor, b: Tensor, batch: number[]): Tensor {
  const B = numel(batch);
  const nb = batch.length;
  const [M, K] = a.shape.slice(-2);
  const N = b.shape[b.ndim - 1];
  const dtype = promoteTypes(a.dtype, b.dtype);
  const out = allocate(dtype, B * M * N);
  // Each operand read in place through its strides (transposed heads, `k.transpose(-2, -1)`,
  // broadcast batch dims): no contiguous copies.
  getBackend().matmulBatched(
    batch,
    M,
    N,
    K,
    a.storage,
    a.offset,
    a.strides.slice(0, nb),
    a.strides[nb],
    a.strides[nb + 1],
    b.storage,
    b.offset,
    b.strides.slice(0, nb),
    b.strides[nb],
    b.strides[nb + 1],
    out,
    0,
  );
  const result = new Tensor(out, [...batch, M, N]);
  return record(result, 'Bmm', [a, b], (g) => [
    a.requiresGrad ? matmul(g, transpose(b, -1, -2)) : null,
    b.requiresGrad ? matmul(transpose(a, -1, -2), g) : null,
  ]);
}
