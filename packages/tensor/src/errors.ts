/** Errors raised by tensor ops, worded like PyTorch's so that searches find the same answers. */

/** Shapes that cannot be broadcast, multiplied or reshaped together. */
export class ShapeError extends RangeError {
  override name = 'ShapeError';
}

/** An index outside a dimension, or a dimension outside a tensor. */
export class IndexError extends RangeError {
  override name = 'IndexError';
}

/** An op applied to the wrong element type (float indices, gradients of integer tensors, …). */
export class DTypeError extends TypeError {
  override name = 'DTypeError';
}

/** Misuse of autograd (backward through a non-scalar without a gradient, in-place on a leaf, …). */
export class AutogradError extends Error {
  override name = 'AutogradError';
}
