/** A gpt trained on BPE tokens, exported: train.py's plain-Python BPE encoder gives our ids. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import {
  BasicTokenizer,
  GPT2_SPLIT_PATTERN,
  GPT4_SPLIT_PATTERN,
  RegexTokenizer,
  type Tokenizer,
} from '@llm-playground/tokenizer';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint.js';
import { ConfigError } from '../errors.js';
import { familyConfig } from '../families/catalog.js';
import { createModel } from '../families/registry.js';
import { BpeTextTokenizer } from '../text-tokenizer.js';
import { exportCheckpoint } from './export-checkpoint.js';
import { exportToPyTorch } from './export-pytorch.js';

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy, regex'], { encoding: 'utf8' });
const ready = probe.status === 0;
if (!ready) {
  console.log(
    `export BPE tests skipped: ${PYTHON} with torch, numpy and regex is missing (${(probe.stderr || String(probe.error)).trim().split('\n').at(-1)}); install Debian's python3-torch and python3-regex`,
  );
}

const SPECIAL = '<|endoftext|>';
/** What the BPEs learn from: English with contractions, some CJK and emoji, runs of spaces. */
const CORPUS = `${"I'm sure we'll see the whale; you're late, aren't you? It's there, THEY'VE seen it.\n".repeat(3)}海は広い。海は深い。 🐳🐳 whales   and   waves\r\n${'the sea, the sea, the sea 123 4567\n'.repeat(3)}`;
/** Texts the tokenizers split in every way: emoji (ZWJ, flags, skin tones), CJK, whitespace runs, contractions. */
const TRICKY = [
  "Hello world!! I'm here, DON'T go; we'll've SEEN it's ſ's 'll.\n",
  '海は広いな大きいな 🐳🐋 👨‍👩‍👧‍👦 🇯🇵 👍🏽 é (e\u0301) naïve café\n',
  '\t\t  tabs and   spaces    \n\n\n\r\n  \u00a0\u3000 nbsp\u2028line\u0085nel   \n',
  `numbers 1234567 3.14159 ${SPECIAL} special text is data${SPECIAL}\n`,
  'the sea, the sea, the whale   the   whale?!... — “quotes” ‘single’\n',
].join('');

function trained(make: () => Tokenizer): BpeTextTokenizer {
  const bpe = make();
  bpe.train(CORPUS, 280);
  bpe.registerSpecialTokens({ [SPECIAL]: 280 });
  return new BpeTextTokenizer(bpe);
}

/** The ids train.py's reader and encoder give for the file `data` (`block`: modules to hide). */
function pythonIds(dir: string, data: string, block: string[] = []) {
  const script = [
    'import json, sys',
    ...block.map((name) => `sys.modules[${JSON.stringify(name)}] = None`),
    `sys.path.insert(0, ${JSON.stringify(dir)})`,
    'import train',
    `text = train.read_text(${JSON.stringify(data)})`,
    'print(json.dumps(train.make_encoder()(text)))',
  ].join('\n');
  return spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
}

describe('exportToPyTorch with a BPE tokenizer', () => {
  it('writes the BPE into tokenizer.json', () => {
    const tokenizer = trained(() => new RegexTokenizer(GPT4_SPLIT_PATTERN));
    const config = familyConfig(
      'gpt',
      { blockSize: 6, nEmbd: 8, nHead: 2, nLayer: 1 },
      { vocabSize: tokenizer.vocabSize },
    );
    const { files } = exportToPyTorch({ config, tokenizer, model: createModel(config), step: 4 });
    const json = JSON.parse(files['tokenizer.json'] as string);
    expect(json).toEqual(tokenizer.toJSON());
    expect(json.bpe.merges).toHaveLength(24);
    expect(json.bpe.specialTokens).toEqual({ [SPECIAL]: 280 });
    expect(JSON.parse(files['config.json'] as string).config.vocabSize).toBe(281);
  });

  it('refuses a BPE with a word family, saying what to do', () => {
    const tokenizer = trained(() => new BasicTokenizer());
    const config = familyConfig(
      'mlp',
      { blockSize: 3, nEmbd: 4, nHidden: 8 },
      { vocabSize: tokenizer.vocabSize },
    );
    const model = createModel(config);
    expect(() => exportToPyTorch({ config, tokenizer, model, step: 0 })).toThrow(ConfigError);
    expect(() => exportToPyTorch({ config, tokenizer, model, step: 0 })).toThrow(
      "a BPE tokenizer with the 'mlp' family, which trains on words (contexts); BPE tokens are for the text families (gpt)",
    );
  });
});

describe.skipIf(!ready)('exported train.py with a BPE tokenizer', () => {
  const root = mkdtempSync(join(tmpdir(), 'lmp-export-bpe-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const tricky = join(root, 'tricky.txt');
  writeFileSync(tricky, TRICKY);

  /** Our gpt on the BPE's ids, checkpointed at step 2 and exported; returns the export's folder. */
  function exported(name: string, tokenizer: BpeTextTokenizer): string {
    const raw = { blockSize: 6, nEmbd: 8, nHead: 2, nLayer: 1 };
    const config = familyConfig('gpt', raw, { vocabSize: tokenizer.vocabSize });
    const model = createModel(config, { generator: new Generator(3) });
    const from = join(root, `${name}-ours`);
    const to = join(root, `${name}-pytorch`);
    saveCheckpoint(from, { config: model.config, tokenizer, model, step: 2 });
    exportCheckpoint(from, to);
    return to;
  }

  const cases = [
    ['basic', () => new BasicTokenizer()],
    ['gpt4', () => new RegexTokenizer(GPT4_SPLIT_PATTERN)],
    ['gpt2', () => new RegexTokenizer(GPT2_SPLIT_PATTERN)],
  ] as const;
  for (const [name, make] of cases) {
    it(`${name}: train.py's encoder gives our ids for emoji, CJK, whitespace runs and contractions`, () => {
      const tokenizer = trained(make);
      const to = exported(name, tokenizer);
      const ours = [...tokenizer.encodeText(TRICKY)];
      // The BPE merged something in the tricky text, and the special token's text is data.
      expect(ours.some((id) => id >= 256 && id < 280)).toBe(true);
      expect(ours).not.toContain(280);
      const run = pythonIds(to, tricky);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual(ours);
      // Without the regex module: a clear message for a pattern, nothing needed for a Basic BPE.
      const hidden = pythonIds(to, tricky, ['regex']);
      if (name === 'basic') expect(JSON.parse(hidden.stdout)).toEqual(ours);
      else {
        expect(hidden.status).not.toBe(0);
        expect(hidden.stderr).toContain("install the 'regex' module (pip install regex");
      }
    }, 60_000);
  }

  it("gpt4: train.py continues the run and lmp's loadCheckpoint reads it back with the BPE", () => {
    const expected = trained(() => new RegexTokenizer(GPT4_SPLIT_PATTERN));
    const to = exported('gpt4-run', expected);
    const data = join(root, 'data.txt');
    writeFileSync(data, CORPUS + TRICKY);
    const out = join(root, 'gpt4-trained');
    const run = spawnSync(
      PYTHON,
      [join(to, 'train.py'), '--data', data, '--out', out, '--steps', '40', '--log-every', '20'],
      { encoding: 'utf8', cwd: to, timeout: 120_000 },
    );
    if (run.status !== 0) throw new Error(`train.py failed:\n${run.stdout}\n${run.stderr}`);
    const log = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{"step"'))
      .map((line) => JSON.parse(line) as { step: number; loss: number });
    expect(log.map((entry) => entry.step)).toEqual([22, 42]);
    expect(log[1].loss).toBeLessThan(log[0].loss);
    const back = loadCheckpoint(out);
    expect(back.step).toBe(42);
    expect(back.tokenizer).toBeInstanceOf(BpeTextTokenizer);
    expect(back.tokenizer.toJSON()).toEqual(expected.toJSON());
    expect([...(back.tokenizer as BpeTextTokenizer).encodeText(TRICKY)]).toEqual([
      ...expected.encodeText(TRICKY),
    ]);
    expect(back.model.config.vocabSize).toBe(281);
  }, 120_000);
});
