import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, splitText } from './index.js';

const fixture: { texts: string[]; gpt2: string[][]; gpt4: string[][] } = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/splits.json'), 'utf8'),
);
const PATTERNS = { gpt2: GPT2_SPLIT_PATTERN, gpt4: GPT4_SPLIT_PATTERN };

/** Python's `regex` splits, or the reason they cannot be had on this machine. */
function pythonSplits(texts: string[]): { gpt2: string[][]; gpt4: string[][] } | string {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return `${python} not found`;
  const script = `import json, sys, regex
texts = json.load(sys.stdin)
pats = json.loads(sys.argv[1])
json.dump({k: [regex.findall(p, t) for t in texts] for k, p in pats.items()}, sys.stdout)`;
  const run = spawnSync(python, ['-c', script, JSON.stringify(PATTERNS)], {
    input: JSON.stringify(texts),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0)
    return `${python} cannot run the reference (${run.stderr.trim().split('\n').at(-1)}); apt-get install -y python3-regex`;
  return JSON.parse(run.stdout);
}

describe('split patterns', () => {
  it('the GPT-4 pattern is not JavaScript, our equivalent compiles', () => {
    expect(() => new RegExp(GPT4_SPLIT_PATTERN, 'u')).toThrow();
    expect("'Hello world123  !".match(compilePattern(GPT4_SPLIT_PATTERN))).toEqual([
      "'Hello",
      ' world',
      '123',
      ' ',
      ' !',
    ]);
  });

  for (const name of ['gpt2', 'gpt4'] as const) {
    it(`${name}: the same splits as Python's regex on ${fixture.texts.length} recorded random strings`, () => {
      const regex = compilePattern(PATTERNS[name]);
      const mismatches = fixture.texts.filter(
        (text, i) => JSON.stringify(splitText(text, regex)) !== JSON.stringify(fixture[name][i]),
      );
      expect(mismatches).toEqual([]);
    });
  }

  it('contractions, case and whitespace runs split as in the lecture', () => {
    expect(splitText("Hello've world123 how's are you!!!?", GPT2_SPLIT_PATTERN)).toEqual([
      'Hello',
      "'ve",
      ' world',
      '123',
      ' how',
      "'s",
      ' are',
      ' you',
      '!!!?',
    ]);
    expect(splitText("I'LL DON'T x 'ſ   \n\n\u0085y  ", GPT4_SPLIT_PATTERN)).toEqual([
      'I',
      "'LL",
      ' DON',
      "'T",
      ' x',
      " '",
      'ſ',
      '   \n\n',
      '\u0085y',
      '  ',
    ]);
    expect(splitText("'ſ", GPT4_SPLIT_PATTERN)).toEqual(["'ſ"]);
    expect(splitText('12345 \ufeffa', GPT4_SPLIT_PATTERN)).toEqual(['123', '45', ' \ufeff', 'a']);
  });

  // Live: fast-check strings through Python's regex (skipped, with the reason, where it is missing).
  const pieces = [
    "'s",
    "'S",
    "'ll",
    "'LL",
    "'Ve",
    "'ſ",
    "'",
    'don',
    'IT',
    'é',
    'e\u0301',
    '中文',
    '안녕',
    '😉',
    '👍🏽',
    '12',
    '1234',
    '٣४',
    '½',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r\n',
    '\r',
    '\u0085',
    '\u00a0',
    '\u2028',
    '\u3000',
    '\ufeff',
    '!',
    '!!?',
    '(',
    '.',
    '—',
  ];
  const char = fc.oneof(
    fc.constantFrom(...pieces),
    fc.integer({ min: 0x20, max: 0x24f }).map((c) => String.fromCodePoint(c)),
    fc.integer({ min: 0x300, max: 0x4ff }).map((c) => String.fromCodePoint(c)),
    fc.integer({ min: 0x2000, max: 0x206f }).map((c) => String.fromCodePoint(c)),
    fc.integer({ min: 0x1f300, max: 0x1f64f }).map((c) => String.fromCodePoint(c)),
  );
  const samples = fc.sample(
    fc.array(char, { maxLength: 16 }).map((parts) => parts.join('')),
    { numRuns: 2000, seed: 2026 },
  );
  const reference = pythonSplits(samples);
  it.skipIf(typeof reference === 'string')(
    `live: the same splits as Python's regex on ${samples.length} fast-check strings`,
    () => {
      if (typeof reference === 'string') return;
      for (const name of ['gpt2', 'gpt4'] as const) {
        const regex = compilePattern(PATTERNS[name]);
        samples.forEach((text, i) => {
          expect(splitText(text, regex), `${name} on ${JSON.stringify(text)}`).toEqual(
            reference[name][i],
          );
        });
      }
    },
  );
  if (typeof reference === 'string') console.log(`skipping the live split test: ${reference}`);
});
