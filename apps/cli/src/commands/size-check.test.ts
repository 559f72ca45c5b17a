import { describe, expect, it } from 'vitest';
import { checkDatasetSize, checkMoonsSize, formatSize, valuesPerMoonsPoint } from './size-check.js';
import { lmp, wordsDirectory } from './test-words.js';

const GB = 1e9;

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
      /^lmp: error: --n-hidden must be an integer in \[1, 100000\], got '100000000'/,
    ],
    [['--n-embd', '1e9'], /^lmp: error: --n-embd must be an integer in \[1, 1024\], got '1e9'/],
    [
      // within each flag's range, but W1 [65536, 100000] with its gradient and optimizer state is 105 GB
      ['--block-size', '64', '--n-embd', '1024', '--n-hidden', '100000'],
      /^lmp: error: mlp: needs 104\.9 GB for W1 \[65536, 100000\] and the other tensors \(with gradients and optimizer state\): lower --block-size, --n-embd or --n-hidden \(the limit is 2\.0 GB\)/,
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
