import { describe, expect, it } from 'vitest';
import { legendTicks } from './color-legend.js';

describe('legendTicks', () => {
  it('whole numbers from −domain to domain with 0, at most maxTicks', () => {
    expect(legendTicks(1)).toEqual([-1, 0, 1]);
    expect(legendTicks(3)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(legendTicks(8)).toEqual([-8, -6, -4, -2, 0, 2, 4, 6, 8]);
    expect(legendTicks(13)).toEqual([-13, -10, -5, 0, 5, 10, 13]);
    expect(legendTicks(40)).toEqual([-40, -30, -20, -10, 0, 10, 20, 30, 40]);
  });

  it('refuses a domain that is not a positive number', () => {
    expect(() => legendTicks(0)).toThrow(
      'legendTicks: domain must be a positive finite number, got 0',
    );
    expect(() => legendTicks(Number.NaN)).toThrow(/got NaN/);
  });
});
