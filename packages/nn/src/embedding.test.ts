import { Generator } from '@llm-playground/core';
import { tensor } from '@llm-playground/tensor';
import { assertGradcheck, expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { Embedding } from './embedding.js';

describe('Embedding', () => {
  it('draws N(0, 1) like torch.manual_seed(s); nn.Embedding(27, 10)', () => {
    const emb = new Embedding(27, 10, { generator: new Generator(2147483647) });
    expect((emb.weight.tolist() as number[][])[0].slice(0, 4)).toEqual([
      1.5673619508743286, -0.2372923195362091, -0.027384605258703232, -1.100779414176941,
    ]);
    expect(emb.weight.requiresGrad).toBe(true);
  });

  it('looks rows up for indices of any shape', () => {
    const emb = new Embedding(5, 3, { dtype: 'float64' });
    const W = emb.weight.tolist() as number[][];
    expect(emb.forward(tensor(4)).tolist()).toEqual(W[4]);
    const out = emb.forward(
      tensor([
        [0, 4],
        [2, 2],
      ]),
    );
    expect(out.shape).toEqual([2, 2, 3]);
    expect(out.tolist()).toEqual([
      [W[0], W[4]],
      [W[2], W[2]],
    ]);
  });

  it('passes gradcheck; repeated indices accumulate', () => {
    const emb = new Embedding(4, 2, { dtype: 'float64' });
    const idx = tensor([
      [1, 3, 1],
      [0, 1, 2],
    ]);
    assertGradcheck(
      (weight) => {
        emb.weight = weight;
        return emb.forward(idx).tanh();
      },
      [emb.weight],
    );
    const fresh = new Embedding(4, 2, { dtype: 'float64' });
    fresh.forward(idx).sum().backward();
    expectClose(fresh.weight.grad!, [
      [1, 1],
      [3, 3],
      [1, 1],
      [1, 1],
    ]);
  });

  it('rejects float indices and out-of-range rows', () => {
    const emb = new Embedding(5, 3);
    expect(() => emb.forward(tensor([1], { dtype: 'float32' }))).toThrow(
      "Expected tensor for argument #1 'indices' to have scalar type int32; but got float32",
    );
    expect(() => emb.forward(tensor([5]))).toThrow(
      'index 5 is out of bounds for dimension 0 with size 5',
    );
    expect(() => new Embedding(0, 3)).toThrow(
      'Embedding: numEmbeddings must be a positive integer, got 0',
    );
  });
});
