// `lmp train` as a process that gets killed: SIGTERM/SIGHUP save like Ctrl-C, a periodic save
// survives SIGKILL, and the checkpoint is on disk before the final evaluation and sampling. These
// run the built binary (dist/main.js), as a user, a service manager or `kill` would meet it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { lmp, wordsDirectory } from './test-words.js';

const bin = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const SMALL = ['-i', 'words.txt', '--n-embd', '2', '--n-hidden', '16', '--batch-size', '8'];

/** A running `lmp` with its output so far, a way to wait for a line, and its exit. */
function start(args: string[], cwd: string) {
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], { cwd });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const waiter of waiters.filter((w) => w.pattern.test(out))) waiter.resolve();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    out: () => out,
    err: () => err,
    waitFor: (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        if (pattern.test(out)) resolve();
        else waiters.push({ pattern, resolve });
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lmp train under signals (the built binary)', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s saves, says how to resume and exits with %i; --resume continues',
    async (signal, exitCode) => {
      expect(existsSync(bin), `${bin} is missing: build the CLI first`).toBe(true);
      const cwd = wordsDirectory();
      const run = start(['train', ...SMALL, '--steps', '10000000', '--out', 'run'], cwd);
      await run.waitFor(/^step +0\/10,000,000/m); // training has started
      await sleep(300);
      run.child.kill(signal);
      const { code } = await run.exited;
      expect(run.err()).toBe('');
      expect(code).toBe(exitCode);
      const match = new RegExp(
        `interrupted \\(${signal}\\) at step ([\\d,]+) of 10,000,000: saved a checkpoint to run\\n`,
      ).exec(run.out());
      expect(match).not.toBeNull();
      const step = Number(match?.[1].replace(/,/g, ''));
      expect(step).toBeGreaterThan(0);
      expect(run.out().endsWith('resume with: lmp train --resume --out run -i words.txt\n')).toBe(
        true,
      );
      const checkpoint = loadCheckpoint(join(cwd, 'run'));
      expect(checkpoint.step).toBe(step);
      expect(checkpoint.config.kind).toBe('mlp');

      const resumed = await lmp(
        ['train', '--resume', '--out', 'run', '-i', 'words.txt', '--steps', String(step + 20)],
        { cwd },
      );
      expect(resumed.err).toBe('');
      expect(resumed.code).toBe(0);
      expect(resumed.out).toContain(`training from step ${step.toLocaleString('en-US')} to `);
      expect(loadCheckpoint(join(cwd, 'run')).step).toBe(step + 20);
    },
  );

  it('saves every --save-every steps, so SIGKILL loses at most one interval', async () => {
    const cwd = wordsDirectory();
    const run = start(
      ['train', ...SMALL, '--steps', '10000000', '--save-every', '200', '--out', 'run'],
      cwd,
    );
    const json = join(cwd, 'run/checkpoint.json');
    const deadline = performance.now() + 30_000;
    while (!existsSync(json) && performance.now() < deadline) await sleep(50);
    await sleep(200);
    run.child.kill('SIGKILL');
    const { signal } = await run.exited;
    expect(signal).toBe('SIGKILL');
    expect(run.out()).not.toContain('interrupted');
    const checkpoint = loadCheckpoint(join(cwd, 'run'));
    expect(checkpoint.step).toBeGreaterThanOrEqual(200);
    expect(JSON.parse(readFileSync(json, 'utf8')).step).toBe(checkpoint.step);
  });

  it('writes the checkpoint before the final sampling: killed while printing samples, nothing is lost', async () => {
    const cwd = wordsDirectory();
    const run = start(
      ['train', ...SMALL, '--steps', '50', '--samples', '150000', '--out', 'run'],
      cwd,
    );
    await run.waitFor(/^done in /m);
    run.child.kill('SIGKILL'); // during the evaluation or the sampling of 150,000 names
    await run.exited;
    expect(run.out()).not.toContain('saved run/model.safetensors');
    expect(loadCheckpoint(join(cwd, 'run')).step).toBe(50);
  });
});

describe('lmp train refuses to overwrite a checkpoint', () => {
  it('names the two ways out; --force replaces, --resume continues', async () => {
    const cwd = wordsDirectory();
    const first = await lmp(['train', ...SMALL, '--steps', '30', '--samples', '0', '-o', 'run'], {
      cwd,
    });
    expect(first.code).toBe(0);
    const again = await lmp(
      ['train', '-m', 'bigram-net', '-i', 'words.txt', '--steps', '5', '-o', 'run'],
      { cwd },
    );
    expect(again.code).toBe(2);
    expect(again.out).toBe('');
    expect(again.err).toBe(
      "lmp: error: --out run holds a mlp checkpoint at step 30 already; continue it with --resume, replace it with --force, or train the bigram-net into another --out (see 'lmp train --help')\n",
    );
    expect(loadCheckpoint(join(cwd, 'run')).config.kind).toBe('mlp');
    const resumed = await lmp(
      ['train', '--resume', '-o', 'run', '--steps', '40', '--samples', '0'],
      {
        cwd,
      },
    );
    expect(resumed.code).toBe(0);
    expect(loadCheckpoint(join(cwd, 'run')).step).toBe(40);
    const forced = await lmp(
      ['train', '-m', 'bigram-net', '-i', 'words.txt', '--steps', '5', '-o', 'run', '--force'],
      { cwd },
    );
    expect(forced.code).toBe(0);
    expect(loadCheckpoint(join(cwd, 'run')).config.kind).toBe('bigram-net');
  });

  it('checks -o and --plot before reading the data: /proc/x fails fast, a folder as --plot is named', async () => {
    const cwd = wordsDirectory();
    mkdirSync(join(cwd, 'taken.png'));
    const started = performance.now();
    const proc = await lmp(['train', ...SMALL, '-o', '/proc/x'], { cwd });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(proc.code).toBe(2);
    expect(proc.out).toBe('');
    expect(proc.err).toMatch(
      /^lmp: error: --out \/proc\/x: (the file system does not allow creating|permission denied at) \/proc\/x/,
    );
    const plot = await lmp(['train', ...SMALL, '--plot', 'taken.png'], { cwd });
    expect(plot.code).toBe(2);
    expect(plot.out).toBe('');
    expect(plot.err).toBe(
      "lmp: error: --plot taken.png: is a folder: give a file name inside it, such as taken.png/plot.png (see 'lmp train --help')\n",
    );
    // the MLP's second picture, FILE-embedding.png, is checked too
    mkdirSync(join(cwd, 'loss-embedding.png'));
    const sibling = await lmp(['train', ...SMALL, '--plot', 'loss.png'], { cwd });
    expect(sibling.code).toBe(2);
    expect(sibling.err).toMatch(/^lmp: error: --plot loss-embedding\.png: is a folder/);
  });
});
