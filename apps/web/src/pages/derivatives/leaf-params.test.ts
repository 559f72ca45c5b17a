import { describe, expect, it } from 'vitest';
import { changedLeaves, formatLeaves, parseLeaves } from './leaf-params.js';

describe('the lab inputs in the URL (issue 10: leaf values were lost)', () => {
  it('round-trips labels and values, skipping malformed entries', () => {
    const values = new Map([
      ['a', 2.5],
      ['b', -1],
      ['x1', 1e-7],
    ]);
    expect(formatLeaves(values)).toBe('a:2.5,b:-1,x1:1e-7');
    expect(parseLeaves(formatLeaves(values))).toEqual(values);
    expect(parseLeaves('a:2,:3,b:,c:x,d:Infinity, e : 4 ,')).toEqual(
      new Map([
        ['a', 2],
        ['e', 4],
      ]),
    );
    expect(parseLeaves('')).toEqual(new Map());
  });

  it('keeps only the inputs moved from the expression’s own values', () => {
    const initial = new Map([
      ['a', 2],
      ['b', -3],
    ]);
    const current = new Map([
      ['a', 2],
      ['b', 4],
    ]);
    expect(changedLeaves(current, initial)).toEqual(new Map([['b', 4]]));
  });
});
