import { Generator } from '@llm-playground/core';
import { arange, randint, ShapeError } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { Tanh } from './activation-modules.js';
import { BatchNorm1d } from './batch-norm.js';
import { Embedding } from './embedding.js';
import { ConfigError } from './errors.js';
import { FlattenConsecutive } from './flatten-consecutive.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

describe('FlattenConsecutive', () => {
  it('puts every n consecutive positions side by side: [B, T, C] → [B, T/n, C·n]', () => {
    const x = arange(2 * 4 * 3).view(2, 4, 3);
    const out = new FlattenConsecutive(2).forward(x);
    expect(out.shape).toEqual([2, 2, 6]);
    // out[b, t] = concat(x[b, 2t], x[b, 2t + 1])
    expect(out.tolist()).toEqual([
      [
        [0, 1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10, 11],
      ],
      [
        [12, 13, 14, 15, 16, 17],
        [18, 19, 20, 21, 22, 23],
      ],
    ]);
    // T/n = 1 squeezes the time dimension, as the lecture's layer does
    expect(new FlattenConsecutive(4).forward(x).tolist()).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
    ]);
    expect(new FlattenConsecutive(1).forward(x).shape).toEqual([2, 4, 3]);
    expect(new FlattenConsecutive(2).toString()).toBe('FlattenConsecutive(2)');
  });

  it('passes the gradient back to the positions it came from', () => {
    const x = arange(8).view(1, 4, 2).double().requiresGrad_();
    const weights = arange(8).view(1, 2, 4).double();
    new FlattenConsecutive(2).forward(x).mul(weights).sum().backward();
    expect(x.grad!.flatten().tolist()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('says what is wrong with a bad size or input', () => {
    expect(() => new FlattenConsecutive(0)).toThrow(
      new ConfigError('FlattenConsecutive: n must be a positive integer, got 0'),
    );
    expect(() => new FlattenConsecutive(1.5)).toThrow(ConfigError);
    expect(() => new FlattenConsecutive(3).forward(arange(24).view(1, 8, 3))).toThrow(
      new ShapeError(
        'FlattenConsecutive(3): the time dimension (8, input shape [1, 8, 3]) is not divisible by 3; use a context length that is a multiple of 3',
      ),
    );
    expect(() => new FlattenConsecutive(2).forward(arange(8).view(2, 4))).toThrow(
      'FlattenConsecutive(2): expected a 3-d input [B, T, C], got 2-d input of shape [2, 4]',
    );
  });

  it("builds the WaveNet lecture's hierarchical model (n_embd 24, n_hidden 128: 76,579 parameters)", () => {
    const g = new Generator(42);
    const [nEmbd, nHidden] = [24, 128];
    const block = (fanIn: number) => [
      new FlattenConsecutive(2),
      new Linear(fanIn, nHidden, { bias: false, generator: g }),
      new BatchNorm1d(nHidden, { channelsLast: true }),
      new Tanh(),
    ];
    const model = new Sequential(
      new Embedding(27, nEmbd, { generator: g }),
      ...block(nEmbd * 2),
      ...block(nHidden * 2),
      ...block(nHidden * 2),
      new Linear(nHidden, 27, { generator: g }),
    );
    expect(model.numParameters()).toBe(76579);
    const shapes: string[] = [];
    for (const layer of model.layers) {
      layer.registerForwardHook((m, _inputs, out) => {
        shapes.push(`${m.constructor.name} [${out.shape.join(', ')}]`);
      });
    }
    model.forward(randint(0, 27, [4, 8], { generator: g }));
    expect(shapes).toEqual([
      'Embedding [4, 8, 24]',
      'FlattenConsecutive [4, 4, 48]',
      'Linear [4, 4, 128]',
      'BatchNorm1d [4, 4, 128]',
      'Tanh [4, 4, 128]',
      'FlattenConsecutive [4, 2, 256]',
      'Linear [4, 2, 128]',
      'BatchNorm1d [4, 2, 128]',
      'Tanh [4, 2, 128]',
      'FlattenConsecutive [4, 256]',
      'Linear [4, 128]',
      'BatchNorm1d [4, 128]',
      'Tanh [4, 128]',
      'Linear [4, 27]',
    ]);
  });
});
