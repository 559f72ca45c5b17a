import type { Generator } from '@llm-playground/core';
import { type DType, DTypeError, randn, type Tensor } from '@llm-playground/tensor';
import { checkSize } from './linear.js';
import { Module } from './module.js';

/**
 * A lookup table (PyTorch's `nn.Embedding`): row `i` of `weight [numEmbeddings, embeddingDim]` is
 * the vector of token `i`; `forward(indices)` of any shape gives `[...indices.shape, embeddingDim]`
 * (the lecture's `C[X]`). `weight` starts as N(0, 1), drawn with `randn` from the generator, so the
 * same seed gives the same table as `torch.manual_seed(seed); nn.Embedding(…)`.
 *
 * @example
 * ```ts
 * const emb = new Embedding(27, 10, { generator: new Generator(2147483647) });
 * emb.forward(tensor([[0, 5, 13]])).shape; // [1, 3, 10]
 * emb.toString(); // 'Embedding(27, 10)'
 * ```
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  weight: Tensor;

  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    options: { generator?: Generator; dtype?: DType } = {},
  ) {
    super();
    checkSize(numEmbeddings, 'numEmbeddings', 'Embedding');
    checkSize(embeddingDim, 'embeddingDim', 'Embedding');
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.weight = randn([numEmbeddings, embeddingDim], {
      generator: options.generator,
      dtype: options.dtype ?? 'float32',
      requiresGrad: true,
    });
  }

  forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32') {
      throw new DTypeError(
        `Expected tensor for argument #1 'indices' to have scalar type int32; but got ${indices.dtype} instead (while checking arguments for embedding)`,
      );
    }
    return this.weight.index(indices);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}`;
  }
}
