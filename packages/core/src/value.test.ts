import { describe, expect, it } from 'vitest';
import { Generator } from './generator.js';
import { assertGradcheck } from './numeric.js';
import {
  add,
  div,
  exp,
  formatNumber,
  log,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sub,
  sum,
  tanh,
  topologicalOrder,
  toValue,
  Value,
} from './value.js';

describe('micrograd reference values (test_engine.py, README)', () => {
  it('sanity check: y = -20, x.grad = 46', () => {
    const x = new Value(-4.0);
    const z = x.mul(2).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    expect(y.data).toBe(-20);
    expect(x.grad).toBe(46);
  });

  it('more ops: g = 24.70408163265306, a.grad = 138.83381924198252, b.grad = 645.5772594752186', () => {
    const a = new Value(-4.0);
    const b = new Value(2.0);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1)); // c += c + 1
    c = c.add(add(1, c).add(a.neg())); // c += 1 + c + (-a)
    d = d.add(d.mul(2).add(b.add(a).relu())); // d += d * 2 + (b + a).relu()
    d = d.add(mul(3, d).add(b.sub(a).relu())); // d += 3 * d + (b - a).relu()
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2.0);
    g = g.add(f.rdiv(10.0)); // g += 10.0 / f
    g.backward();
    expect(g.data).toBeCloseTo(24.70408163265306, 9);
    expect(Math.abs(g.data - 24.70408163265306)).toBeLessThan(1e-9);
    expect(Math.abs(a.grad - 138.83381924198252)).toBeLessThan(1e-9);
    expect(Math.abs(b.grad - 645.5772594752186)).toBeLessThan(1e-9);
  });
});

// ---- every op: forward against Math, backward against central differences -------------------

/** `count` seeded uniform points in [low, high), skipping those `keep` rejects. */
function points(count: number, low: number, high: number, keep = (_x: number) => true): number[] {
  const generator = new Generator(1234);
  const xs: number[] = [];
  while (xs.length < count) {
    const x = low + (high - low) * generator.randDouble();
    if (keep(x)) xs.push(x);
  }
  return xs;
}

/** Feeds an op's output through a non-trivial scalar, (out + 1)², as tinygrad's tests do. */
const through = (out: Value): Value => out.add(1).pow(2);

const unary: [string, (x: Value) => Value, (x: number) => number, number[]][] = [
  ['neg', (x) => x.neg(), (x) => -x, points(40, -5, 5)],
  ['exp', (x) => x.exp(), Math.exp, points(40, -5, 5)],
  ['log', (x) => x.log(), Math.log, points(40, 0.05, 20)],
  ['tanh', (x) => x.tanh(), Math.tanh, points(40, -4, 4)],
  [
    'relu (away from 0)',
    (x) => x.relu(),
    (x) => Math.max(0, x),
    points(40, -5, 5, (x) => Math.abs(x) > 0.01),
  ],
  ['sigmoid', (x) => x.sigmoid(), (x) => 1 / (1 + Math.exp(-x)), points(40, -8, 8)],
];

const binary: [string, (a: Value, b: Value) => Value, (a: number, b: number) => number][] = [
  ['add', (a, b) => a.add(b), (a, b) => a + b],
  ['sub', (a, b) => a.sub(b), (a, b) => a - b],
  ['mul', (a, b) => a.mul(b), (a, b) => a * b],
  ['div', (a, b) => a.div(b), (a, b) => a / b],
  ['rsub', (a, b) => a.rsub(b), (a, b) => b - a],
  ['rdiv', (a, b) => a.rdiv(b), (a, b) => b / a],
];

describe('ops: forward values and gradcheck at many seeded points', () => {
  for (const [name, op, reference, xs] of unary) {
    it(name, () => {
      for (const x of xs) {
        expect(op(new Value(x)).data).toBeCloseTo(reference(x), 12);
        assertGradcheck(([v]) => op(v), [x]);
        assertGradcheck(([v]) => through(op(v)), [x]);
      }
    });
  }

  for (const [name, op, reference] of binary) {
    it(name, () => {
      const as = points(30, -4, 4);
      // Denominators stay away from 0 (div divides by b, rdiv by a).
      const bs = points(30, 0.2, 4).map((b, i) => (i % 2 === 0 ? b : -b));
      for (let i = 0; i < as.length; i++) {
        const a = name === 'rdiv' ? bs[i] : as[i];
        const b = name === 'rdiv' ? as[i] : bs[i];
        expect(op(new Value(a), new Value(b)).data).toBeCloseTo(reference(a, b), 12);
        assertGradcheck(([u, v]) => op(u, v), [a, b]);
        assertGradcheck(([u, v]) => through(op(u, v).mul(u)), [a, b]);
      }
    });
  }

  it('pow with integer, negative, fractional and zero exponents', () => {
    for (const n of [0, 1, 2, 3, 4, -1, -2, -3]) {
      for (const x of points(20, -3, 3, (x) => n >= 0 || Math.abs(x) > 0.3)) {
        expect(new Value(x).pow(n).data).toBeCloseTo(x ** n, 10);
        assertGradcheck(([v]) => v.pow(n), [x], { rtol: 1e-5 });
        assertGradcheck(([v]) => through(v.pow(n)), [x], { rtol: 1e-5 });
      }
    }
    for (const n of [0.5, 1.5, -0.5, 2.7]) {
      for (const x of points(20, 0.1, 5)) {
        expect(new Value(x).pow(n).data).toBeCloseTo(x ** n, 10);
        assertGradcheck(([v]) => v.pow(n), [x], { rtol: 1e-5 });
      }
    }
  });

  it('pow(0) has gradient 0 even at x = 0 (not NaN)', () => {
    const x = new Value(0);
    x.pow(0).backward();
    expect(x.grad).toBe(0);
  });

  it('pow labels its op with the exponent', () => {
    expect(new Value(3).pow(2).op).toBe('**2.0');
    expect(new Value(3).pow(-0.5).op).toBe('**-0.5');
  });

  it('sigmoid stays finite and exact at large |x|', () => {
    for (const x of [-800, -500, -50, -30, 30, 50, 500, 800]) {
      const v = new Value(x);
      const s = v.sigmoid();
      s.backward();
      expect(Number.isFinite(s.data)).toBe(true);
      expect(Number.isFinite(v.grad)).toBe(true);
      expect(s.data).toBeCloseTo(x > 0 ? 1 : 0, 12);
      // σ'(x) = e^-|x| / (1 + e^-|x|)², tiny but exact.
      const t = Math.exp(-Math.abs(x));
      const expected = t / (1 + t) ** 2;
      expect(Math.abs(v.grad - expected)).toBeLessThanOrEqual(1e-12 * expected);
      assertGradcheck(([u]) => u.sigmoid(), [x]);
    }
    expect(new Value(-40).sigmoid().data).toBeCloseTo(4.248354255291589e-18, 30);
  });

  it('relu: gradient 0 at exactly 0, as in PyTorch', () => {
    const x = new Value(0);
    x.relu().backward();
    expect(x.grad).toBe(0);
  });

  it('tanh at the lecture neuron: o = 0.7071, dx1 = -1.5', () => {
    // x1*w1 + x2*w2 + b with the lecture's numbers; b chosen so n = 0.8814.
    const x1 = new Value(2.0);
    const x2 = new Value(0.0);
    const w1 = new Value(-3.0);
    const w2 = new Value(1.0);
    const b = new Value(6.881373587019543);
    const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();
    o.backward();
    expect(o.data).toBeCloseTo(Math.SQRT1_2, 4); // the lecture prints 0.7071
    expect(x1.grad).toBeCloseTo(-1.5, 6);
    expect(w1.grad).toBeCloseTo(1.0, 6);
    expect(x2.grad).toBeCloseTo(0.5, 6);
    expect(w2.grad).toBe(0);
  });

  it('free functions match the methods', () => {
    const a = new Value(1.5);
    expect(add(a, 2).data).toBe(3.5);
    expect(add(2, a).data).toBe(3.5);
    expect(sub(2, a).data).toBe(0.5);
    expect(mul(2, a).data).toBe(3);
    expect(div(3, a).data).toBe(2);
    expect(neg(a).data).toBe(-1.5);
    expect(pow(a, 2).data).toBe(2.25);
    expect(exp(a).data).toBe(Math.exp(1.5));
    expect(log(a).data).toBe(Math.log(1.5));
    expect(tanh(a).data).toBe(Math.tanh(1.5));
    expect(relu(-1).data).toBe(0);
    expect(sigmoid(0).data).toBe(0.5);
    expect(sum([1, a, 3]).data).toBe(5.5);
    expect(sum([]).data).toBe(0);
    assertGradcheck(([x, y, z]) => sum([x, y.mul(x), z.tanh(), 2]), [0.3, -1.2, 0.7]);
  });
});

describe('node reuse: gradients accumulate', () => {
  it('a + a has gradient 2', () => {
    const a = new Value(3);
    a.add(a).backward();
    expect(a.grad).toBe(2);
  });

  it('a * a has gradient 2a', () => {
    const a = new Value(3);
    a.mul(a).backward();
    expect(a.grad).toBe(6);
  });

  it('a subexpression used three times', () => {
    // s = a*b; y = s + s*s + tanh(s) → dy/ds = 1 + 2s + (1 - tanh²s); dy/da = dy/ds * b.
    const a = new Value(0.7);
    const b = new Value(-0.4);
    const s = a.mul(b);
    const y = s.add(s.mul(s)).add(s.tanh());
    y.backward();
    const sv = 0.7 * -0.4;
    const dyds = 1 + 2 * sv + (1 - Math.tanh(sv) ** 2);
    expect(s.grad).toBeCloseTo(dyds, 13);
    expect(a.grad).toBeCloseTo(dyds * -0.4, 13);
    expect(b.grad).toBeCloseTo(dyds * 0.7, 13);
    expect(topologicalOrder(y).filter((v) => v === s)).toHaveLength(1);
    assertGradcheck(
      ([u, v]) => {
        const t = u.mul(v);
        return t.add(t.mul(t)).add(t.tanh());
      },
      [0.7, -0.4],
    );
  });
});

describe('deep graphs', () => {
  it('builds and backpropagates a 1,000,000-node chain without overflowing the stack', () => {
    const n = 1_000_000;
    const x0 = new Value(1.5);
    const k = new Value(1 + 1e-6);
    let x = x0;
    for (let i = 0; i < n; i++) x = x.mul(k); // x = x0 · k^n
    x.backward();
    // dx/dx0 = k^n, dx/dk = n · x0 · k^(n-1)
    const kn = (1 + 1e-6) ** n;
    expect(x.data).toBeCloseTo(1.5 * kn, 6);
    expect(Math.abs(x0.grad / kn - 1)).toBeLessThan(1e-9);
    expect(Math.abs(k.grad / (n * 1.5 * (1 + 1e-6) ** (n - 1)) - 1)).toBeLessThan(1e-9);
    expect(topologicalOrder(x)).toHaveLength(n + 2);
  });
});

describe('topologicalOrder', () => {
  it('lists each node once, children before parents, root last', () => {
    const a = new Value(1);
    const b = new Value(2);
    const c = a.mul(b);
    const d = c.add(a).tanh().mul(c);
    const order = topologicalOrder(d);
    expect(new Set(order).size).toBe(order.length);
    expect(order[order.length - 1]).toBe(d);
    const position = new Map(order.map((v, i) => [v, i]));
    for (const v of order)
      for (const child of v.children) expect(position.get(child)!).toBeLessThan(position.get(v)!);
    expect(order).toHaveLength(6);
  });

  it('works again on the same graph (traversal stamps do not leak)', () => {
    const a = new Value(2);
    const y = a.mul(a).add(a);
    expect(topologicalOrder(y)).toHaveLength(3);
    expect(topologicalOrder(y.mul(2))).toHaveLength(5);
    expect(topologicalOrder(y)).toHaveLength(3);
  });
});

describe('zeroGrad and repeated backward', () => {
  it('zeroGrad resets every grad in the graph, leaving other graphs alone', () => {
    const a = new Value(2);
    const b = new Value(-3);
    const other = new Value(5);
    const y = a.mul(b).add(a);
    y.backward();
    other.mul(4).backward();
    expect(a.grad).toBe(-2);
    y.zeroGrad();
    for (const v of topologicalOrder(y)) expect(v.grad).toBe(0);
    expect(other.grad).toBe(4);
  });

  it('a second backward accumulates into the leaves (zeroGrad first to avoid it)', () => {
    const a = new Value(2);
    const y = a.mul(3);
    y.backward();
    y.backward();
    expect(a.grad).toBe(6);
    y.zeroGrad();
    y.backward();
    expect(a.grad).toBe(3);
  });
});

describe('printing', () => {
  it("toString like micrograd's repr", () => {
    const a = new Value(2);
    expect(a.toString()).toBe('Value(data=2.0, grad=0.0)');
    expect(String(new Value(-0.5))).toBe('Value(data=-0.5, grad=0.0)');
    const y = a.mul(a);
    y.backward();
    expect(a.toString()).toBe('Value(data=2.0, grad=4.0)');
    expect(`${a.mul(0.1)}`).toBe('Value(data=0.2, grad=0.0)');
  });

  it("formatNumber follows Python's float repr", () => {
    const cases: [number, string][] = [
      [2, '2.0'],
      [-3, '-3.0'],
      [0, '0.0'],
      [-0, '-0.0'],
      [0.1, '0.1'],
      [0.1 + 0.2, '0.30000000000000004'],
      [1e-4, '0.0001'],
      [1e-5, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [2 ** 60, '1.152921504606847e+18'],
      [1e300, '1e+300'],
      [Number.NaN, 'nan'],
      [Number.POSITIVE_INFINITY, 'inf'],
      [Number.NEGATIVE_INFINITY, '-inf'],
    ];
    for (const [x, s] of cases) expect(formatNumber(x)).toBe(s);
  });
});

describe('leaves, labels and hand-built nodes', () => {
  it('isLeaf, label and op', () => {
    const a = new Value(1, [], '', { label: 'a' });
    const b = a.tanh();
    expect(a.isLeaf).toBe(true);
    expect(b.isLeaf).toBe(false);
    expect(a.label).toBe('a');
    expect(b.label).toBe('');
    expect(a.op).toBe('');
    expect(b.op).toBe('tanh');
    expect(b.children).toEqual([a]);
    expect(a.add(1).op).toBe('+');
    expect(a.mul(1).op).toBe('*');
    expect(a.relu().op).toBe('ReLU');
    expect(a.exp().op).toBe('exp');
    expect(a.log().op).toBe('log');
    expect(a.sigmoid().op).toBe('sigmoid');
  });

  it('a node built with the constructor passes no gradient to its children', () => {
    const a = new Value(2);
    const custom = new Value(4, [a], 'custom');
    custom.mul(3).backward();
    expect(custom.grad).toBe(3);
    expect(a.grad).toBe(0);
  });
});

describe('wrong arguments', () => {
  it('name the argument, the op and the value', () => {
    const a = new Value(1);
    const bad = (x: unknown) => x as number;
    expect(() => a.add(bad('3'))).toThrow(
      new TypeError("Argument 'other' passed to 'add' must be a Value or a number, got string '3'"),
    );
    expect(() => a.mul(bad(undefined))).toThrow(
      /Argument 'other' passed to 'mul' .* got undefined/,
    );
    expect(() => a.sub(bad(null))).toThrow(/'other' passed to 'sub' .* got null/);
    expect(() => a.div(bad([1]))).toThrow(/'other' passed to 'div' .* got an array of length 1/);
    expect(() => a.pow(bad(new Value(2)))).toThrow(
      /Argument 'exponent' passed to 'pow' must be a number, got an object \(Value\)/,
    );
    expect(() => new Value(bad('2'))).toThrow(
      new TypeError("Argument 'data' passed to 'Value' must be a number, got string '2'"),
    );
    expect(() => add(bad({}), 1)).toThrow(
      /Argument 'a' passed to 'add' .* got an object \(Object\)/,
    );
    expect(() => mul(1, bad(2n))).toThrow(/Argument 'b' passed to 'mul' .* got bigint 2n/);
    expect(() => toValue(bad(true))).toThrow(/got boolean true/);
    expect(() => sum([1, bad('x')])).toThrow(/Argument 'values\[1\]' passed to 'sum'/);
    expect(() => sum(bad(5) as unknown as number[])).toThrow(/Argument 'values' passed to 'sum'/);
  });
});
