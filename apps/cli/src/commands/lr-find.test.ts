import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFamilies } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { formatCommandHelp } from '../command.js';
import { renderPng } from '../render/png.js';
import { lrFindCommand } from './lr-find.js';
import { lmp, wordsDirectory } from './test-words.js';

describe('lmp lr-find', () => {
  it('sweeps 10^-3 … 10^0, prints ten rows and a suggestion, and draws the curve', async () => {
    const cwd = wordsDirectory();
    const { code, out, err } = await lmp(
      ['lr-find', '-i', 'words.txt', '--steps', '200', '--n-hidden', '16', '--plot', 'lr.svg'],
      { cwd },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[2]).toMatch(
      /^sweep: 200 SGD steps, lr 0\.001 → 1 \(evenly spaced in log10\), batch 32 of \d+ training examples, seed 2147483647, backend js$/,
    );
    expect(lines[3]).toBe('lr        loss');
    const rows = lines.slice(4, 14).map((line) => line.split(/ +/));
    expect(rows.map(([lr]) => Number(lr))[0]).toBe(0.001);
    expect(rows.map(([lr]) => Number(lr))[9]).toBe(1);
    const suggestion = Number(
      /suggested learning rate: ([\d.e-]+) \(try: lmp train -m mlp --lr /.exec(lines[14])?.[1],
    );
    expect(suggestion).toBeGreaterThan(0.001);
    expect(suggestion).toBeLessThanOrEqual(1);
    expect(lines[15]).toBe('wrote lr.svg (SVG)');
    const svg = readFileSync(join(cwd, 'lr.svg'), 'utf8');
    expect(svg).toContain('class="loss"');
    expect(svg).toContain('class="suggestion"');
    expect(svg).toMatch(/aria-label="x-axis label"[^>]*><text[^>]*>learning rate \(log scale\)</);
    expect(renderPng(svg).length).toBeGreaterThan(1000);
  });

  it('has a help page with examples, and checks its flags', async () => {
    const help = formatCommandHelp(lrFindCommand);
    expect(help).toContain('Usage: lmp lr-find [options]');
    expect(help).toContain('  lmp lr-find --plot lr.png');
    const bad = await lmp(['lr-find', '--min-lr', '1', '--max-lr', '0.1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      "lmp: error: --min-lr (1) must be below --max-lr (0.1) (see 'lmp lr-find --help')\n",
    );
    // The trainable families (their number grows with makemore's zoo), bigram-net first.
    const trainable = listFamilies()
      .filter((family) => family.trainable)
      .map((family) => family.name);
    expect(trainable.slice(0, 2)).toEqual(['bigram-net', 'mlp']);
    const fitted = await lmp(['lr-find', '-m', 'bigram']);
    expect(fitted.err).toBe(
      `lmp: error: --model bigram is fitted, not trained: there is no learning rate to find (choose one of ${trainable.join(', ')}) (see 'lmp lr-find --help')\n`,
    );
    expect(help).toMatch(/Options of --model mlp — [^\n]*\n +--block-size N /);
  });
});
