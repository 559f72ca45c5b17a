/**
 * A tiny language for building micrograd graphs from text: statements `name = expression`. The
 * CLI's `lmp micrograd graph --expr` and the web app's expression lab both read it.
 *
 *   program   := statement ((';' | newline) statement)*
 *   statement := NAME '=' sum
 *   sum       := product (('+' | '-') product)*
 *   product   := unary (('*' | '/') unary)*
 *   unary     := '-' unary | power
 *   power     := atom ('**' unary)?            (right-associative, binds tighter than unary minus:
 *                                              -x**2 is -(x**2), 2**-1 is 0.5, as in Python)
 *   atom      := NUMBER | NAME | FUNC '(' sum ')' | '(' sum ')'      FUNC: exp log tanh relu sigmoid
 *
 * `#` starts a comment that runs to the end of the line.
 *
 * Evaluation builds `Value`s as it goes, so the result is the same graph micrograd would build.
 * Constants fold: `b = -3` is a leaf holding -3 (not `neg(3)`), `2*3` is 6. A statement whose value
 * is a plain number becomes a leaf labelled with its name; any other statement labels its node.
 * The exponent of `**` must fold to a number, because micrograd's `pow` takes a constant exponent.
 * The last statement is the root.
 */

import { ExpressionError } from './errors.js';
import { Value, type ValueLike } from './value.js';

/**
 * A named leaf of an expression: a statement whose right-hand side folded to a number.
 *
 * @example
 * ```ts
 * const [leaf] = buildExpression('a = 2*3; L = a + 1').leaves;
 * leaf.name; // 'a'
 * leaf.value.data; // 6
 * ```
 */
export interface ExpressionLeaf {
  name: string;
  value: Value;
}

/**
 * What `buildExpression` returns: the root and every named node, in statement order.
 *
 * @example
 * ```ts
 * const graph: ExpressionGraph = buildExpression('x = 3; y = x*x; z = y + x');
 * graph.rootName; // 'z'
 * [...graph.names.keys()]; // ['x', 'y', 'z']
 * graph.leaves.length; // 1
 * ```
 */
export interface ExpressionGraph {
  /** The last statement's node. */
  root: Value;
  /** The name of the last statement. */
  rootName: string;
  /** Every name's final binding, in the order first assigned. */
  names: Map<string, Value>;
  /** The named leaves (statements that folded to a number), in order. */
  leaves: ExpressionLeaf[];
}

type TokenKind = 'number' | 'name' | 'op' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  offset: number;
}

const FUNCTIONS: Record<string, (x: ValueLike) => ValueLike> = {
  exp: (x) => (typeof x === 'number' ? Math.exp(x) : x.exp()),
  log: (x) => (typeof x === 'number' ? Math.log(x) : x.log()),
  tanh: (x) => (typeof x === 'number' ? Math.tanh(x) : x.tanh()),
  relu: (x) => (typeof x === 'number' ? Math.max(0, x) : x.relu()),
  sigmoid: (x) => (typeof x === 'number' ? 1 / (1 + Math.exp(-x)) : x.sigmoid()),
};

/**
 * Parses and evaluates `source`, returning the root `Value` (forward pass done, no backward yet)
 * and every named node, so that a caller can run `root.backward()` and read each name's `grad`.
 * Throws `ExpressionError` (with 1-based `line` and `column`, so an editor can point at them) for
 * syntax errors, unknown names and functions, and `**` with a non-constant exponent.
 *
 * @example
 * ```ts
 * const { root, names } = buildExpression('a = 2; b = -3; L = a*b + b**2');
 * root.data; // 3
 * root.backward();
 * // dL/da = b and dL/db = a + 2b
 * names.get('a')!.grad; // -3
 * names.get('b')!.grad; // -4
 * buildExpression('a = 2; L = a * c'); // throws ExpressionError
 * ```
 */
export function buildExpression(source: string): ExpressionGraph {
  return new Parser(source).program();
}

/**
 * The deepest nesting `buildExpression` accepts: parentheses, function calls, signs (`- - x`) and
 * chained powers, together. The parser descends recursively (a handful of stack frames per level),
 * so without a bound ~1,500 nested parentheses overflowed the JavaScript stack; past this depth
 * it throws an `ExpressionError` instead. No expression a person writes comes near it.
 */
export const MAX_EXPRESSION_DEPTH = 256;

class Parser {
  private readonly tokens: Token[];
  private position = 0;
  /** Current nesting depth (see `MAX_EXPRESSION_DEPTH`). */
  private depth = 0;
  private readonly bindings = new Map<string, Value>();
  private readonly leaves: ExpressionLeaf[] = [];
  private readonly multiline: boolean;

  constructor(private readonly source: string) {
    this.multiline = source.trim().includes('\n');
    this.tokens = this.tokenize();
  }

  program(): ExpressionGraph {
    let rootName = '';
    let root: Value | undefined;
    this.skipSeparators();
    while (this.peek().kind !== 'end') {
      const statement = this.statement();
      rootName = statement.name;
      root = statement.value;
      const next = this.peek();
      if (next.kind !== 'end' && !isSeparator(next)) {
        throw this.error(`expected ';' or a new line, got ${quote(next)}`, next);
      }
      this.skipSeparators();
    }
    if (root === undefined) {
      throw this.error("expected a statement such as 'a = 2'", this.peek());
    }
    return { root, rootName, names: this.bindings, leaves: this.leaves };
  }

  private statement(): { name: string; value: Value } {
    const nameToken = this.peek();
    if (nameToken.kind !== 'name') {
      throw this.error(`expected a name to assign, got ${quote(nameToken)}`, nameToken);
    }
    if (nameToken.text in FUNCTIONS) {
      throw this.error(`'${nameToken.text}' is a function and cannot be assigned`, nameToken);
    }
    this.position++;
    this.expect('=');
    const result = this.sum();
    let value: Value;
    if (typeof result === 'number') {
      value = new Value(result, [], '', { label: nameToken.text });
      this.leaves.push({ name: nameToken.text, value });
    } else {
      // NOTE: `c = a` aliases: the node `a` is relabelled `c`, as assigning in Python would not
      // (there the node keeps its first label); aliasing is rare enough not to copy the node.
      value = result;
      value.label = nameToken.text;
    }
    this.bindings.set(nameToken.text, value);
    return { name: nameToken.text, value };
  }

  private sum(): ValueLike {
    let left = this.product();
    for (;;) {
      const op = this.peek();
      if (op.text !== '+' && op.text !== '-') return left;
      this.position++;
      const right = this.product();
      left = binary(op.text, left, right);
    }
  }

  private product(): ValueLike {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      if (op.text !== '*' && op.text !== '/') return left;
      this.position++;
      const right = this.unary();
      left = binary(op.text, left, right);
    }
  }

  private unary(): ValueLike {
    this.enter(this.peek());
    try {
      if (this.peek().text === '-') {
        this.position++;
        const operand = this.unary();
        return typeof operand === 'number' ? -operand : operand.neg();
      }
      return this.power();
    } finally {
      this.depth--;
    }
  }

  /** One level deeper: an `ExpressionError` at `token` beyond `MAX_EXPRESSION_DEPTH`. */
  private enter(token: Token): void {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      throw this.error(
        `the expression is nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels of parentheses, function calls, signs or powers)`,
        token,
        "split it into statements, such as 't = (…)' and then use t",
      );
    }
  }

  private power(): ValueLike {
    const base = this.atom();
    if (this.peek().text !== '**') return base;
    this.position++;
    const exponentToken = this.peek();
    const exponent = this.unary();
    if (typeof exponent !== 'number') {
      throw this.error(
        `the exponent of '**' must be a constant number, got the Value '${exponent.label || exponent.op}'`,
        exponentToken,
        "micrograd's pow takes a number k; for a Value exponent write exp(k*log(x))",
      );
    }
    return typeof base === 'number' ? base ** exponent : base.pow(exponent);
  }

  private atom(): ValueLike {
    const token = this.peek();
    if (token.kind === 'number') {
      this.position++;
      return Number(token.text);
    }
    if (token.kind === 'name') {
      this.position++;
      if (this.peek().text === '(') {
        const fn = FUNCTIONS[token.text];
        if (fn === undefined) {
          const known = Object.keys(FUNCTIONS).join(', ');
          throw this.error(`unknown function '${token.text}' (known: ${known})`, token);
        }
        this.position++;
        const argument = this.sum();
        this.expect(')');
        return fn(argument);
      }
      if (token.text in FUNCTIONS) {
        throw this.error(`function '${token.text}' needs parentheses: ${token.text}(x)`, token);
      }
      const bound = this.bindings.get(token.text);
      if (bound === undefined) throw this.error(`unknown name '${token.text}'`, token);
      return bound;
    }
    if (token.text === '(') {
      this.position++;
      const inner = this.sum();
      this.expect(')');
      return inner;
    }
    throw this.error(`expected a number, a name or '(', got ${quote(token)}`, token);
  }

  // ---- tokens ----------------------------------------------------------------------------------

  private tokenize(): Token[] {
    const tokens: Token[] = [];
    const pattern =
      /[ \t\r]+|#[^\n]*|(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/()=;\n])/y;
    let offset = 0;
    while (offset < this.source.length) {
      pattern.lastIndex = offset;
      const match = pattern.exec(this.source);
      if (match === null) {
        const bad: Token = { kind: 'op', text: this.source[offset], offset };
        throw this.error(`unexpected character '${this.source[offset]}'`, bad);
      }
      if (match[1] !== undefined) tokens.push({ kind: 'number', text: match[1], offset });
      else if (match[2] !== undefined) tokens.push({ kind: 'name', text: match[2], offset });
      else if (match[3] !== undefined) tokens.push({ kind: 'op', text: match[3], offset });
      offset = pattern.lastIndex;
    }
    tokens.push({ kind: 'end', text: '', offset: this.source.length });
    return tokens;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private expect(text: string): void {
    const token = this.peek();
    if (token.text !== text || token.kind !== 'op') {
      throw this.error(`expected '${text}', got ${quote(token)}`, token);
    }
    this.position++;
  }

  private skipSeparators(): void {
    while (isSeparator(this.peek())) this.position++;
  }

  private error(message: string, token: Token, hint = ''): ExpressionError {
    const before = this.source.slice(0, token.offset);
    const line = before.split('\n').length;
    const column = token.offset - before.lastIndexOf('\n');
    return new ExpressionError(message, line, column, { multiline: this.multiline, hint });
  }
}

function isSeparator(token: Token): boolean {
  return token.kind === 'op' && (token.text === ';' || token.text === '\n');
}

function quote(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  if (token.text === '\n') return 'a new line';
  return `'${token.text}'`;
}

/** `left op right`, folding when both are numbers; a number meeting a Value becomes a constant. */
function binary(op: string, left: ValueLike, right: ValueLike): ValueLike {
  if (typeof left === 'number' && typeof right === 'number') {
    if (op === '+') return left + right;
    if (op === '-') return left - right;
    if (op === '*') return left * right;
    return left / right;
  }
  const base = typeof left === 'number' ? new Value(left) : left;
  if (op === '+') return base.add(right);
  if (op === '-') return base.sub(right);
  if (op === '*') return base.mul(right);
  return base.div(right);
}
