import { ShapeError, type Tensor } from '@llm-playground/tensor';
import { checkSize } from './linear.js';
import { Module } from './module.js';

/**
 * Concatenates every `n` consecutive positions (the WaveNet lecture's `FlattenConsecutive`):
 * `[B, T, C]` → `[B, T/n, C·n]`, and `[B, C·n]` when T/n is 1 (the time dimension is squeezed, as
 * in the lecture). Position `t` of the output holds inputs `n·t … n·t + n − 1`, side by side.
 * NOTE: not a PyTorch module; it is the lecture's own layer (`x.view(B, T//n, C*n)`).
 *
 * @example
 * ```ts
 * const x = arange(24).view(1, 8, 3); // B = 1, T = 8 positions, C = 3
 * new FlattenConsecutive(2).forward(x).shape; // [1, 4, 6]
 * new FlattenConsecutive(2).forward(x).tolist()[0][1]; // [6, 7, 8, 9, 10, 11]
 * new FlattenConsecutive(8).forward(x).shape; // [1, 24]
 * new FlattenConsecutive(3).forward(x); // throws ShapeError
 * ```
 */
export class FlattenConsecutive extends Module<[Tensor], Tensor> {
  readonly n: number;

  constructor(n: number) {
    super();
    checkSize(n, 'n', 'FlattenConsecutive');
    this.n = n;
  }

  /** `[B, T, C]` → `[B, T/n, C·n]` (`[B, C·n]` when T = n). */
  forward(input: Tensor): Tensor {
    const shape = `[${input.shape.join(', ')}]`;
    if (input.ndim !== 3) {
      throw new ShapeError(
        `FlattenConsecutive(${this.n}): expected a 3-d input [B, T, C], got ${input.ndim}-d input of shape ${shape}`,
      );
    }
    const [B, T, C] = input.shape;
    if (T % this.n !== 0) {
      throw new ShapeError(
        `FlattenConsecutive(${this.n}): the time dimension (${T}, input shape ${shape}) is not divisible by ${this.n}; use a context length that is a multiple of ${this.n}`,
      );
    }
    const out = input.reshape(B, T / this.n, C * this.n);
    return T === this.n ? out.squeeze(1) : out;
  }

  override extraRepr(): string {
    return `${this.n}`;
  }
}
