// Checkpoints as bytes for a web page: the same files saveCheckpoint writes, byte for byte; the
// weights file alone opens (its embedded checkpoint.json); every check of loadCheckpoint; old
// weights files without the embedded copy still open with their JSON; the family check.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import { noGrad, Tensor } from '@llm-playground/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { checkpointChecksum, EMBEDDED_CHECKPOINT_KEY, sha256 } from './checkpoint-codec.js';
import { checkpointFromFiles, checkpointToFiles, expectFamily } from './checkpoint-files.js';
import { CHECKPOINT_FILE, WEIGHTS_FILE } from './checkpoint-format.js';
import { CheckpointError, FamilyMismatchError } from './errors.js';
import { familyConfig } from './families/catalog.js';
import { createModel } from './families/registry.js';
import type { LanguageModel } from './model.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

const TEXT = 'Call me Ishmael. Some years ago, never mind how long precisely.\n';
const tokenizer = CharTokenizer.fromText(TEXT);
const config = familyConfig(
  'gpt',
  { blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 1 },
  { vocabSize: tokenizer.vocabSize },
);
const model = createModel(config, { generator: new Generator(3) });
const input = {
  config,
  tokenizer,
  model,
  step: 42,
  metadata: { note: 'page' },
  data: { words: 64, sha256: 'a'.repeat(64) },
};
const X = new Tensor(tokenizer.encodeText('Call me '), [1, 8]);
const logits = (m: LanguageModel) => Array.from(noGrad(() => m.logits(X)).data);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ckpt-files-'));
  dirs.push(dir);
  return dir;
};
/** checkpoint.json edited on purpose, its checksum recomputed. */
const edit = (text: string, change: (json: Record<string, unknown>) => void) => {
  const json = JSON.parse(text);
  change(json);
  json.checksum = checkpointChecksum(json);
  return JSON.stringify(json);
};

describe('checkpointToFiles / checkpointFromFiles', () => {
  it("gives saveCheckpoint's files byte for byte, and opens them as loadCheckpoint does", () => {
    const files = checkpointToFiles(input);
    const dir = tempDir();
    saveCheckpoint(dir, input);
    expect(files[CHECKPOINT_FILE]).toBe(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8'));
    expect(Buffer.from(files[WEIGHTS_FILE]).equals(readFileSync(join(dir, WEIGHTS_FILE)))).toBe(
      true,
    );
    const fromDisk = loadCheckpoint(dir);
    for (const opened of [
      checkpointFromFiles(files),
      checkpointFromFiles(files[WEIGHTS_FILE]), // the weights alone: the embedded JSON
      checkpointFromFiles({
        [WEIGHTS_FILE]: readFileSync(join(dir, WEIGHTS_FILE)),
        [CHECKPOINT_FILE]: readFileSync(join(dir, CHECKPOINT_FILE)), // bytes of an upload
      }),
    ]) {
      expect(opened).toMatchObject({ step: 42, metadata: { note: 'page' }, data: input.data });
      expect(opened.config).toEqual(fromDisk.config);
      expect(opened.tokenizer.itos).toEqual(tokenizer.itos);
      expect(logits(opened.model)).toEqual(logits(model));
      expect(opened.warnings).toEqual([]);
    }
  });

  it('embeds the JSON with the SHA-256 of the tensor data; any changed byte is caught', () => {
    const weights = checkpointToFiles(input)[WEIGHTS_FILE];
    const { metadata } = decodeSafetensors(weights);
    const embedded = JSON.parse(metadata[EMBEDDED_CHECKPOINT_KEY]);
    const header = Number(new DataView(weights.buffer).getBigUint64(0, true));
    const data = weights.subarray(8 + header);
    expect(embedded.weights).toEqual({
      file: WEIGHTS_FILE,
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      part: 'tensor data',
    });
    const damaged = Uint8Array.from(weights);
    damaged[damaged.length - 3] ^= 1;
    expect(() => checkpointFromFiles(damaged)).toThrow(
      `the tensor data of ${WEIGHTS_FILE} does not match ${WEIGHTS_FILE} (its embedded ${CHECKPOINT_FILE}) (${data.length} bytes, the checkpoint recorded ${data.length} bytes with SHA-256 ${embedded.weights.sha256.slice(0, 12)}…): truncated, replaced, or from another save`,
    );
    expect(() =>
      checkpointFromFiles({ ...checkpointToFiles(input), [WEIGHTS_FILE]: damaged }),
    ).toThrow(`${WEIGHTS_FILE} does not match ${CHECKPOINT_FILE}`);
  });

  it('validates as loadCheckpoint: checksum, version, family, shapes, finite weights, garbage', () => {
    const files = checkpointToFiles(input);
    const json = files[CHECKPOINT_FILE];
    const open = (text: string) => () =>
      checkpointFromFiles({ [WEIGHTS_FILE]: files[WEIGHTS_FILE], [CHECKPOINT_FILE]: text });
    expect(open(json.replace('"step": 42', '"step": 43'))).toThrow(
      `${CHECKPOINT_FILE}: the checksum does not match the content`,
    );
    expect(open(edit(json, (j) => (j.version = 9)))).toThrow(
      `${CHECKPOINT_FILE} has format version 9, newer than this version of @llm-playground/makemore reads (2); upgrade it`,
    );
    expect(open(edit(json, (j) => ((j.config as { kind: string }).kind = 'lstm')))).toThrow(
      `${CHECKPOINT_FILE}: invalid model config: unknown model 'lstm'; known: bigram`,
    );
    expect(open(edit(json, (j) => ((j.config as { nEmbd: number }).nEmbd = 32)))).toThrow(
      'size mismatch for tokenEmbeddingTable.weight: copying a param with shape [24, 16] from checkpoint, the shape in current model is [24, 32].',
    );
    expect(open('{"format": "something else"}')).toThrow(
      `${CHECKPOINT_FILE} is not an llm-playground makemore checkpoint`,
    );
    expect(() =>
      checkpointFromFiles({
        [WEIGHTS_FILE]: files[WEIGHTS_FILE],
        [CHECKPOINT_FILE]: new Uint8Array([0xff, 0xfe, 0x00]),
      }),
    ).toThrow(`${CHECKPOINT_FILE} is not UTF-8 text (a binary file?)`);
    expect(() => checkpointFromFiles(new TextEncoder().encode('hello'))).toThrow(CheckpointError);
    expect(() => checkpointFromFiles({} as never)).toThrow(
      `checkpointFromFiles: pass the bytes of ${WEIGHTS_FILE}`,
    );
    // NaN weights, with a consistent JSON: the run diverged
    const broken = createModel(config, { generator: new Generator(3) });
    broken.stateDict()['lmHead.bias'].data[2] = Number.NaN;
    expect(() => checkpointFromFiles(checkpointToFiles({ ...input, model: broken }))).toThrow(
      "tensor 'lmHead.bias' holds NaN at index [2]",
    );
  });

  it('opens weights saved before the JSON was embedded with their checkpoint.json (and says so without it)', () => {
    const files = checkpointToFiles(input);
    const old = encodeSafetensors(decodeSafetensors(files[WEIGHTS_FILE]).tensors, {
      format: 'pt',
      step: '42',
    });
    const json = edit(files[CHECKPOINT_FILE], (j) => {
      j.weights = { file: WEIGHTS_FILE, bytes: old.length, sha256: sha256(old) };
    });
    const dir = tempDir();
    writeFileSync(join(dir, WEIGHTS_FILE), old);
    writeFileSync(join(dir, CHECKPOINT_FILE), json);
    expect(logits(loadCheckpoint(dir).model)).toEqual(logits(model));
    expect(
      logits(checkpointFromFiles({ [WEIGHTS_FILE]: old, [CHECKPOINT_FILE]: json }).model),
    ).toEqual(logits(model));
    expect(() => checkpointFromFiles(old)).toThrow(
      `${WEIGHTS_FILE} holds weights but no checkpoint (saved before checkpoints were embedded in it, or by another tool): open it together with its ${CHECKPOINT_FILE}`,
    );
  });

  it('computes SHA-256 as node:crypto does (browser-safe)', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 251);
    expect(sha256(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(sha256('é ✓ {"a":1}')).toBe(createHash('sha256').update('é ✓ {"a":1}').digest('hex'));
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('expectFamily', () => {
  it('passes the listed families and names the others', () => {
    const opened = checkpointFromFiles(checkpointToFiles(input));
    expect(expectFamily(opened, ['gpt', 'transformer'], 'the GPT page')).toBe(opened);
    const wavenet = { config: { kind: 'wavenet', vocabSize: 27, blockSize: 8 } };
    expect(() => expectFamily(wavenet, ['gpt', 'transformer'], 'the GPT page')).toThrow(
      'this checkpoint is a wavenet model; the GPT page opens gpt or transformer checkpoints',
    );
    try {
      expectFamily(wavenet, ['rnn', 'gru', 'bow']);
    } catch (error) {
      expect(error).toBeInstanceOf(FamilyMismatchError);
      expect(error).toMatchObject({
        family: 'wavenet',
        expected: ['rnn', 'gru', 'bow'],
        message: 'this checkpoint is a wavenet model; this page opens rnn, gru or bow checkpoints',
      });
    }
  });
});
