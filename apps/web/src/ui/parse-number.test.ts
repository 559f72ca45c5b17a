import { describe, expect, it } from 'vitest';
import { parseNumberInput } from './parse-number.js';

describe('parseNumberInput', () => {
  it('reads plain, negative, decimal and exponent forms', () => {
    expect(parseNumberInput('42')).toBe(42);
    expect(parseNumberInput('-0.5')).toBe(-0.5);
    expect(parseNumberInput('1e-3')).toBe(0.001);
    expect(parseNumberInput(' 7 ')).toBe(7);
  });

  it('rejects empty, blank, malformed and infinite entries', () => {
    expect(parseNumberInput('')).toBeNull();
    expect(parseNumberInput('   ')).toBeNull();
    expect(parseNumberInput('abc')).toBeNull();
    expect(parseNumberInput('1e400')).toBeNull();
    expect(parseNumberInput('Infinity')).toBeNull();
  });
});
