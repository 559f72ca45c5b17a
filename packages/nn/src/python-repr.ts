/** Python's `repr` of numbers, for module reprs (`eps=1e-05`) that match PyTorch's printout. */

/**
 * Python's `repr` of a float: `0.0`, `0.1`, `5e-05`, `1e+16`, `nan`, `inf` (JavaScript writes `0`,
 * `5e-5`, `NaN`, `Infinity`). Scientific below 1e-4 and from 1e16 on, with a two-digit exponent.
 *
 * @example
 * ```ts
 * pythonFloat(1e-5); // '1e-05'
 * pythonFloat(0); // '0.0'
 * pythonFloat(0.1); // '0.1'
 * pythonFloat(4.656612873077393e-10); // '4.656612873077393e-10'
 * pythonFloat(Number.NaN); // 'nan'
 * ```
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return '-0.0';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [mantissa, exponent] = x.toExponential().split('e');
    const e = Number(exponent);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}
