import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import { describe, expect, it, vi } from 'vitest';
import { makeDirectories } from './atomic-write.js';
import { BigramCounts } from './bigram-counts.js';
import {
  CHECKPOINT_FILE,
  type Checkpoint,
  checkpointChecksum,
  commitCheckpointFiles,
  loadCheckpoint,
  saveCheckpoint,
  WEIGHTS_FILE,
} from './checkpoint.js';
import { EMBEDDED_CHECKPOINT_KEY } from './checkpoint-codec.js';
import { createModel } from './create-model.js';
import { CheckpointError } from './errors.js';
import { compareDataFingerprint, dataFingerprint } from './fingerprint.js';
import type { MLP } from './mlp.js';
import type { ModelConfig } from './model.js';
import { readSafetensors } from './safetensors-file.js';
import { train } from './train.js';

// Lets a test make the next temporary-file write of a given file fail (a full disk, say).
const failWrite = vi.hoisted(() => ({ file: null as string | null }));
vi.mock('./atomic-write.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./atomic-write.js')>();
  return {
    ...actual,
    writeTemporary: (path: string, bytes: Uint8Array | string) => {
      if (failWrite.file !== null && path.endsWith(failWrite.file)) {
        failWrite.file = null;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
        });
      }
      return actual.writeTemporary(path, bytes);
    },
  };
});

const python = '/usr/bin/python3';
const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'torch_safetensors.py');
const hasTorch =
  existsSync(python) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

const words = ['emma', 'olivia', 'ava', 'isabella', 'sophia'];
const tokenizer = CharTokenizer.fromWords(words);
const config: ModelConfig = {
  kind: 'mlp',
  vocabSize: tokenizer.vocabSize,
  blockSize: 2,
  nEmbd: 3,
  nHidden: 5,
};
const data = {
  X: new Int32Array([0, 0, 0, 1, 1, 2, 2, 3, 3, 0]),
  Y: new Int32Array([1, 2, 3, 0, 4]),
  length: 5,
  blockSize: 2,
};

function trained(
  seed: number,
  steps: number,
): Omit<Checkpoint, 'metadata'> & { metadata: Record<string, string> } {
  const g = new Generator(seed);
  const model = createModel(config, { generator: g });
  const result = train(model, data, {
    steps,
    optimizer: 'adamw',
    lr: 0.01,
    batchSize: 2,
    generator: g,
  });
  return {
    config,
    tokenizer,
    model,
    step: result.steps,
    optimizerState: result.optimizerState,
    generatorState: g.getState(),
    metadata: { seed: String(seed) },
  };
}

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'run');

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips the model, tokenizer, step, optimizer and generator state, and resumes identically', () => {
    const dir = tempDir();
    const saved = trained(1, 6);
    saveCheckpoint(dir, saved);
    expect(readdirSync(dir).sort()).toEqual([CHECKPOINT_FILE, WEIGHTS_FILE]);
    const loaded = loadCheckpoint(dir);
    expect(loaded.step).toBe(6);
    expect(loaded.config).toEqual({ ...config });
    expect(loaded.tokenizer.itos).toEqual(tokenizer.itos);
    expect(loaded.metadata).toEqual({ seed: '1' });
    for (const [name, t] of Object.entries(saved.model.stateDict())) {
      expect(Array.from(loaded.model.stateDict()[name].data)).toEqual(Array.from(t.data));
    }
    expect(loaded.optimizerState?.kind).toBe(saved.optimizerState?.kind);
    expect(loaded.optimizerState?.groups).toEqual(saved.optimizerState?.groups);
    expect(Object.keys(loaded.optimizerState?.state ?? {})).toEqual(['0', '1', '2', '3', '4']);
    // Resume: the loaded run continues exactly as the uninterrupted one.
    const straightGenerator = new Generator(1);
    const straight = createModel(config, { generator: straightGenerator });
    const full = train(straight, data, {
      steps: 12,
      optimizer: 'adamw',
      lr: 0.01,
      batchSize: 2,
      generator: straightGenerator,
    });
    const g = new Generator().setState(loaded.generatorState!);
    const resumed = train(loaded.model, data, {
      steps: 12,
      startStep: loaded.step,
      optimizer: 'adamw',
      lr: 0.01,
      batchSize: 2,
      generator: g,
      optimizerState: loaded.optimizerState,
    });
    expect(Array.from(resumed.losses)).toEqual(Array.from(full.losses.slice(6)));
    expect(Array.from((loaded.model as MLP).W2.data)).toEqual(
      Array.from((straight as MLP).W2.data),
    );
  });

  it('stores the weights under their parameter names and optimizer buffers as optimizer.<i>.<buffer>', () => {
    const dir = tempDir();
    saveCheckpoint(dir, trained(2, 3));
    const { tensors, metadata } = readSafetensors(join(dir, WEIGHTS_FILE));
    // PyTorch's keys, and checkpoint.json's content (checkpoint-codec.ts: one file opens in a page)
    const { [EMBEDDED_CHECKPOINT_KEY]: embedded, ...pytorch } = metadata;
    expect(pytorch).toEqual({ format: 'pt', step: '3' });
    const json = JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8'));
    const inner = JSON.parse(embedded);
    expect({ ...inner, weights: 0, checksum: 0 }).toEqual({ ...json, weights: 0, checksum: 0 });
    expect(inner.checksum).toBe(checkpointChecksum(inner));
    expect(
      Object.keys(tensors)
        .filter((k) => !k.startsWith('optimizer.'))
        .sort(),
    ).toEqual(['C', 'W1', 'W2', 'b1', 'b2']);
    expect(tensors['optimizer.1.expAvg'].shape).toEqual([30]); // AdamW's buffers for W1 [6, 5]
    expect(tensors['optimizer.1.expAvgSq'].dtype).toBe('float32');
  });

  it('saves and reloads the count model with its tokenizer', () => {
    const dir = tempDir();
    const model = BigramCounts.fromWords(words, tokenizer);
    saveCheckpoint(dir, { config: model.config, tokenizer, model, step: 0 });
    const loaded = loadCheckpoint(dir).model as BigramCounts;
    expect(loaded.counts.tolist()).toEqual(model.counts.tolist());
    expect(loaded.topPairs(3)).toEqual(model.topPairs(3));
  });

  it.skipIf(!hasTorch)('PyTorch reads model.safetensors', () => {
    const dir = tempDir();
    const saved = trained(3, 2);
    saveCheckpoint(dir, saved);
    const result = spawnSync(python, [script, 'read', join(dir, WEIGHTS_FILE)], {
      encoding: 'utf8',
    });
    const read = JSON.parse(result.stdout);
    expect(read.W1.shape).toEqual([6, 5]);
    expect(read.W1.values).toEqual(Array.from((saved.model as MLP).W1.data));
  });

  it('a save interrupted between any two file operations leaves a loadable checkpoint', () => {
    const operations = [
      'write weights',
      'write json',
      'keep previous weights',
      'rename weights',
      'rename json',
      'remove previous weights',
    ];
    const first = trained(4, 2);
    const second = trained(5, 4);
    for (const crashAfter of operations) {
      const dir = tempDir();
      saveCheckpoint(dir, first);
      const secondDir = tempDir();
      saveCheckpoint(secondDir, second);
      const weights = readFileSync(join(secondDir, WEIGHTS_FILE));
      const json = readFileSync(join(secondDir, CHECKPOINT_FILE), 'utf8');
      expect(() =>
        commitCheckpointFiles(dir, weights, json, (operation) => {
          if (operation === crashAfter) throw new Error('simulated crash');
        }),
      ).toThrow('simulated crash');
      const loaded = loadCheckpoint(dir);
      const expected = ['rename json', 'remove previous weights'].includes(crashAfter)
        ? second
        : first;
      expect(loaded.step, `crash after '${crashAfter}'`).toBe(expected.step);
      expect(Array.from((loaded.model as MLP).C.data)).toEqual(
        Array.from((expected.model as MLP).C.data),
      );
    }
  });

  it('a failed save removes its temporary files and leaves the previous checkpoint', () => {
    const first = trained(4, 2);
    const second = trained(5, 4);
    for (const file of [CHECKPOINT_FILE, WEIGHTS_FILE]) {
      const dir = tempDir();
      saveCheckpoint(dir, first);
      failWrite.file = file;
      expect(() => saveCheckpoint(dir, second)).toThrow('ENOSPC');
      expect(readdirSync(dir).sort(), `failing ${file}`).toEqual([CHECKPOINT_FILE, WEIGHTS_FILE]);
      expect(loadCheckpoint(dir).step).toBe(first.step);
      saveCheckpoint(dir, second);
      expect(loadCheckpoint(dir).step).toBe(second.step);
    }
  });

  describe('errors', () => {
    const expectError = (dir: string, message: RegExp) => {
      expect(() => loadCheckpoint(dir)).toThrow(CheckpointError);
      expect(() => loadCheckpoint(dir)).toThrow(message);
    };
    const saved = () => {
      const dir = tempDir();
      saveCheckpoint(dir, trained(6, 1));
      return dir;
    };
    const editJson = (
      dir: string,
      edit: (json: Record<string, unknown>) => void,
      { checksum = true } = {},
    ) => {
      const path = join(dir, CHECKPOINT_FILE);
      const json = JSON.parse(readFileSync(path, 'utf8'));
      edit(json);
      // A consistent edit (checksum recomputed) reaches the field checks behind the checksum.
      if (checksum) json.checksum = checkpointChecksum(json);
      writeFileSync(path, JSON.stringify(json));
    };

    it('names a missing directory, a file instead of a directory, and a missing checkpoint.json', () => {
      const dir = tempDir();
      expectError(dir, /no checkpoint at .*run: the directory does not exist/);
      writeFileSync(`${dir}.txt`, 'x');
      expectError(`${dir}.txt`, /it is a file, expected a directory/);
      const empty = mkdtempSync(join(tmpdir(), 'ckpt-'));
      expectError(empty, /checkpoint\.json is missing/);
    });

    it('names truncated, foreign and newer-version JSON', () => {
      const dir = saved();
      const path = join(dir, CHECKPOINT_FILE);
      truncateSync(path, 40);
      expectError(dir, /checkpoint\.json is not valid JSON \(truncated or corrupted\?\)/);
      writeFileSync(path, JSON.stringify({ model_type: 'gpt2' }));
      expectError(dir, /is not an llm-playground makemore checkpoint/);
      const other = saved();
      editJson(other, (json) => {
        json.version = 3;
      });
      expectError(
        other,
        /format version 3, newer than this version of @llm-playground\/makemore reads \(2\); upgrade it/,
      );
    });

    it('names missing, truncated and replaced weights', () => {
      const dir = saved();
      const weights = join(dir, WEIGHTS_FILE);
      const bytes = readFileSync(weights);
      truncateSync(weights, bytes.length - 10);
      expectError(
        dir,
        /model\.safetensors does not match checkpoint\.json \(it has \d+ bytes, the checkpoint recorded \d+ bytes.*truncated, replaced, or from another save/,
      );
      rmSync(weights);
      expectError(dir, /model\.safetensors is missing/);
    });

    it('names a config that does not fit the weights, and a bad config', () => {
      const dir = saved();
      editJson(dir, (json) => {
        (json.config as ModelConfig).nHidden = 7;
      });
      expectError(
        dir,
        /does not fit the config in checkpoint\.json: size mismatch for W1: copying a param with shape \[6, 5\] from checkpoint, the shape in current model is \[6, 7\]/,
      );
      editJson(dir, (json) => {
        (json.config as ModelConfig).kind = 'lstm' as 'mlp';
      });
      expectError(dir, /invalid model config: .*'lstm'/);
      editJson(dir, (json) => {
        json.tokenizer = { chars: ['a'], boundary: '.' };
      });
      expectError(dir, /the tokenizer has 2 tokens but config.vocabSize is 12/);
    });
  });

  describe('validation on load (issue 10)', () => {
    const saved = (seed = 6) => {
      const dir = tempDir();
      saveCheckpoint(dir, { ...trained(seed, 1), metadata: { train: '{"steps":300,"lr":"0.1"}' } });
      return dir;
    };
    const rewrite = (
      dir: string,
      edit: (json: Record<string, unknown>) => void,
      checksum = true,
    ) => {
      const path = join(dir, CHECKPOINT_FILE);
      const json = JSON.parse(readFileSync(path, 'utf8'));
      edit(json);
      if (checksum) json.checksum = checkpointChecksum(json);
      writeFileSync(path, JSON.stringify(json));
    };

    it('checksums checkpoint.json: a swapped tokenizer or an edited field is refused', () => {
      const dir = saved();
      const json = JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8'));
      expect(json.version).toBe(2);
      expect(json.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(json.checksum).toBe(checkpointChecksum(json));
      // The same letters in another order: vocabSize still fits, so only the checksum sees it.
      rewrite(
        dir,
        (j) => {
          (j.tokenizer as { chars: string[] }).chars.reverse();
        },
        false,
      );
      expect(() => loadCheckpoint(dir)).toThrow(
        /checkpoint\.json: the checksum does not match the content .* was edited or damaged after saving/,
      );
      const other = saved();
      rewrite(
        other,
        (j) => {
          j.step = 30000;
        },
        false,
      );
      expect(() => loadCheckpoint(other)).toThrow(CheckpointError);
      rewrite(
        other,
        (j) => {
          delete j.checksum;
        },
        false,
      );
      expect(() => loadCheckpoint(other)).toThrow(/'checksum' is missing/);
    });

    it('still loads a version 1 checkpoint without checksum, and says so once', () => {
      const dir = saved();
      rewrite(
        dir,
        (j) => {
          j.version = 1;
          delete j.checksum;
          delete j.data;
        },
        false,
      );
      const loaded = loadCheckpoint(dir);
      expect(loaded.step).toBe(1);
      expect(loaded.warnings).toEqual([
        expect.stringMatching(
          /is a version 1 checkpoint: it has no checksum and no data fingerprint/,
        ),
      ]);
      expect(loadCheckpoint(saved()).warnings).toEqual([]);
    });

    it('refuses NaN and Inf weights, naming the tensor and the first bad index', () => {
      const dir = tempDir();
      const run = trained(7, 1);
      (run.model as MLP).W1.data[2 * 5 + 3] = Number.NaN; // W1 is [6, 5]
      saveCheckpoint(dir, run);
      expect(() => loadCheckpoint(dir)).toThrow(
        /model\.safetensors: tensor 'W1' holds NaN at index \[2, 3\] \(element 13 of 30\): the run diverged/,
      );
      const inf = tempDir();
      const other = trained(7, 1);
      (other.model as MLP).b2.data[1] = Number.NEGATIVE_INFINITY;
      saveCheckpoint(inf, other);
      expect(() => loadCheckpoint(inf)).toThrow(/tensor 'b2' holds -Infinity at index \[1\]/);
    });

    it('refuses garbled run settings, optimizer and generator state by field, instead of defaulting', () => {
      const cases: [(j: Record<string, unknown>) => void, RegExp][] = [
        [
          (j) => ((j.metadata as Record<string, string>).train = '{"steps":'),
          /'metadata\.train' must be the JSON of the run settings/,
        ],
        [
          (j) => ((j.metadata as Record<string, string>).train = '{"lr":"0.1"}'),
          /'metadata\.train\.steps' must be an integer ≥ 1, got undefined/,
        ],
        [
          (j) => ((j.metadata as Record<string, string>).train = '{"steps":"300"}'),
          /'metadata\.train\.steps' must be an integer ≥ 1, got "300"/,
        ],
        [
          (j) => ((j.metadata as Record<string, string>).train = '{"steps":300,"lr":""}'),
          /'metadata\.train\.lr' must be a learning rate or schedule/,
        ],
        [
          (j) => ((j.metadata as Record<string, unknown>).seed = 7),
          /'metadata\.seed' must be a string, got 7/,
        ],
        [
          (j) => ((j.optimizer as { groups: { lr: unknown }[] }).groups[0].lr = null),
          /'optimizer\.groups\[0\]\.lr' must be a finite number ≥ 0, got null/,
        ],
        [
          (j) => ((j.optimizer as { kind: unknown }).kind = 7),
          /'optimizer\.kind' must be an optimizer name/,
        ],
        [
          (j) => ((j.optimizer as { groups: unknown }).groups = []),
          /'optimizer\.groups' must be a non-empty array/,
        ],
        [
          (j) => ((j.generatorState as { mt: number[] }).mt = []),
          /'generatorState\.mt' must be 624 unsigned 32-bit integers/,
        ],
        [
          (j) => ((j.generatorState as { mti: unknown }).mti = null),
          /'generatorState\.mti' must be an integer from 0 to 624, got null/,
        ],
        [
          (j) => (j.generatorState = null),
          /'generatorState' must be the state of the run's generator \(saved with the optimizer state, needed to resume the same run\), got null/,
        ],
        [
          (j) => (j.generatorState = 'fresh'),
          /'generatorState' must be null or a state from Generator\.getState\(\)/,
        ],
        [(j) => (j.data = { words: 3 }), /'data\.sha256' must be a SHA-256 in hex/],
      ];
      for (const [edit, message] of cases) {
        const dir = saved();
        rewrite(dir, edit);
        expect(() => loadCheckpoint(dir), String(message)).toThrow(message);
      }
    });

    it('refuses an edited nHidden: 1e8 before allocating, with the bytes needed', () => {
      const dir = saved();
      rewrite(dir, (j) => {
        (j.config as ModelConfig).nHidden = 1e8;
      });
      const started = performance.now();
      expect(() => loadCheckpoint(dir)).toThrow(
        /model\.safetensors does not fit the config in checkpoint\.json: size mismatch for W1: copying a param with shape \[6, 5\] from checkpoint, the shape in current model is \[6, 100000000\]\. size mismatch for b1: .* The config \(.*nHidden 100,000,000.*\) describes a model of 1,900,000,048 weights \(7\.6 GB to allocate\) but the file holds 143: it was edited/,
      );
      expect(performance.now() - started).toBeLessThan(1000);
      // An unknown kind: a size field larger than the whole file is refused as well.
      rewrite(dir, (j) => {
        j.config = { kind: 'lstm', vocabSize: 12, blockSize: 2, nLayer: 1e9 };
      });
      expect(() => loadCheckpoint(dir)).toThrow(
        /config\.nLayer is 1,000,000,000, but .* holds only 143 weights/,
      );
    });

    it('records the data fingerprint and compares it with the data at hand', () => {
      const dir = tempDir();
      const fingerprint = dataFingerprint(words, {
        seed: 42,
        fractions: [0.8, 0.9],
        train: 4,
        dev: 0,
        test: 1,
      });
      saveCheckpoint(dir, { ...trained(8, 1), data: fingerprint });
      const loaded = loadCheckpoint(dir);
      expect(loaded.data).toEqual(fingerprint);
      expect(fingerprint.sha256).toBe(createHash('sha256').update(words.join('\n')).digest('hex'));
      expect(
        compareDataFingerprint(loaded.data, dataFingerprint(words, fingerprint.split)),
      ).toEqual({ same: true, message: '' });
      const more = compareDataFingerprint(loaded.data, dataFingerprint([...words, 'mia']));
      expect(more.same).toBe(false);
      expect(more.difference).toBe('words');
      expect(more.message).toMatch(
        /^the word list is not the one this checkpoint was trained on \(6 words now, 5 words when trained\): .*dev and test losses mix in words the model trained on/,
      );
      const shuffled = compareDataFingerprint(loaded.data, dataFingerprint([...words].reverse()));
      expect(shuffled.message).toMatch(/both 5 words, but different words or order/);
      const resplit = compareDataFingerprint(
        loaded.data,
        dataFingerprint(words, { seed: 1, fractions: [0.8, 0.9], train: 4, dev: 0, test: 1 }),
      );
      expect(resplit.difference).toBe('split');
      expect(compareDataFingerprint(undefined, fingerprint).same).toBe(true);
      // Chunked hashing gives the hash of the whole join, also past one chunk.
      const many = Array.from({ length: 70_000 }, (_, i) => `w${i}`);
      expect(dataFingerprint(many).sha256).toBe(
        createHash('sha256').update(many.join('\n')).digest('hex'),
      );
    });
  });

  it.skipIf(!existsSync('/proc/self'))(
    'a save into /proc/x fails at once (mkdirSync recursive looped forever there as root)',
    () => {
      const run = trained(4, 1);
      const started = performance.now();
      expect(() => saveCheckpoint('/proc/lmp-x/run', run)).toThrow(/ENOENT|EACCES|EPERM/);
      expect(performance.now() - started).toBeLessThan(1000);
    },
  );

  describe('temporary files of killed saves (issue 10)', () => {
    const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;
    const files = (dir: string) => readdirSync(dir).sort();

    it('removes the temporary files of dead processes on the next save and load, never a live one', () => {
      const dir = tempDir();
      saveCheckpoint(dir, trained(4, 2));
      const dead = deadPid();
      const stale = [`.${WEIGHTS_FILE}.tmp-${dead}-1`, `.${CHECKPOINT_FILE}.tmp-${dead}-2`];
      const live = `.${WEIGHTS_FILE}.tmp-${process.ppid}-9`; // our parent: alive
      for (const name of [...stale, live]) writeFileSync(join(dir, name), 'partial');
      saveCheckpoint(dir, trained(4, 3));
      expect(files(dir)).toEqual([live, CHECKPOINT_FILE, WEIGHTS_FILE].sort());
      for (const name of stale) writeFileSync(join(dir, name), 'partial');
      expect(loadCheckpoint(dir).step).toBe(3);
      expect(files(dir)).toEqual([live, CHECKPOINT_FILE, WEIGHTS_FILE].sort());
    });

    it('recovers a first save killed before its renames, from temporary files that verify', () => {
      const source = tempDir();
      const run = trained(5, 4);
      saveCheckpoint(source, run);
      const weights = readFileSync(join(source, WEIGHTS_FILE));
      const json = readFileSync(join(source, CHECKPOINT_FILE));
      const dead = deadPid();
      // Killed after writing both temporary files, and killed after renaming the weights.
      for (const weightsName of [`.${WEIGHTS_FILE}.tmp-${dead}-1`, WEIGHTS_FILE]) {
        const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'first');
        makeDirectories(dir);
        writeFileSync(join(dir, weightsName), weights);
        writeFileSync(join(dir, `.${CHECKPOINT_FILE}.tmp-${dead}-2`), json);
        const loaded = loadCheckpoint(dir);
        expect(loaded.step).toBe(4);
        expect(Array.from((loaded.model as MLP).W1.data)).toEqual(
          Array.from((run.model as MLP).W1.data),
        );
        expect(loaded.warnings).toEqual([
          expect.stringMatching(
            new RegExp(
              `recovered the checkpoint of a save that was interrupted \\(process ${dead} .*step 4\\)`,
            ),
          ),
        ]);
        expect(files(dir)).toEqual([CHECKPOINT_FILE, WEIGHTS_FILE]);
      }
    });

    it('says exactly what happened when an interrupted first save cannot be recovered', () => {
      const source = tempDir();
      saveCheckpoint(source, trained(5, 4));
      const dead = deadPid();
      const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'first');
      makeDirectories(dir);
      // Killed while writing the weights: half a file, no JSON.
      writeFileSync(
        join(dir, `.${WEIGHTS_FILE}.tmp-${dead}-1`),
        readFileSync(join(source, WEIGHTS_FILE)).subarray(0, 100),
      );
      expect(() => loadCheckpoint(dir)).toThrow(
        /checkpoint\.json is missing\. The first save into this folder was interrupted and left only temporary files: .*\.model\.safetensors\.tmp-\d+-1 \(100 bytes\)\. They cannot be recovered \(the process was killed while writing the weights, before checkpoint\.json was written\)\. Start the run again/,
      );
      // A JSON whose weights are incomplete.
      writeFileSync(
        join(dir, `.${CHECKPOINT_FILE}.tmp-${dead}-2`),
        readFileSync(join(source, CHECKPOINT_FILE)),
      );
      expect(() => loadCheckpoint(dir)).toThrow(
        /is complete but no weights file matches its SHA-256/,
      );
      // A live writer: wait.
      const busy = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'busy');
      makeDirectories(busy);
      writeFileSync(join(busy, `.${WEIGHTS_FILE}.tmp-${process.ppid}-1`), 'x');
      expect(() => loadCheckpoint(busy)).toThrow(`process ${process.ppid} is writing one`);
    });
  });
});
