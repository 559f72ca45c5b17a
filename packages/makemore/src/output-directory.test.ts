import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CharTokenizer } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { makeDirectories } from './atomic-write.js';
import { CHECKPOINT_FILE, saveCheckpoint } from './checkpoint.js';
import { createModel } from './create-model.js';
import {
  checkOutputDirectory,
  checkOutputFile,
  describeExistingCheckpoint,
  OutputDirectoryError,
} from './output-directory.js';

const root = () => mkdtempSync(join(tmpdir(), 'lmp-out-'));
const isRoot = process.getuid?.() === 0;

describe('makeDirectories', () => {
  it('creates the missing levels once and returns them, outermost first', () => {
    const base = root();
    expect(makeDirectories(join(base, 'a', 'b'))).toEqual([join(base, 'a'), join(base, 'a', 'b')]);
    expect(makeDirectories(join(base, 'a', 'b'))).toEqual([]);
  });

  it.skipIf(!existsSync('/proc/self'))(
    'fails at once under /proc, where mkdirSync({ recursive: true }) loops forever as root',
    () => {
      const started = performance.now();
      expect(() => makeDirectories('/proc/lmp-x/y')).toThrow(/ENOENT|EACCES|EPERM/);
      expect(performance.now() - started).toBeLessThan(1000);
    },
  );

  it('refuses a file in the way with ENOTDIR', () => {
    const base = root();
    writeFileSync(join(base, 'file'), 'x');
    expect(() => makeDirectories(join(base, 'file', 'run'))).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }),
    );
  });
});

describe('checkOutputDirectory', () => {
  it('accepts a new nested folder and leaves nothing behind', () => {
    const base = root();
    checkOutputDirectory(join(base, 'runs', 'mlp'));
    expect(readdirSync(base)).toEqual([]);
    mkdirSync(join(base, 'existing'));
    checkOutputDirectory(join(base, 'existing'));
    expect(readdirSync(join(base, 'existing'))).toEqual([]);
  });

  it.skipIf(!existsSync('/proc/self'))('fails fast for /proc/x, naming the flag', () => {
    const started = performance.now();
    expect(() => checkOutputDirectory('/proc/x', { flag: '--out' })).toThrow(OutputDirectoryError);
    expect(() => checkOutputDirectory('/proc/x', { flag: '--out' })).toThrow(
      isRoot
        ? '--out /proc/x: the file system does not allow creating /proc/x (a virtual file system such as /proc, or a parent that vanished) — choose a folder on a normal disk'
        : /^--out \/proc\/x: permission denied at \/proc\/x/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('explains a file in the way (ENOTDIR) and a file given as the folder', () => {
    const base = root();
    const file = join(base, 'notes.txt');
    writeFileSync(file, 'x');
    expect(() => checkOutputDirectory(join(file, 'run'), { flag: '-o' })).toThrow(
      `-o ${join(file, 'run')}: ${file} is a file, not a folder — remove it or choose another path`,
    );
    expect(() => checkOutputDirectory(file)).toThrow(
      `${file} is a file, not a folder — remove it or choose another path`,
    );
    let caught: unknown;
    try {
      checkOutputDirectory(file);
    } catch (error) {
      caught = error;
    }
    expect((caught as OutputDirectoryError).code).toBe('ENOTDIR');
  });

  it.skipIf(isRoot)('explains a folder without write permission (EACCES)', () => {
    expect(() => checkOutputDirectory('/lmp-no-permission/run')).toThrow(
      /permission denied at \/lmp-no-permission — choose a folder you can write to/,
    );
  });
});

describe('checkOutputFile', () => {
  it('accepts a new file in a new folder and leaves nothing behind', () => {
    const base = root();
    checkOutputFile(join(base, 'plots', 'loss.svg'), { flag: '--plot' });
    expect(readdirSync(base)).toEqual([]);
  });

  it('names the flag for a folder given as the file, a file in the way, and /proc', () => {
    const base = root();
    expect(() => checkOutputFile(base, { flag: '--plot' })).toThrow(
      `--plot ${base}: ${base} is a folder where a file was expected — choose another path`,
    );
    writeFileSync(join(base, 'x'), 'x');
    expect(() => checkOutputFile(join(base, 'x', 'loss.svg'), { flag: '--plot' })).toThrow(
      `--plot ${join(base, 'x', 'loss.svg')}: ${join(base, 'x')} is a file, not a folder — remove it or choose another path`,
    );
    if (existsSync('/proc/self')) {
      expect(() => checkOutputFile('/proc/x/loss.svg', { flag: '--plot' })).toThrow(
        OutputDirectoryError,
      );
    }
  });
});

describe('describeExistingCheckpoint', () => {
  it('is undefined for no folder, an empty folder, and a folder of other files', () => {
    const base = root();
    expect(describeExistingCheckpoint(join(base, 'none'))).toBeUndefined();
    expect(describeExistingCheckpoint(base)).toBeUndefined();
    writeFileSync(join(base, 'notes.txt'), 'x');
    expect(describeExistingCheckpoint(base)).toBeUndefined();
  });

  it('describes a checkpoint with the two ways out, also when checkpoint.json is damaged', () => {
    const dir = join(root(), 'mlp');
    const tokenizer = CharTokenizer.fromWords(['ab']);
    const config = { kind: 'mlp' as const, vocabSize: 3, blockSize: 2, nEmbd: 2, nHidden: 3 };
    saveCheckpoint(dir, { config, tokenizer, model: createModel(config), step: 300 });
    expect(describeExistingCheckpoint(dir)).toEqual({
      step: 300,
      kind: 'mlp',
      summary: `${dir} holds a 300-step mlp checkpoint`,
      message: `${dir} holds a 300-step mlp checkpoint: use --resume to continue it, or --force / another --out to replace it`,
    });
    writeFileSync(join(dir, CHECKPOINT_FILE), '{"trunc');
    expect(describeExistingCheckpoint(dir)?.summary).toBe(
      `${dir} holds a checkpoint (its checkpoint.json is missing or unreadable)`,
    );
  });
});
