import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isProcessAlive,
  listTemporaryFiles,
  removeStaleTemporaryFiles,
  temporaryPath,
  writeFileAtomic,
} from './atomic-write.js';

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;

describe('temporary files', () => {
  it('names them after the target and the writing process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmp-atomic-'));
    const path = temporaryPath(join(dir, 'model.safetensors'));
    expect(path).toMatch(new RegExp(`/\\.model\\.safetensors\\.tmp-${process.pid}-\\d+$`));
    writeFileSync(path, 'x');
    writeFileSync(join(dir, 'model.safetensors'), 'y');
    expect(listTemporaryFiles(dir)).toEqual([
      expect.objectContaining({ path, target: 'model.safetensors', pid: process.pid }),
    ]);
    expect(listTemporaryFiles(join(dir, 'missing'))).toEqual([]);
  });

  it('tells live processes from dead ones', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(process.ppid)).toBe(true);
    expect(isProcessAlive(deadPid())).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
  });

  it('removes only the files of dead writers (30 killed saves leave nothing behind)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmp-atomic-'));
    const dead = deadPid();
    for (let n = 1; n <= 30; n++)
      writeFileSync(join(dir, `.model.safetensors.tmp-${dead}-${n}`), 'x');
    const live = `.model.safetensors.tmp-${process.ppid}-1`;
    writeFileSync(join(dir, live), 'x');
    writeFileSync(join(dir, `.other.txt.tmp-${dead}-1`), 'x');
    expect(removeStaleTemporaryFiles(dir, ['model.safetensors']).length).toBe(30);
    expect(readdirSync(dir).sort()).toEqual([`.other.txt.tmp-${dead}-1`, live].sort());
    // writeFileAtomic cleans up after killed writers of the same target.
    writeFileSync(join(dir, `.weights.bin.tmp-${dead}-4`), 'x');
    writeFileAtomic(join(dir, 'weights.bin'), 'new');
    expect(readFileSync(join(dir, 'weights.bin'), 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(
      [`.other.txt.tmp-${dead}-1`, live, 'weights.bin'].sort(),
    );
  });
});
