/**
 * DOT text for laying a graph out once per *structure*: core's `toDot` (micrograd's `draw_dot`
 * look) with every `data`/`grad` number replaced by a fixed-width placeholder, so the layout does
 * not depend on the numbers and the page can write the live numbers into the SVG texts in place.
 */
import { toDot, type Value } from '@llm-playground/core';

/**
 * C's `%.4f` as micrograd prints it (`nan`, `inf`, `-0.0000`).
 *
 * @example
 * ```ts
 * formatFixed(-2 / 3); // '-0.6667'
 * ```
 */
export function formatFixed(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  const s = x.toFixed(digits);
  return (x < 0 || Object.is(x, -0)) && !s.startsWith('-') ? `-${s}` : s;
}

/**
 * `toDot(root)` with the numbers replaced by placeholders `width` characters wide (default: wide
 * enough for the widest number of the graph now, and never less than `-00.0000`).
 *
 * @example
 * ```ts
 * structureDot(new Value(2).mul(3)).includes('data 0000000'); // true
 * ```
 */
export function structureDot(root: Value, width?: number): string {
  const dot = toDot(root);
  const numbers = [...dot.matchAll(/\| (?:data|grad) (\S+)/g)].map((m) => m[1].length);
  const w = width ?? Math.max(8, ...numbers);
  const placeholder = '0'.repeat(w);
  return dot.replace(
    /\| data \S+ \| grad \S+ \}/g,
    // Two more characters after the grad: room for the nudge check's mark (` ✓`).
    `| data ${placeholder} | grad ${placeholder}00 }`,
  );
}
