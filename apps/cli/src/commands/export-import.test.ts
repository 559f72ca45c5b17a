import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkpointChecksum,
  loadCheckpoint,
  readSafetensors,
  writeSafetensors,
} from '@llm-playground/makemore';
import { type Tensor, tensor } from '@llm-playground/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { lmp, wordsDirectory } from './test-words.js';

let cwd = '';
beforeAll(async () => {
  cwd = wordsDirectory();
  const train = ['train', '-i', 'words.txt', '--n-hidden', '16', '--steps', '40', '--samples', '0'];
  expect((await lmp([...train, '--out', 'ckpt'], { cwd })).code).toBe(0);
});

const CONTEXTS = [
  [0, 0, 0],
  [0, 5, 13],
  [1, 2, 3],
  [12, 9, 20],
];
function logitsOf(dir: string): number[][] {
  const { model } = loadCheckpoint(join(cwd, dir));
  return model.logits(tensor(CONTEXTS, { dtype: 'int32' })).tolist() as number[][];
}

/** Rewrites ckpt's weights through `edit` into `dir`, with the hashes train.py would write. */
function tamperedCopy(dir: string, edit: (tensors: Record<string, Tensor>) => void): string {
  const from = join(cwd, 'ckpt');
  const weights = readSafetensors(join(from, 'model.safetensors'));
  edit(weights.tensors);
  mkdirSync(join(cwd, dir));
  writeSafetensors(join(cwd, dir, 'model.safetensors'), weights.tensors, weights.metadata);
  const bytes = readFileSync(join(cwd, dir, 'model.safetensors'));
  const json = JSON.parse(readFileSync(join(from, 'checkpoint.json'), 'utf8'));
  json.weights = {
    ...json.weights,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  json.checksum = checkpointChecksum(json);
  writeFileSync(join(cwd, dir, 'checkpoint.json'), JSON.stringify(json));
  return dir;
}

describe('lmp export', () => {
  it('writes the PyTorch project with the same weights, and prints the next commands', async () => {
    const { code, out, err } = await lmp(['export', '--from', 'ckpt', '--to', 'pt'], { cwd });
    expect(err).toBe('');
    expect(code).toBe(0);
    for (const file of [
      'model.py',
      'train.py',
      'model.safetensors',
      'config.json',
      'tokenizer.json',
    ]) {
      expect(out).toContain(`  ${join('pt', file)}\n`);
    }
    expect(out).toContain('--nproc_per_node 2 train.py');
    expect(out).toContain('lmp import --from trained');
    const exported = readSafetensors(join(cwd, 'pt', 'model.safetensors')).tensors;
    const ours = loadCheckpoint(join(cwd, 'ckpt')).model.namedParameters();
    expect(Object.keys(exported).sort()).toEqual(ours.map(([name]) => name).sort());
    for (const [name, parameter] of ours)
      expect(exported[name].tolist()).toEqual(parameter.tolist());
  });

  it('refuses a family it cannot export (exit 2) and a missing folder', async () => {
    expect(
      (await lmp(['train', '--model', 'bigram', '-i', 'words.txt', '--out', 'bg'], { cwd })).code,
    ).toBe(0);
    const bigram = await lmp(['export', '--from', 'bg', '--to', 'bg-pt'], { cwd });
    expect(bigram.code).toBe(2);
    expect(bigram.err).toMatch(/bigram/);
    expect(existsSync(join(cwd, 'bg-pt'))).toBe(false);
    const missing = await lmp(['export', '--from', 'nowhere', '--to', 'x'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--from nowhere does not exist');
    expect((await lmp(['export', '--from', 'ckpt'], { cwd })).err).toContain(
      '--to DIR is required',
    );
  });
});

describe('lmp import', () => {
  it('validates a checkpoint, says it reads as is, and --to saves one with the same logits', async () => {
    const inPlace = await lmp(['import', '--from', 'ckpt'], { cwd });
    expect(inPlace.code).toBe(0);
    expect(inPlace.out).toContain('mlp at step 40, ');
    expect(inPlace.out).toContain('already in our format');
    const copied = await lmp(['import', '--from', 'ckpt', '--to', 'back'], { cwd });
    expect(copied.err).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.out).toContain('saved to back');
    expect(logitsOf('back')).toEqual(logitsOf('ckpt'));
    expect((await lmp(['sample', '--from', 'back', '-n', '2'], { cwd })).code).toBe(0);
  });

  it('names the parameter that is renamed or reshaped', async () => {
    const renamed = tamperedCopy('renamed', (t) => {
      t.W9 = t.W1;
      delete t.W1;
    });
    const a = await lmp(['import', '--from', renamed], { cwd });
    expect(a.code).toBe(1);
    expect(a.err).toContain(
      'Missing key(s) in state_dict: "W1".  Unexpected key(s) in state_dict: "W9"',
    );
    const reshaped = tamperedCopy('reshaped', (t) => {
      t.W2 = t.W2.reshape([t.W2.numel()]);
    });
    const b = await lmp(['import', '--from', reshaped], { cwd });
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/size mismatch for W2/);
  });

  const python = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  const noTorch = python.status !== 0;
  if (noTorch) console.log('skipping train.py round trip: /usr/bin/python3 with torch not found');
  it.skipIf(noTorch)('imports what the exported train.py wrote after a few steps', async () => {
    const pt = join(cwd, 'pt-run');
    expect((await lmp(['export', '--from', 'ckpt', '--to', 'pt-run'], { cwd })).code).toBe(0);
    const args = ['train.py', '--data', join(cwd, 'words.txt'), '--steps', '5', '--out', 'trained'];
    const trained = spawnSync('/usr/bin/python3', args, { cwd: pt, encoding: 'utf8' });
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    const imported = await lmp(['import', '--from', 'pt-run/trained', '--to', 'pt-back'], { cwd });
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/^mlp at step 45, [\d,]+ parameters \(trained with PyTorch /);
    expect(logitsOf('pt-back')).not.toEqual(logitsOf('ckpt'));
  });
});
