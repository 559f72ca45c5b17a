import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_NAMES, lmp, NAMES_PATH, WORDS, wordsDirectory } from './test-words.js';

describe('lmp bigram', () => {
  it('prints the summary, NLL, most common pairs, samples and writes the heatmap', async () => {
    const cwd = wordsDirectory();
    const { code, out, err } = await lmp(
      ['bigram', '-i', 'words.txt', '--top', '3', '--samples', '4', '--plot', 'n.svg'],
      { cwd },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `read ${WORDS.length} words from ${join(cwd, 'words.txt')} (dropped 0 empty lines)`,
    );
    const chars = [...new Set(WORDS.join(''))].sort();
    expect(lines[1]).toBe(`vocabulary: ${chars.length + 1} characters ('.' + ${chars.join('')})`);
    const pairs = WORDS.reduce((total, word) => total + word.length + 1, 0);
    expect(lines[2]).toBe(`bigrams: ${pairs}`);
    expect(lines[3]).toMatch(
      /^average negative log-likelihood: \d\.\d{4} with smoothing 1, \d\.\d{4} without$/,
    );
    // Counted independently: the three most frequent pairs (ties broken by first occurrence order aside).
    const counts = new Map<string, number>();
    for (const word of WORDS) {
      const padded = `.${word}.`;
      for (let k = 0; k + 1 < padded.length; k++) {
        const pair = padded.slice(k, k + 2);
        counts.set(pair, (counts.get(pair) ?? 0) + 1);
      }
    }
    const top = [...counts.values()].sort((a, b) => b - a).slice(0, 3);
    expect(lines[4]).toBe('most common pairs:');
    const listed = lines.slice(5, 8).map((line) => /^ {2}\d\. (..) +(\d+)$/.exec(line));
    expect(listed.map((match) => Number(match?.[2]))).toEqual(top);
    for (const match of listed) expect(counts.get(match?.[1] ?? '')).toBe(Number(match?.[2]));
    expect(lines[8]).toMatch(/^4 samples \(seed 2147483647\): \d new, \d seen in the data$/);
    expect(lines.slice(9, 13).every((line) => /^ {2}[a-z]+ +(new|seen)$/.test(line))).toBe(true);
    expect(lines[13]).toBe('wrote n.svg (SVG)');
    const svg = readFileSync(join(cwd, 'n.svg'), 'utf8');
    const cells = /class="cells"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    expect(cells.match(/<rect /g)).toHaveLength((chars.length + 1) ** 2);
    expect(svg).toContain(`>a.</tspan><tspan dy="1.15em" x="0">${counts.get('a.')}</tspan>`);
  });

  it('uses the bundled names without -i and can skip pairs and samples', async () => {
    const { code, out } = await lmp(['bigram', '--top', '0', '--samples', '0']);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^8,4\d\d bundled English first names/);
    expect(out).not.toContain('most common pairs');
    expect(out).not.toContain('samples');
  });

  it.skipIf(!HAS_NAMES)("gives the lecture's figures and samples on names.txt", async () => {
    const { code, out } = await lmp(['bigram', '-i', NAMES_PATH, '--top', '3']);
    expect(code).toBe(0);
    expect(out).toContain('bigrams: 228,146\n');
    expect(out).toContain(
      'average negative log-likelihood: 2.4546 with smoothing 1, 2.4540 without\n',
    );
    expect(out).toContain('  1. n.  6,763\n  2. a.  6,640\n  3. an  5,438\n');
    expect(out).toContain(
      '5 samples (seed 2147483647): 5 new, 0 seen in the data\n' +
        '  mor           new\n  axx           new\n  minaymoryles  new\n  kondlaisah    new\n  anchshizarie  new\n',
    );
  });

  it.each([
    [['--smoothing', '-1'], "--smoothing must be a number >= 0, got '-1'"],
    [['--samples', 'x'], "--samples must be a non-negative integer, got 'x'"],
    [['--plot', 'n.jpg'], "--plot must name a .svg or .png file, got 'n.jpg'"],
    [['extra'], "unexpected argument 'extra'"],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    const { code, out, err } = await lmp(['bigram', ...args]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`lmp: error: ${message} (see 'lmp bigram --help')\n`);
  });

  it('a missing or empty word file: one line, exit 1', async () => {
    const cwd = wordsDirectory([]);
    const missing = await lmp(['bigram', '-i', 'nope.txt'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^lmp: no such file: .*nope\.txt.*\n$/);
    const empty = await lmp(['bigram', '-i', 'words.txt'], { cwd });
    expect(empty.code).toBe(1);
    expect(empty.err.split('\n')).toHaveLength(2);
    expect(empty.err.startsWith('lmp: ')).toBe(true);
  });

  it('prints its help with the flags and defaults', async () => {
    const { code, out } = await lmp(['bigram', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: lmp bigram [options]');
    expect(out).toMatch(/-i, --input FILE\|URL +word list.*\(default: the bundled names\)/);
    expect(out).toMatch(/--seed N +.*\(default: 2147483647\)/);
  });
});
