import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar } from './progress.js';

describe('ProgressBar', () => {
  it('draws the bar, counts, percentage and ETA from elapsed time per step', () => {
    let now = 0;
    const written: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => written.push(s) }, 100, {
      width: 10,
      now: () => now,
    });
    now = 500;
    bar.update(25, 'loss 0.5000');
    // 25 steps in 500 ms → 75 left take 1500 ms.
    expect(written[0]).toBe('\r[███░░░░░░░]  25/100  25%  loss 0.5000  ETA 1.5s\x1b[K');
    now = 510;
    bar.update(26); // throttled: less than 50 ms since the last draw
    expect(written).toHaveLength(1);
    now = 2000;
    bar.update(100);
    expect(written[1]).toBe('\r[██████████] 100/100 100%  took 2.0s\x1b[K');
    bar.clear();
    expect(written[2]).toBe('\r\x1b[K');
  });
});

describe('formatDuration', () => {
  it('uses ms, seconds with one decimal, then minutes', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(1300)).toBe('1.3s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(Number.NaN)).toBe('--');
  });
});
