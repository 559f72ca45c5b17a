import { getFamily, runSettings } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { describeSchedule, formatRate } from './schedule.js';

describe('describeSchedule', () => {
  it("says the family's decay (lr/10 from half the run), as runSettings builds it", () => {
    const run = runSettings(getFamily('mlp'), { lr: 0.1, steps: 200_000 });
    expect(describeSchedule(run.schedule, 0.1)).toBe('0.1, then 0.01 from step 100,000');
    const short = runSettings(getFamily('mlp'));
    expect(describeSchedule(short.schedule, 0.1)).toBe('0.1, then 0.01 from step 15,000');
  });

  it('says a constant rate', () => {
    expect(describeSchedule({ kind: 'ConstantLR', factor: 1 }, 0.05)).toBe('0.05 at every step');
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
