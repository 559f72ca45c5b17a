/**
 * What a number input's text means: a finite number, or `null` for an empty or malformed entry
 * (which must not become a setting: `Number('')` is 0, and a cleared seed field would quietly
 * mean seed 0).
 *
 * @example
 * ```ts
 * parseNumberInput('1e-3'); // 0.001
 * parseNumberInput(''); // null
 * ```
 */
export function parseNumberInput(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
