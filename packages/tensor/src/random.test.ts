import { readFileSync } from 'node:fs';
import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { tensor } from './creation.js';
import type { DType } from './dtype.js';
import { multinomial, rand, randint, randn, randperm } from './random.js';
import { expectClose } from './testing/index.js';

// Reference streams recorded from PyTorch 1.13 on the CPU (scripts/torch_random_fixtures.py).
const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/torch-random.json', import.meta.url), 'utf8'),
) as { cases: Record<string, unknown>[] };

const seeded = (seed: number) => new Generator(seed);

describe("PyTorch's random streams", () => {
  it('the lecture values', () => {
    const g = seeded(2147483647);
    expectClose(rand([3], { generator: g }), [0.7081, 0.3542, 0.1054], { atol: 5e-5 });
    expectClose(
      randn([5], { generator: seeded(2147483647) }),
      [-0.98, -1.6578, -0.0572, -0.3409, 2.0992],
      {
        atol: 5e-5,
      },
    );
    const W = randn([27, 27], { generator: seeded(2147483647) });
    expectClose(W.select(0, 0).slice(0, 0, 5), [1.5674, -0.2373, -0.0274, -1.1008, 0.2859], {
      atol: 5e-5,
    });
    expect(Array.from(randint(0, 100, [8], { generator: seeded(2147483647) }).data)).toEqual([
      31, 94, 49, 72, 53, 80, 84, 16,
    ]);
    expect(Array.from(randperm(10, { generator: seeded(2147483647) }).data)).toEqual([
      1, 9, 7, 4, 0, 5, 6, 8, 3, 2,
    ]);
    const g2 = seeded(2147483647);
    let p = rand([3], { generator: g2 });
    p = p.div(p.sum());
    expect(Array.from(multinomial(p, 20, { replacement: true, generator: g2 }).data)).toEqual([
      1, 1, 2, 0, 0, 2, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1,
    ]);
  });

  for (const c of fixtures.cases) {
    const name = `${c.op} seed=${c.seed} ${JSON.stringify(c.shape ?? c.n ?? c.num ?? '')} ${c.dtype ?? ''}${c.replacement === false ? ' without replacement' : ''}`;
    it(name, () => {
      const g = seeded(c.seed as number);
      const expected = c.values as number[];
      switch (c.op) {
        case 'rand':
        case 'randn': {
          const fn = c.op === 'rand' ? rand : randn;
          const t = fn(c.shape as number[], { generator: g, dtype: c.dtype as DType });
          // Exact: float32 values compared after rounding the reference to float32.
          if (c.dtype === 'float32') expect(Array.from(t.data)).toEqual(expected.map(Math.fround));
          else if (c.op === 'randn' && t.numel() >= 16) {
            // NOTE: glibc's and V8's cos/sin may round the last bit differently in double.
            expectClose(t, expected, { atol: 1e-15, rtol: 1e-15 });
          } else expect(Array.from(t.data)).toEqual(expected);
          break;
        }
        case 'randint':
          expect(
            Array.from(
              randint(c.low as number, c.high as number, c.shape as number[], { generator: g })
                .data,
            ),
          ).toEqual(expected);
          break;
        case 'randperm':
          expect(Array.from(randperm(c.n as number, { generator: g }).data)).toEqual(expected);
          break;
        case 'multinomial': {
          const probs = tensor(c.probs as number[], { dtype: 'float32' });
          const out = multinomial(probs, c.num as number, {
            replacement: c.replacement as boolean,
            generator: g,
          });
          expect(out.tolist()).toEqual(expected);
          break;
        }
        case 'mixed': {
          const [a, b, d, e, f] = expected as unknown as number[][];
          expect(Array.from(randn([3], { generator: g }).data)).toEqual(a.map(Math.fround));
          expect(Array.from(rand([20], { generator: g }).data)).toEqual(b.map(Math.fround));
          expect(Array.from(randn([20], { generator: g }).data)).toEqual(d.map(Math.fround));
          expect(Array.from(randint(0, 10, [5], { generator: g }).data)).toEqual(e);
          expect(Array.from(randn([1], { generator: g }).data)).toEqual(f.map(Math.fround));
          break;
        }
        default:
          throw new Error(`unknown fixture op ${String(c.op)}`);
      }
    });
  }
});
