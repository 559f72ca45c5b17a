import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { checkOutputDirectory, checkOutputFile, describeWriteError } from './output-path.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'lmp-out-'));
const messageOf = (action: () => void) => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('checkOutputFile', () => {
  it('accepts a new file in an existing folder, and leaves nothing behind', () => {
    const cwd = scratch();
    checkOutputFile(join(cwd, 'loss.png'), 'plot', cwd, 'train');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('names the flag and says what to do for each way a path can be wrong', () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'folder.png'));
    writeFileSync(join(cwd, 'file'), 'x');
    const check = (path: string) => () => checkOutputFile(join(cwd, path), 'plot', cwd, 'train');
    expect(messageOf(check('missing/loss.png'))).toBe(
      "--plot missing/loss.png: the folder 'missing' does not exist; create it first (mkdir -p missing)",
    );
    expect(messageOf(check('folder.png'))).toBe(
      '--plot folder.png: is a folder: give a file name inside it, such as folder.png/plot.png',
    );
    expect(messageOf(check('file/loss.png'))).toBe(
      "--plot file/loss.png: 'file' is a file, not a folder: choose another path",
    );
    expect(messageOf(check('file/deeper/loss.png'))).toBe(
      "--plot file/deeper/loss.png: 'file' is a file, not a folder: choose another path",
    );
  });

  it.runIf(existsSync('/proc/self'))('refuses a folder that accepts no new file (/proc)', () => {
    expect(messageOf(() => checkOutputFile('/proc/x.png', 'output', '/tmp', 'graph'))).toMatch(
      /^--output \/proc\/x\.png: (cannot create|no permission to write) '\/proc\/x\.png'/,
    );
  });
});

describe("checkOutputDirectory (makemore's, as a usage error)", () => {
  it('accepts a folder to be created and leaves nothing behind', () => {
    const cwd = scratch();
    checkOutputDirectory(join(cwd, 'a/b'), 'out', cwd, 'train');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a file in the way', () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'taken'), 'x');
    expect(messageOf(() => checkOutputDirectory(join(cwd, 'taken/run'), 'out', cwd, 'train'))).toBe(
      '--out taken/run: taken is a file, not a folder — remove it or choose another path',
    );
  });

  it.runIf(existsSync('/proc/self'))('fails fast on /proc/x, where mkdir -p would spin', () => {
    const started = performance.now();
    expect(messageOf(() => checkOutputDirectory('/proc/x', 'out', '/root', 'train'))).toMatch(
      /^--out \/proc\/x: (the file system does not allow creating|permission denied at) \/proc\/x/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('describeWriteError', () => {
  it('explains the common error codes in words', () => {
    expect(describeWriteError({ code: 'EACCES' }, '/root/x.png', '/home/me')).toBe(
      "no permission to write '/root/x.png': choose a folder you can write to",
    );
    expect(describeWriteError({ code: 'ENOSPC' }, '/home/me/x.png', '/home/me')).toBe(
      "no space left on the device to write 'x.png'",
    );
  });
});
