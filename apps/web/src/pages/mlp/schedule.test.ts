import { describe, expect, it } from 'vitest';
import { formatRate, parseSchedule } from './schedule.js';

describe('parseSchedule', () => {
  it("gives the lecture's step decay", () => {
    const s = parseSchedule({ lr: 0.1, schedule: 'step', decayStep: 100_000, decayFactor: 0.1 });
    expect([s.at(0), s.at(99_999), s.at(100_000), s.at(199_999)]).toEqual([0.1, 0.1, 0.01, 0.01]);
    expect(s.describe()).toBe('0.1, then 0.01 from step 100,000');
  });

  it('gives a constant rate whatever the decay settings say', () => {
    const s = parseSchedule({ lr: 0.05, schedule: 'constant', decayStep: 10, decayFactor: 0.1 });
    expect([s.at(0), s.at(10), s.at(1e6)]).toEqual([0.05, 0.05, 0.05]);
    expect(s.describe()).toBe('0.05 at every step');
  });

  it('decays at step 0 when asked to (every step uses the decayed rate)', () => {
    const s = parseSchedule({ lr: 1, schedule: 'step', decayStep: 0, decayFactor: 0.5 });
    expect(s.at(0)).toBe(0.5);
  });

  it('rejects bad settings, naming the argument and the value', () => {
    const base = { lr: 0.1, schedule: 'step' as const, decayStep: 5, decayFactor: 0.1 };
    expect(() => parseSchedule({ ...base, lr: 0 })).toThrow(
      "Argument 'lr' passed to 'parseSchedule' must be a number > 0, got 0",
    );
    expect(() => parseSchedule({ ...base, lr: Number.NaN })).toThrow('got NaN');
    expect(() => parseSchedule({ ...base, decayStep: 2.5 })).toThrow("'decayStep'");
    expect(() => parseSchedule({ ...base, decayFactor: -1 })).toThrow("'decayFactor'");
    expect(() => parseSchedule({ ...base, schedule: 'cosine' as 'step' })).toThrow("got 'cosine'");
  });
});

describe('formatRate', () => {
  it('prints rates briefly', () => {
    expect([0.1, 0.01, 3e-4, 1e4, 0.123456, 1].map(formatRate)).toEqual([
      '0.1',
      '0.01',
      '3e-4',
      '1e+4',
      '0.1235',
      '1',
    ]);
  });
});
