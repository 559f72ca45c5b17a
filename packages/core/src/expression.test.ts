import { describe, expect, it } from 'vitest';
import { ExpressionError } from './errors.js';
import { buildExpression, MAX_EXPRESSION_DEPTH } from './expression.js';
import { derivative } from './numeric.js';

// The three programs the CLI (`lmp micrograd graph --preset`) and the web lab ship as presets.
// Python's `c += …` in micrograd's README rebinds `c`; here each binding gets its own name.
const CHAIN = 'a = 2; b = -3; c = 10; e = a*b; d = e + c; f = -2; L = d*f';
const NEURON =
  'x1 = 2; x2 = 0; w1 = -3; w2 = 1; b = 6.8813735870195432; ' +
  'x1w1 = x1*w1; x2w2 = x2*w2; x1w1x2w2 = x1w1 + x2w2; n = x1w1x2w2 + b; o = tanh(n)';
const README =
  'a = -4; b = 2; c = a + b; d = a*b + b**3; ' +
  'c2 = c + (c + 1); c3 = c2 + (1 + c2 + (-a)); ' +
  'd2 = d + (d*2 + relu(b + a)); d3 = d2 + (3*d2 + relu(b - a)); ' +
  'e = c3 - d3; f = e**2; g1 = f / 2; g = g1 + 10 / f';

/** d(root)/d(name) by central differences: re-evaluates the program with the leaf's literal moved. */
function numericGrad(source: string, name: string): number {
  const pattern = new RegExp(`\\b${name} = (-?[\\d.]+)`);
  const literal = pattern.exec(source);
  if (literal === null) throw new Error(`no literal leaf '${name}' in the source`);
  const at = (x: number) => buildExpression(source.replace(pattern, `${name} = ${x}`)).root.data;
  return derivative(at, Number(literal[1]));
}

function errorOf(source: string): ExpressionError {
  try {
    buildExpression(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

const messageOf = (source: string) => errorOf(source).message;

describe('buildExpression: values and gradients', () => {
  it('evaluates the example from the help: L = a*b + b**2', () => {
    const { root, names, rootName, leaves } = buildExpression('a = 2; b = -3; L = a*b + b**2');
    expect(rootName).toBe('L');
    expect(root.data).toBe(3);
    expect(root.label).toBe('L');
    root.backward();
    expect(names.get('a')!.grad).toBe(-3); // dL/da = b
    expect(names.get('b')!.grad).toBe(-4); // dL/db = a + 2b
    expect(leaves.map((leaf) => leaf.name)).toEqual(['a', 'b']);
  });

  it('folds constants: b = -3 is a leaf, not neg(3); 2*3 is 6', () => {
    const { names } = buildExpression('b = -3; c = 2*3 - 1; L = b*c');
    expect(names.get('b')!.op).toBe('');
    expect(names.get('b')!.children).toHaveLength(0);
    expect(names.get('b')!.data).toBe(-3);
    expect(names.get('c')!.data).toBe(5);
  });

  it("builds lecture 1's chain: L = -8, dL/da = 6, dL/db = -4, dL/dc = -2, dL/df = 4", () => {
    const { root, names } = buildExpression(CHAIN);
    root.backward();
    expect(root.data).toBe(-8);
    const grads = Object.fromEntries([...names].map(([name, value]) => [name, value.grad]));
    expect(grads).toEqual({ a: 6, b: -4, c: -2, e: -2, d: -2, f: 4, L: 1 });
  });

  it("builds lecture 1's neuron: o = 0.7071, x1.grad = -1.5, w1.grad = 1.0", () => {
    const { root, names } = buildExpression(NEURON);
    root.backward();
    expect(root.data).toBeCloseTo(Math.SQRT1_2, 12);
    expect(names.get('n')!.data).toBeCloseTo(0.881373587019543, 12);
    expect(names.get('x1')!.grad).toBeCloseTo(-1.5, 12);
    expect(names.get('w1')!.grad).toBeCloseTo(1.0, 12);
    expect(names.get('x2')!.grad).toBeCloseTo(0.5, 12);
    expect(names.get('w2')!.grad).toBe(0);
    expect(names.get('b')!.grad).toBeCloseTo(0.5, 12);
  });

  it("reproduces micrograd's README numbers: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", () => {
    const { root, names } = buildExpression(README);
    root.backward();
    expect(root.data.toFixed(4)).toBe('24.7041');
    expect(names.get('a')!.grad.toFixed(4)).toBe('138.8338');
    expect(names.get('b')!.grad.toFixed(4)).toBe('645.5773');
  });

  it('follows Python precedence: -x**2, 2**-1, right-associative **, / and - left to right', () => {
    const value = (source: string) => buildExpression(source).root.data;
    expect(value('x = 3; y = -x**2')).toBe(-9);
    expect(value('x = 3; y = 2**-1 * x')).toBe(1.5);
    expect(value('x = 2; y = x**3**2')).toBe(512);
    expect(value('x = 8; y = x / 2 / 2')).toBe(2);
    expect(value('x = 8; y = x - 2 - 3')).toBe(3);
    expect(value('x = 3; y = (x + 1) * (x - 1)')).toBe(8);
    expect(value('x = 3; y = 1 - x')).toBe(-2);
    expect(value('x = 4; y = 2 / x')).toBe(0.5);
  });

  it('matches central differences through every function and operator', () => {
    const source =
      'x = 0.7; w = -1.3\n' +
      'u = sigmoid(x*w) + tanh(x - w) + exp(x/3) + log(x*x + 1) + relu(w + 2)\n' +
      '# a comment line\n' +
      'L = u**2 / (1 + x) - 3*w';
    const { root, names } = buildExpression(source);
    root.backward();
    for (const name of ['x', 'w']) {
      expect(names.get(name)!.grad).toBeCloseTo(numericGrad(source, name), 6);
    }
  });

  it('takes statements separated by new lines and by semicolons, with blank lines and a trailing ;', () => {
    const { root } = buildExpression('\n a = 1\n\n b = a + 1;\n c = b * 2;\n');
    expect(root.data).toBe(4);
  });
});

describe('buildExpression: errors name the problem and its column', () => {
  it('reports an unknown name with its column', () => {
    expect(messageOf('a = 2; L = a * c')).toBe("unknown name 'c' at column 16");
  });

  it('refuses a non-constant exponent', () => {
    expect(messageOf('a = 2; L = a ** a')).toBe(
      "the exponent of '**' must be a constant number, got the Value 'a' at column 17; " +
        "micrograd's pow takes a number k; for a Value exponent write exp(k*log(x))",
    );
  });

  it('reports the end of input, missing parentheses and stray characters', () => {
    expect(messageOf('a = 2 +')).toBe(
      "expected a number, a name or '(', got the end of the expression at column 8",
    );
    expect(messageOf('a = 2; b = (a + 1')).toBe(
      "expected ')', got the end of the expression at column 18",
    );
    expect(messageOf('a = $')).toBe("unexpected character '$' at column 5");
    expect(messageOf('a = 2 3')).toBe("expected ';' or a new line, got '3' at column 7");
    expect(messageOf('2 = a')).toBe("expected a name to assign, got '2' at column 1");
    expect(messageOf('a 2')).toBe("expected '=', got '2' at column 3");
  });

  it('gives line and column in a multi-line program', () => {
    expect(messageOf('a = 2\nb = a + q')).toBe("unknown name 'q' at line 2, column 9");
  });

  it('names unknown functions and functions used without parentheses', () => {
    expect(messageOf('a = 2; b = sqrt(a)')).toBe(
      "unknown function 'sqrt' (known: exp, log, tanh, relu, sigmoid) at column 12",
    );
    expect(messageOf('a = 2; b = tanh')).toBe(
      "function 'tanh' needs parentheses: tanh(x) at column 12",
    );
    expect(messageOf('exp = 2')).toBe("'exp' is a function and cannot be assigned at column 1");
  });

  it('rejects an empty program', () => {
    expect(messageOf('  ')).toBe("expected a statement such as 'a = 2' at column 3");
  });

  it('carries the 1-based line and column the editor points at, counting from the last new line', () => {
    const error = errorOf('a = 2\n\n  b = a ** (a + 1)');
    expect(error.name).toBe('ExpressionError');
    expect(error.line).toBe(3);
    expect(error.column).toBe(12);
    expect(error.message).toBe(
      "the exponent of '**' must be a constant number, got the Value '+' at line 3, column 12; " +
        "micrograd's pow takes a number k; for a Value exponent write exp(k*log(x))",
    );
    // Surrounding blank lines do not make a one-line program multi-line.
    expect(messageOf('\n a = q\n')).toBe("unknown name 'q' at column 6");
    expect(errorOf('\n a = q\n').line).toBe(2);
  });

  it('names a new line where a token was expected', () => {
    expect(messageOf('a = 2 *\nb = 1')).toBe(
      "expected a number, a name or '(', got a new line at line 1, column 8",
    );
  });
});

describe('buildExpression: deep nesting', () => {
  const nested = (levels: number, open: string, close: string) =>
    `a = 2; L = ${open.repeat(levels)}a${close.repeat(levels)}`;

  it('accepts nesting up to MAX_EXPRESSION_DEPTH − 1 levels, with the right value and gradient', () => {
    const { root, names } = buildExpression(nested(MAX_EXPRESSION_DEPTH - 1, '(', ')'));
    expect(root.data).toBe(2);
    const signs = buildExpression(nested(MAX_EXPRESSION_DEPTH - 2, '-', '')); // an even count
    expect(signs.root.data).toBe(2);
    signs.root.backward();
    expect(signs.names.get('a')?.grad).toBe(1);
    expect(names.get('a')?.data).toBe(2);
  });

  it.each([
    ['parentheses', '(', ')'],
    ['signs', '-', ''],
    ['function calls', 'tanh(', ')'],
    ['powers', '', ''],
  ])(
    'throws an ExpressionError, not a stack overflow, at 10,000 levels of %s',
    (kind, open, close) => {
      const source =
        kind === 'powers' ? `a = 2; L = a${'**2'.repeat(10_000)}` : nested(10_000, open, close);
      const error = errorOf(source);
      expect(error.message).toMatch(
        new RegExp(
          `^the expression is nested too deeply \\(more than ${MAX_EXPRESSION_DEPTH} levels of parentheses, function calls, signs or powers\\) at column \\d+; split it into statements`,
        ),
      );
      expect(error.line).toBe(1);
    },
  );
});

describe('ExpressionError', () => {
  it('formats the position, the line only when asked, and the hint after a semicolon', () => {
    expect(new ExpressionError('bad', 1, 4).message).toBe('bad at column 4');
    expect(new ExpressionError('bad', 2, 4, { multiline: true }).message).toBe(
      'bad at line 2, column 4',
    );
    expect(new ExpressionError('bad', 1, 4, { hint: 'try this' }).message).toBe(
      'bad at column 4; try this',
    );
  });
});
