import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// End to end: the built binary, as a user runs it. `pnpm test` builds every package first.
const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('the lmp binary (dist/main.js)', () => {
  it('is built, executable and starts with a shebang', () => {
    expect(existsSync(bin), `${bin} is missing: run pnpm --filter @llm-playground/cli build`).toBe(
      true,
    );
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(execFileSync('head', ['-c', '19', bin], { encoding: 'utf8' })).toBe(
      '#!/usr/bin/env node',
    );
  });

  it('runs micrograd moons --steps 5', () => {
    const result = spawnSync(process.execPath, [bin, 'micrograd', 'moons', '--steps', '5'], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'MLP(2, [16, 16, 1]) on 100 moons (noise 0.1), 5 steps, full batch, seed 1337',
    );
    expect(lines.slice(1, 6).map((line) => line.split(' loss')[0])).toEqual([
      'step 0',
      'step 1',
      'step 2',
      'step 3',
      'step 4',
    ]);
    expect(lines[6]).toMatch(
      /^done: 337 parameters, final loss \d\.\d{4}, accuracy [\d.]+% \(\d+\/100\)/,
    );
  });

  it('exits with code 2 and one line for a bad flag', () => {
    const result = spawnSync(process.execPath, [bin, 'micrograd', 'moons', '--noise', 'abc'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "lmp: error: --noise must be a number >= 0, got 'abc' (see 'lmp micrograd moons --help')\n",
    );
  });

  it('reads LMP_BACKEND itself: a bad value is one usage line, wasm is named in the header', () => {
    const env = (value: string) => ({ ...process.env, LMP_BACKEND: value });
    const bad = spawnSync(process.execPath, [bin, 'lr-find', '--steps', '20'], {
      encoding: 'utf8',
      env: env('foo'),
    });
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    // One line: tensor's own start-up warning about the variable is not printed.
    expect(bad.stderr).toBe(
      "lmp: error: the environment variable LMP_BACKEND must be js or wasm, got 'foo'; set it to js or wasm, or unset it (see 'lmp lr-find --help')\n",
    );
    const wasm = spawnSync(process.execPath, [bin, 'lr-find', '--steps', '20'], {
      encoding: 'utf8',
      env: env('wasm'),
    });
    expect([wasm.status, wasm.stderr]).toEqual([0, '']);
    expect(wasm.stdout).toMatch(/, seed 2147483647, backend wasm \(SIMD(, FMA)?, \d threads?\)\n/);
  });

  it('a wasm that cannot load (node --jitless: no WebAssembly) is one warning line, then js', () => {
    const result = spawnSync(
      process.execPath,
      ['--jitless', bin, 'bigram', '-n', '0', '--top', '0', '--backend', 'wasm'],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    // Node says it disables --expose-wasm; the rest of stderr is lmp's one line.
    const lines = result.stderr.split('\n').filter((line) => !line.startsWith('Warning: '));
    expect(lines).toEqual([
      'lmp: warning: the wasm backend cannot run here (this runtime has no WebAssembly); using js (same numbers, slower)',
      '',
    ]);
    expect(result.stdout).toMatch(/^average negative log-likelihood: /m);
  });

  it('ends by itself after a run on wasm threads, and on Ctrl-C saves and exits with 130', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lmp-e2e-'));
    const wasm = ['train', '--backend', 'wasm', '--threads', '2', '--samples', '0'];
    // A pool left running would keep the process alive: spawnSync would time out (status null).
    const done = spawnSync(process.execPath, [bin, ...wasm, '--steps', '50', '-o', 'short'], {
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect([done.status, done.stderr]).toEqual([0, '']);
    expect(done.stdout).toMatch(/, backend wasm \(SIMD(, FMA)?, 2 threads\)\n/);
    const child = spawn(process.execPath, [bin, ...wasm, '--steps', '1000000', '-o', 'long'], {
      cwd,
    });
    let stdout = '';
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Once, when training has started (a second SIGINT after the save would kill it).
      if (!child.killed && /\nstep +0\//.test(stdout)) {
        child.kill('SIGINT');
      }
    });
    expect(await closed).toBe(130);
    expect(stdout).toMatch(
      /\ninterrupted \(SIGINT\) at step [\d,]+ of 1,000,000: saved a checkpoint to long\n/,
    );
    // The checkpoint does not record threads or FMA: it resumes on one thread, plain SIMD.
    const step = Number(/at step ([\d,]+) of/.exec(stdout)?.[1].replaceAll(',', ''));
    const more = ['--resume', '-o', 'long', '--steps', String(step + 20), '--samples', '0'];
    const resumed = spawnSync(
      process.execPath,
      [bin, 'train', ...more, '--backend', 'wasm', '--threads', '1', '--no-fma'],
      { cwd, encoding: 'utf8', timeout: 30_000 },
    );
    expect([resumed.status, resumed.stderr]).toEqual([0, '']);
    expect(resumed.stdout).toContain(`, backend wasm (SIMD, 1 thread)\n`);
    expect(resumed.stdout).toContain(
      `checkpoint.json (step ${(step + 20).toLocaleString('en-US')})`,
    );
  }, 60_000);

  it('trains the MLP on the bundled names for 200 steps, then samples from the checkpoint', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lmp-e2e-'));
    const trained = spawnSync(
      process.execPath,
      [bin, 'train', '--model', 'mlp', '--steps', '200', '--samples', '3'],
      { cwd, encoding: 'utf8' },
    );
    expect(trained.stderr).toBe('');
    expect(trained.status).toBe(0);
    const lines = trained.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^8,4\d\d bundled English first names/);
    expect(lines[3]).toBe(
      'training 200 steps, batch 32, sgd, lr 0.1 → 0.01 at step 100, seed 2147483647, backend js',
    );
    expect(trained.stdout).toMatch(
      /\ndone in \S+: loss train \d\.\d{4}, dev \d\.\d{4}, test \d\.\d{4}\n/,
    );
    expect(trained.stdout).toContain('3 samples: 3 new, 0 seen in the data\n');
    expect(lines.at(-1)).toBe(
      'saved lmp-out/mlp/model.safetensors and lmp-out/mlp/checkpoint.json (step 200)',
    );
    const sampled = spawnSync(
      process.execPath,
      [bin, 'sample', '--from', 'lmp-out/mlp', '-n', '3'],
      {
        cwd,
        encoding: 'utf8',
      },
    );
    expect(sampled.status).toBe(0);
    // The same generator seed as lmp train's final samples: the same three names.
    const names = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .slice(-3)
        .map((line) => line.trim());
    expect(names(sampled.stdout)).toEqual(names(trained.stdout.split('\nsaved')[0]));
    expect(sampled.stdout.split('\n')[0]).toBe(
      '3 samples (mlp at step 200, seed 2147483657): 3 new, 0 seen in the data',
    );
  });
});
