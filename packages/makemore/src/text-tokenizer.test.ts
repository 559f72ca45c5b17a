import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CharTokenizer } from '@llm-playground/data';
import { BasicTokenizer, RegexTokenizer } from '@llm-playground/tokenizer';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { prepareRun } from './prepare-run.js';
import {
  BpeTextTokenizer,
  modelTokenizerFromJSON,
  requireCharTokenizer,
  tokensPerCharacter,
} from './text-tokenizer.js';

const TEXT = "The whale's café, 2024: 中文 and emoji 😉 — don't stop.\n".repeat(30);
const temporary = () => mkdtempSync(join(tmpdir(), 'lmp-bpe-'));
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function trainedBpe(vocabSize = 300): RegexTokenizer {
  const bpe = new RegexTokenizer();
  bpe.train(TEXT, vocabSize);
  return bpe;
}

describe('BpeTextTokenizer', () => {
  it("encodes minbpe's example to [258, 100, 258, 97, 99] and decodes its bytes", () => {
    const bpe = new BasicTokenizer();
    bpe.train('aaabdaaabac', 259);
    const tokenizer = new BpeTextTokenizer(bpe);
    expect([...tokenizer.encodeText('aaabdaaabac')]).toEqual([258, 100, 258, 97, 99]);
    expect(tokenizer.vocabSize).toBe(259);
    expect(tokenizer.decode([258, 97])).toBe('aaaba');
    expect(tokenizer.itos.slice(256)).toEqual(['aa', 'aaa', 'aaab']);
    // '😉' is 4 bytes: its first token alone is not UTF-8, the bytes are exact.
    expect([...tokenizer.decodeBytes(tokenizer.encodeText('😉'))]).toEqual([240, 159, 152, 137]);
    const back = modelTokenizerFromJSON(JSON.parse(JSON.stringify(tokenizer.toJSON())));
    expect(back).toBeInstanceOf(BpeTextTokenizer);
    expect([...(back as BpeTextTokenizer).encodeText('aaabdaaabac')]).toEqual([
      258, 100, 258, 97, 99,
    ]);
    expect(modelTokenizerFromJSON(CharTokenizer.fromText('ab').toJSON())).toBeInstanceOf(
      CharTokenizer,
    );
    expect(() => requireCharTokenizer(tokenizer, 'sample')).toThrow(
      "sample: this model's tokenizer is a byte-level BPE",
    );
  });

  it('tokensPerCharacter: 1 for characters, tokens / code points for a BPE', () => {
    const char = CharTokenizer.fromText(TEXT);
    expect(tokensPerCharacter(char, char.encodeText(TEXT))).toBe(1);
    const bpe = new BpeTextTokenizer(trainedBpe());
    const line = TEXT.slice(0, TEXT.indexOf('\n') + 1);
    const ids = bpe.encodeText(line);
    expect(tokensPerCharacter(bpe, ids)).toBe(ids.length / [...line].length);
    expect(ids.length).toBeLessThan([...line].length);
  });
});

describe('prepareRun with a BPE tokenizer', () => {
  it('trains the gpt family on tokens: vocab = the BPE size, a 90/10 split in tokens, checkpoint round trip', () => {
    const bpe = trainedBpe(300);
    const run = prepareRun({
      family: 'gpt',
      text: TEXT,
      tokenizer: bpe,
      rawConfig: { blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 1 },
      run: { steps: 3, batchSize: 4 },
    });
    expect(run.config.vocabSize).toBe(300);
    const tokens = bpe.encodeOrdinary(TEXT);
    const n = Math.floor(0.9 * tokens.length);
    expect([run.data.train.length, run.data.dev.length]).toEqual([n - 8, tokens.length - n - 8]);
    const devChars = [...bpe.decode(tokens.slice(n))].length;
    expect(run.tokensPerCharacter).toBeCloseTo((tokens.length - n) / devChars, 12);
    expect(run.tokensPerCharacter).toBeLessThan(0.7);
    run.createTrainer().run();
    const dir = join(temporary(), 'bpe');
    saveCheckpoint(dir, {
      config: run.config,
      tokenizer: run.tokenizer,
      model: run.model,
      step: 3,
    });
    const json = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
    expect(json.tokenizer.kind).toBe('bpe');
    expect(json.tokenizer.bpe.merges).toHaveLength(44);
    const loaded = loadCheckpoint(dir);
    expect(loaded.tokenizer).toBeInstanceOf(BpeTextTokenizer);
    expect([...(loaded.tokenizer as BpeTextTokenizer).encodeText(TEXT)]).toEqual(tokens);
    const W = run.model.stateDict();
    for (const [name, t] of Object.entries(loaded.model.stateDict())) {
      expect(Array.from(t.data), name).toEqual(Array.from(W[name].data));
    }
  });

  it('refuses a BPE for a family that trains on words', () => {
    expect(() =>
      prepareRun({ family: 'mlp', words: ['emma', 'olivia', 'ava'], tokenizer: trainedBpe() }),
    ).toThrow('mlp trains on words, which need a character tokenizer');
  });

  it('char-level gpt checkpoints stay byte-identical (hashes of the files written before BPE support)', () => {
    const run = prepareRun({
      family: 'gpt',
      text: TEXT,
      rawConfig: { blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 1 },
      run: { steps: 2, batchSize: 4 },
      backend: 'js', // the recorded weights are js's (the unit-wasm project runs wasm otherwise)
    });
    expect(run.tokensPerCharacter).toBe(1);
    run.createTrainer().run();
    const dir = join(temporary(), 'char');
    saveCheckpoint(dir, {
      config: run.config,
      tokenizer: run.tokenizer,
      model: run.model,
      step: 2,
      metadata: { note: 'golden' },
    });
    // Recorded with the code of commit 8e13205 (before BPE tokenizers), same script; re-recorded when
    // nn's MultiHeadAttention began computing all heads in one pass (its backward sums the input
    // gradient in another float32 order: the weights after 2 steps differ in the last bits; the
    // code of that commit with the per-head attention still gives 8e13205's hashes).
    expect(sha256(join(dir, 'checkpoint.json'))).toBe(CHAR_CHECKPOINT_JSON_SHA256);
    expect(sha256(join(dir, 'model.safetensors'))).toBe(CHAR_WEIGHTS_SHA256);
  });
});

const CHAR_CHECKPOINT_JSON_SHA256 =
  '0d53339e0748f8184f6edfe3efac448706dc3393621ada6001c38920a729c918';
const CHAR_WEIGHTS_SHA256 = '68c8819158ad7f6572cc4953befe4c43bbcf3675723fd44644b3d4aa340657b5';
