import { describe, expect, it } from 'vitest';
import { describeLearningRate, parseLearningRate } from './learning-rate.js';

describe('parseLearningRate', () => {
  it('reads a constant and the lecture step decay', () => {
    expect(parseLearningRate('50', 'train').at(123)).toBe(50);
    const lecture = parseLearningRate('0.1, 0.01@100000', 'train');
    expect(lecture.text).toBe('0.1,0.01@100000');
    expect([0, 99_999, 100_000, 199_999].map((step) => lecture.at(step))).toEqual([
      0.1, 0.1, 0.01, 0.01,
    ]);
    expect(describeLearningRate(lecture)).toBe('lr 0.1 → 0.01 at step 100,000');
    const three = parseLearningRate('1e-1,3e-2@10,1e-2@20', 'train');
    expect([9, 10, 19, 20].map((step) => three.at(step))).toEqual([0.1, 0.03, 0.03, 0.01]);
  });

  it.each(['0', '-1', 'x', '0.1,0.01', '0.1,0.01@x', '0.1,0.01@10,0.001@5', '0.1@5', ''])(
    "rejects '%s' with a usage error naming the flag",
    (text) => {
      expect(() => parseLearningRate(text, 'train')).toThrow(
        `--lr must be a positive number or a step decay such as '0.1,0.01@100000', got '${text}'`,
      );
    },
  );
});
