import { describe, expect, it } from 'vitest';
import { arrowKeyDelta } from './plot-figure.js';

describe('arrowKeyDelta', () => {
  it('moves by 0.1, by 1 with Shift, and not for other keys', () => {
    expect(arrowKeyDelta({ key: 'ArrowRight', shiftKey: false })).toBe(0.1);
    expect(arrowKeyDelta({ key: 'ArrowUp', shiftKey: true })).toBe(1);
    expect(arrowKeyDelta({ key: 'ArrowLeft', shiftKey: false })).toBe(-0.1);
    expect(arrowKeyDelta({ key: 'ArrowDown', shiftKey: true })).toBe(-1);
    expect(arrowKeyDelta({ key: 'Enter', shiftKey: false })).toBe(0);
  });
});
