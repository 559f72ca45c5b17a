import { spawnSync } from 'node:child_process';
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
import { BigramCounts } from './bigram-counts.js';
import {
  CHECKPOINT_FILE,
  type Checkpoint,
  commitCheckpointFiles,
  loadCheckpoint,
  saveCheckpoint,
  WEIGHTS_FILE,
} from './checkpoint.js';
import { createModel } from './create-model.js';
import { CheckpointError } from './errors.js';
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
    expect(metadata).toEqual({ format: 'pt', step: '3' });
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
    const editJson = (dir: string, edit: (json: Record<string, unknown>) => void) => {
      const path = join(dir, CHECKPOINT_FILE);
      const json = JSON.parse(readFileSync(path, 'utf8'));
      edit(json);
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
        json.version = 2;
      });
      expectError(
        other,
        /format version 2, newer than this version of @llm-playground\/makemore reads \(1\); upgrade it/,
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
        /does not fit the config in checkpoint\.json: [\s\S]*size mismatch for W1: copying a param with shape \[6, 5\] from checkpoint, the shape in current model is \[6, 7\]/,
      );
      editJson(dir, (json) => {
        (json.config as ModelConfig).kind = 'gru' as 'mlp';
      });
      expectError(dir, /invalid model config: .*got 'gru'/);
      editJson(dir, (json) => {
        json.tokenizer = { chars: ['a'], boundary: '.' };
      });
      expectError(dir, /the tokenizer has 2 tokens but config.vocabSize is 12/);
    });
  });
});
