import { buildExpression, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { formatFixed, structureDot } from './graph-dot.js';
import { PRESETS } from './presets.js';

describe('structureDot', () => {
  it('keeps the draw_dot structure but not the numbers, so the layout survives new values', () => {
    const a = buildExpression(PRESETS.chain.source);
    const b = buildExpression(PRESETS.chain.source.replace('a = 2', 'a = 123.25'));
    expect(structureDot(a.root, 10)).toBe(structureDot(b.root, 10));
    const dot = structureDot(a.root);
    expect(dot).toContain('v0 [shape=record, label="{ a | data 00000000 | grad 0000000000 }"];');
    expect(dot).toContain('op6 [label="*"];');
    expect(dot).not.toMatch(/data -?\d+\.\d/);
  });

  it('placeholders are as wide as the widest number', () => {
    expect(structureDot(new Value(-12345.5).mul(2))).toContain('data 00000000000');
  });

  it('formatFixed prints as micrograd (%.4f)', () => {
    expect(formatFixed(-2 / 3)).toBe('-0.6667');
    expect(formatFixed(-0.00001)).toBe('-0.0000');
    expect(formatFixed(Number.NaN)).toBe('nan');
    expect(formatFixed(Number.NEGATIVE_INFINITY)).toBe('-inf');
  });
});
