import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import {
  checkDatasetSize,
  checkModelSize,
  checkMoonsSize,
  estimateTrainingBytes,
  formatSize,
  valuesPerMoonsPoint,
} from './size-check.js';
import { lmp, wordsDirectory } from './test-words.js';

const GB = 1e9;
const mlp = (nEmbd: number, nHidden: number, blockSize = 3) =>
  ({ kind: 'mlp', vocabSize: 27, blockSize, nEmbd, nHidden }) as const;

describe('estimateTrainingBytes', () => {
  it("counts the lecture MLP's 11,897 parameters four times over, plus one batch", () => {
    // C 27·10 + W1 30·200 + b1 200 + W2 200·27 + b2 27 = 11,897
    expect(estimateTrainingBytes(mlp(10, 200), 32)).toBe(
      11_897 * 16 + 32 * (30 + 600 + 54) * 4 * 2,
    );
    expect(estimateTrainingBytes({ kind: 'bigram-net', vocabSize: 27, blockSize: 1 }, 10)).toBe(
      729 * 16 + 10 * 81 * 4 * 2,
    );
  });
});

describe('checkModelSize', () => {
  it('accepts the lecture sizes', () => {
    expect(() => checkModelSize(mlp(10, 200), 32, 'train', 1 * GB)).not.toThrow();
  });

  it('refuses a tensor beyond the typed-array limit, naming the largest flag behind it', () => {
    expect(() => checkModelSize(mlp(10, 1e8), 32, 'train', 1e15)).toThrow(
      "--n-hidden 100000000: the mlp's W1 would have 3,000,000,000 elements (12.0 GB), more than the",
    );
    expect(() => checkModelSize(mlp(1e9, 200), 32, 'train', 1e15)).toThrow(
      /^--n-embd 1000000000: /,
    );
  });

  it('refuses a model that needs more memory than the budget, with the bytes needed', () => {
    let error: unknown;
    try {
      // 5,800,297 parameters × 16 B + 32 × (30 + 300,000 + 54) × 4 B × 2 = 169,626,256 B
      checkModelSize(mlp(10, 100_000), 32, 'train', 0.1 * GB);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      '--n-hidden 100000: the mlp needs about 169.6 MB to train (weights, gradients, optimizer state, one batch), ' +
        'more than the 100.0 MB this machine can give it; lower --n-hidden',
    );
  });
});

describe('checkDatasetSize and checkMoonsSize', () => {
  it('refuses context windows that cannot fit', () => {
    expect(() => checkDatasetSize(228_146, 3, 'train', 1 * GB)).not.toThrow();
    expect(() => checkDatasetSize(228_146, 100_000, 'train', 1e15)).toThrow(
      '--block-size 100000: the context windows of 228,146 examples need 91.3 GB, more than 4.3 GB can hold here; lower --block-size',
    );
  });

  it('refuses a moons run whose graph of Values cannot fit', () => {
    expect(valuesPerMoonsPoint([16, 16])).toBe(4 + 16 * 6 + 16 * 34 + 34);
    expect(() => checkMoonsSize(100, [16, 16], 'micrograd moons', 1 * GB)).not.toThrow();
    expect(() => checkMoonsSize(2_000_000, [16, 16], 'micrograd moons', 16 * GB)).toThrow(
      /^--samples 2000000: micrograd builds a graph of 678 Values per point, about 271\.2 GB for 2,000,000 points/,
    );
  });

  it('formats sizes', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1500)).toBe('1.5 kB');
    expect(formatSize(62_400_000_000)).toBe('62.4 GB');
  });
});

describe('lmp refuses sizes that cannot fit, before allocating', () => {
  it.each([
    [
      ['--n-hidden', '100000000'],
      /^lmp: error: --n-hidden 100000000: the mlp's W1 would have 3,000,000,000 elements/,
    ],
    [['--n-embd', '1e9'], /^lmp: error: --n-embd 1000000000: /],
    [
      // 48 words: ~330 windows of 10 million characters = 13 GB, beyond any one typed array
      ['--block-size', '10000000'],
      /^lmp: error: --block-size 10000000: the context windows of \d[\d,]* examples need /,
    ],
  ])('lmp train %j: exit 2', async (flags, message) => {
    const cwd = wordsDirectory();
    const { code, out, err } = await lmp(['train', '-i', 'words.txt', ...flags], { cwd });
    expect(code).toBe(2);
    expect(out).not.toContain('training');
    expect(err).toMatch(message);
  });

  it('lmp micrograd moons --samples 2000000: exit 2 before making the data', async () => {
    const { code, out, err } = await lmp(['micrograd', 'moons', '--samples', '2000000']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^lmp: error: --samples 2000000: micrograd builds a graph of 678 Values/);
  });
});
