/**
 * Speed of BPE, side by side in one run: training a 512-token vocabulary on 1 MB of the bundled
 * book (ours vs minbpe under CPython), encoding 10 MB (ours vs js-tiktoken with the same cl100k_base
 * ranks; our trained 512-token RegexTokenizer vs minbpe's on 1 MB, minbpe being slow).
 *
 *   pnpm --filter @llm-playground/tokenizer bench
 *   MINBPE_DIR=/path/holding/minbpe pnpm --filter @llm-playground/tokenizer bench   # adds minbpe
 *
 * minbpe is not committed: check out karpathy/minbpe and give the folder that holds its `minbpe/`
 * package (its `__init__.py` imports gpt4.py, which needs tiktoken: drop that line if tiktoken is
 * not installed). It runs under /usr/bin/python3 (or $PYTHON) with Python's `regex` module.
 * Each of our workloads runs once to warm up, then RUNS times: we report the median.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledBook } from '@llm-playground/data';
import { getEncoding } from 'js-tiktoken';
import { BasicTokenizer, loadPretrained, RegexTokenizer } from '../src/index.js';

const RUNS = 3;
const python = process.env.PYTHON ?? '/usr/bin/python3';
const minbpeDir = process.env.MINBPE_DIR;

const book = (await bundledBook()).text;
const text1 = book.slice(0, 1_000_000);
let text10 = '';
while (text10.length < 10_000_000) text10 += book;
text10 = text10.slice(0, 10_000_000);
const mb = (text: string) => new TextEncoder().encode(text).length / 1e6;

console.log(
  `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  `text: the bundled book, ${mb(text1).toFixed(2)} MB for training, ${mb(text10).toFixed(2)} MB for encoding\n`,
);

function median(run: () => unknown, runs = RUNS): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[runs >> 1] / 1000;
}

const rows: [string, number, string][] = [];
const basic = new BasicTokenizer();
const regex = new RegexTokenizer();
rows.push(['train 512, BasicTokenizer, ours', median(() => basic.train(text1, 512)), 'TS']);
rows.push([
  'train 512, RegexTokenizer (GPT-4 split), ours',
  median(() => regex.train(text1, 512)),
  'TS',
]);

const cl100k = await loadPretrained('cl100k_base');
const tiktoken = getEncoding('cl100k_base');
const ours10 = cl100k.encode(text10);
const theirs10 = tiktoken.encode(text10);
if (ours10.length !== theirs10.length || ours10.some((id, i) => id !== theirs10[i])) {
  throw new Error('our cl100k ids differ from js-tiktoken on the benchmark text');
}
rows.push([
  'encode 10 MB, cl100k_base, ours',
  median(() => cl100k.encode(text10)),
  `${ours10.length} tokens`,
]);
rows.push([
  'encode 10 MB, cl100k_base, js-tiktoken 1.0.21',
  median(() => tiktoken.encode(text10)),
  'same ids',
]);
rows.push(['encode 10 MB, our RegexTokenizer 512', median(() => regex.encode(text10)), 'TS']);
rows.push(['encode 1 MB, our RegexTokenizer 512', median(() => regex.encode(text1)), 'TS']);

if (!minbpeDir || !existsSync(join(minbpeDir, 'minbpe'))) {
  console.log(`minbpe: skipped (set MINBPE_DIR to a folder holding minbpe's minbpe/ package)\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'lmp-bpe-bench-'));
  writeFileSync(join(dir, 'text1.txt'), text1);
  const script = `import json, sys, time
sys.path.insert(0, sys.argv[1])
from minbpe import BasicTokenizer, RegexTokenizer
text = open(sys.argv[2], encoding="utf-8").read()
out = {}
for name, cls in [("basic", BasicTokenizer), ("regex", RegexTokenizer)]:
    t = cls(); start = time.perf_counter(); t.train(text, 512); out[name] = time.perf_counter() - start
    out[name + "Merges"] = [list(p) for p in t.merges]
    if name == "regex":
        start = time.perf_counter(); ids = t.encode(text); out["encode"] = time.perf_counter() - start
print(json.dumps(out))`;
  const run = spawnSync(python, ['-c', script, minbpeDir, join(dir, 'text1.txt')], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) console.log(`minbpe: failed: ${run.stderr.trim().split('\n').at(-1)}\n`);
  else {
    const py = JSON.parse(run.stdout);
    const same = (merges: number[][], ours: BasicTokenizer | RegexTokenizer) =>
      JSON.stringify(merges) === JSON.stringify(ours.merges.map((m) => m.pair))
        ? 'same merges as ours'
        : 'MERGES DIFFER';
    rows.push([
      'train 512, BasicTokenizer, minbpe (CPython)',
      py.basic,
      same(py.basicMerges, basic),
    ]);
    rows.push([
      'train 512, RegexTokenizer, minbpe (CPython)',
      py.regex,
      same(py.regexMerges, regex),
    ]);
    rows.push(['encode 1 MB, minbpe RegexTokenizer 512', py.encode, 'Python']);
  }
}

const width = Math.max(...rows.map(([name]) => name.length));
for (const [name, seconds, note] of rows) {
  console.log(`${name.padEnd(width)}  ${seconds.toFixed(3).padStart(9)} s  ${note}`);
}
const get = (name: string) => rows.find(([n]) => n === name)?.[1];
const ratio = (slow?: number, fast?: number) =>
  slow && fast ? `${(slow / fast).toFixed(1)}×` : 'n/a';
console.log(
  `\nours vs minbpe, training 512: BasicTokenizer ${ratio(get('train 512, BasicTokenizer, minbpe (CPython)'), get('train 512, BasicTokenizer, ours'))} faster, RegexTokenizer ${ratio(get('train 512, RegexTokenizer, minbpe (CPython)'), get('train 512, RegexTokenizer (GPT-4 split), ours'))} faster`,
);
console.log(
  `ours vs minbpe, encoding 1 MB with the 512-token RegexTokenizer: ${ratio(get('encode 1 MB, minbpe RegexTokenizer 512'), get('encode 1 MB, our RegexTokenizer 512'))} faster`,
);
console.log(
  `ours vs js-tiktoken, encoding 10 MB with cl100k_base: ${ratio(get('encode 10 MB, cl100k_base, js-tiktoken 1.0.21'), get('encode 10 MB, cl100k_base, ours'))} faster`,
);
