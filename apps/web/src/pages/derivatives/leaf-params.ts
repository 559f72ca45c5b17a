/**
 * The expression lab's input values in the URL: `leaves=a:2.5,b:-1` (only the inputs moved away
 * from the value the expression gives them), so a link shows the same graph with the same inputs.
 */

/** `label:value` pairs joined by commas, in the given order; values as JavaScript prints them. */
export function formatLeaves(values: ReadonlyMap<string, number>): string {
  return [...values].map(([label, value]) => `${label}:${value}`).join(',');
}

/**
 * The pairs of a `leaves` parameter; malformed entries (no label, a value that is not a finite
 * number) are skipped rather than failing the page: a hand-edited link still opens.
 *
 * @example
 * ```ts
 * parseLeaves('a:2.5,b:-1,c:x'); // Map { 'a' => 2.5, 'b' => -1 }
 * ```
 */
export function parseLeaves(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const entry of text.split(',')) {
    const colon = entry.lastIndexOf(':');
    if (colon <= 0) continue;
    const label = entry.slice(0, colon).trim();
    const raw = entry.slice(colon + 1).trim();
    const value = Number(raw);
    if (label === '' || raw === '' || !Number.isFinite(value)) continue;
    values.set(label, value);
  }
  return values;
}

/**
 * The inputs whose value differs from the expression's own (`initial`), in `current`'s order.
 */
export function changedLeaves(
  current: ReadonlyMap<string, number>,
  initial: ReadonlyMap<string, number>,
): Map<string, number> {
  const changed = new Map<string, number>();
  for (const [label, value] of current) {
    if (!Object.is(initial.get(label), value)) changed.set(label, value);
  }
  return changed;
}
