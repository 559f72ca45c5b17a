import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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
});
