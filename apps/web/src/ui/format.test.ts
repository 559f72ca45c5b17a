import { describe, expect, it } from 'vitest';
import { formatCount, formatDecimal, formatLoss } from './format.js';

describe('formatCount', () => {
  it('groups thousands with commas', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(32033)).toBe('32,033');
    expect(formatCount(4294967295)).toBe('4,294,967,295');
  });
});

describe('formatDecimal', () => {
  it('fixes the decimals (four by default)', () => {
    expect(formatDecimal(2.12603)).toBe('2.1260');
    expect(formatDecimal(-0.5, 2)).toBe('-0.50');
  });

  it('shows a dash for missing and non-finite values', () => {
    expect(formatDecimal(undefined)).toBe('—');
    expect(formatDecimal(null)).toBe('—');
    expect(formatDecimal(Number.NaN)).toBe('—');
    expect(formatDecimal(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatLoss', () => {
  it('uses four decimals below 10,000 and scientific notation from there', () => {
    expect(formatLoss(0.31234)).toBe('0.3123');
    expect(formatLoss(9999.5)).toBe('9999.5000');
    expect(formatLoss(10000)).toBe('1.000e+4');
    expect(formatLoss(-123456)).toBe('-1.235e+5');
  });
});
