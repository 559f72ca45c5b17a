/**
 * Checks for the trailing options object that PyTorch's keyword arguments become here
 * (`sum(1, { keepdim: true })`). PyTorch also accepts some of them positionally (`x.sum(1, True)`),
 * and a JavaScript caller who writes the PyTorch form must never get a silently different result:
 * the positional forms PyTorch has are honoured (`keepdimArg`), and anything else that is not an
 * options object — a number, a string, an array, or a misspelt key — is an error naming the op.
 */

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${JSON.stringify(value)})`;
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` as an options object of `op` (undefined → {}). Throws a TypeError for anything that is not
 * a plain object and, when `known` is given, for a key outside it (a misspelling such as `keepDim`).
 */
export function optionsArg<T extends object>(
  value: unknown,
  op: string,
  known?: readonly (keyof T & string)[],
): Partial<T> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    const keys = known ? ` { ${known.join(', ')} }` : '';
    throw new TypeError(
      `${op}(): expected an options object${keys} as the last argument, got ${describe(value)}`,
    );
  }
  if (known) {
    for (const key of Object.keys(value)) {
      if (!(known as readonly string[]).includes(key)) {
        throw new TypeError(
          `${op}(): unknown option '${key}' (expected ${known.map((k) => `'${k}'`).join(', ')})`,
        );
      }
    }
  }
  return value as Partial<T>;
}

/**
 * `keepdim` given PyTorch's way (positionally: `sum(1, true)`) or ours (`sum(1, { keepdim: true })`).
 * NOTE: the positional boolean is accepted because PyTorch accepts it; anything else that is not a
 * `{ keepdim }` object throws rather than being ignored.
 */
export function keepdimArg(value: unknown, op: string): boolean {
  if (typeof value === 'boolean') return value;
  const { keepdim } = optionsArg<{ keepdim: boolean }>(value, op, ['keepdim']);
  if (keepdim !== undefined && typeof keepdim !== 'boolean') {
    throw new TypeError(`${op}(): keepdim must be a boolean, got ${describe(keepdim)}`);
  }
  return keepdim ?? false;
}

/** Options of the in-place and out-of-place `add`/`sub` (`alpha` is keyword-only in PyTorch too). */
export function alphaArg(value: unknown, op: string): number | undefined {
  if (typeof value === 'number') {
    throw new TypeError(
      `${op}(): alpha is keyword-only, as in PyTorch: write ${op}(other, { alpha: ${value} })`,
    );
  }
  const { alpha } = optionsArg<{ alpha: number }>(value, op, ['alpha']);
  if (alpha !== undefined && typeof alpha !== 'number') {
    throw new TypeError(`${op}(): alpha must be a number, got ${describe(alpha)}`);
  }
  return alpha;
}
