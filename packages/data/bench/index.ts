/**
 * Speed of the word datasets on a big file: names.txt repeated 30 times (~961,000 words, ~6.8 million
 * examples), or the bundled names repeated when names.txt is not there.
 *
 *   pnpm --filter @llm-playground/data bench
 *
 * Each workload runs once to warm up, then RUNS times; we report the median (the machines are shared
 * and noisy) and the fastest run, with examples per second.
 */

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildBigrams,
  buildContexts,
  bundledNames,
  CharTokenizer,
  parseWords,
  readWords,
  splitWords,
} from '../src/index.js';

const RUNS = 7;
const REPEAT = 30;
const namesPath =
  process.env.LMP_NAMES ?? resolve(import.meta.dirname, '../../../../shared/data/names.txt');
const base = existsSync(namesPath) ? readWords(namesPath) : bundledNames();
const words: string[] = [];
for (let r = 0; r < REPEAT; r++) for (const word of base.words) words.push(word);
const text = `${words.join('\n')}\n`;
const tokenizer = CharTokenizer.fromWords(words);
const examples = buildBigrams(words, tokenizer).length;

const workloads: [string, () => unknown][] = [
  ['parseWords (text → words)', () => parseWords(text)],
  ['CharTokenizer.fromWords', () => CharTokenizer.fromWords(words)],
  ['buildBigrams', () => buildBigrams(words, tokenizer)],
  ['buildContexts, blockSize 3', () => buildContexts(words, tokenizer, 3)],
  ['buildContexts, blockSize 8', () => buildContexts(words, tokenizer, 8)],
  ['splitWords (Python shuffle)', () => splitWords(words)],
];

console.log(
  `${base.source} × ${REPEAT}: ${words.length.toLocaleString('en-US')} words, ${examples.toLocaleString('en-US')} examples`,
);
for (const [name, run] of workloads) {
  run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[RUNS >> 1];
  const rate = (examples / median / 1000).toFixed(1);
  console.log(
    `${name.padEnd(30)} median ${median.toFixed(1).padStart(7)} ms  fastest ${times[0].toFixed(1).padStart(7)} ms  ${rate.padStart(6)} M examples/s`,
  );
}
