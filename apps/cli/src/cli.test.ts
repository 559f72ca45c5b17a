import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './cli.js';
import { bufferIO } from './io.js';
import { PNG_SIGNATURE, pngSize } from './render/png.js';

const packageVersion = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

async function lmp(args: string[], options: { isTTY?: boolean; cwd?: string } = {}) {
  const io = bufferIO(options);
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('help and version', () => {
  it('prints the version', async () => {
    expect(await lmp(['--version'])).toEqual({ code: 0, out: `${packageVersion}\n`, err: '' });
  });

  it('lists every command in lmp --help and with no arguments', async () => {
    for (const args of [['--help'], [], ['-h']]) {
      const { code, out } = await lmp(args);
      expect(code).toBe(0);
      expect(out).toContain(
        'Usage: lmp <command> [options]\n       lmp <group> <command> [options]',
      );
      for (const name of ['bigram', 'train', 'sample', 'eval']) {
        expect(out).toMatch(new RegExp(`\\n  lmp ${name} +\\w`));
      }
      expect(out).toMatch(/lmp micrograd moons +train micrograd's MLP/);
      expect(out).toMatch(/lmp micrograd graph +draw the graph/);
    }
  });

  it('prints the group help', async () => {
    const { code, out } = await lmp(['micrograd', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: lmp micrograd <command> [options]');
    expect(out).toContain("Run 'lmp micrograd <command> --help'");
  });

  it('prints each command help with flags, defaults and examples, even after other flags', async () => {
    const moons = await lmp(['micrograd', 'moons', '--steps', '5', '--help']);
    expect(moons.code).toBe(0);
    expect(moons.out).toContain('Usage: lmp micrograd moons [options]');
    expect(moons.out).toMatch(/--samples N +number of points \(default: 100\)/);
    expect(moons.out).toMatch(/--seed N +.*\(default: 1337\)/);
    expect(moons.out).toContain('  lmp micrograd moons --plot moons.png');
    const graph = await lmp(['micrograd', 'graph', '-h']);
    expect(graph.code).toBe(0);
    expect(graph.out).toMatch(/--preset NAME +chain, neuron or readme \(default: chain\)/);
    expect(graph.out).toMatch(/-o, --output FILE/);
  });
});

describe('usage errors: one line on stderr, exit code 2', () => {
  // `lmp micrograd moons …` and `lmp micrograd graph …`, so that each case fits on its line.
  const moons = (...args: string[]) => ['micrograd', 'moons', ...args];
  const graph = (...args: string[]) => ['micrograd', 'graph', ...args];
  const cases: [string[], string][] = [
    [['frobnicate'], "unknown command 'frobnicate' (see 'lmp --help')"],
    [['--verbose'], "unknown option '--verbose' (see 'lmp --help')"],
    [['micrograd', 'train'], "unknown command 'micrograd train' (see 'lmp micrograd --help')"],
    [['micrograd', '--steps'], "unknown option '--steps' (see 'lmp micrograd --help')"],
    [moons('--stepz', '3'), "unknown option '--stepz'"],
    [moons('-x'), "unknown option '-x'"],
    [moons('extra'), "unexpected argument 'extra'"],
    [moons('--steps', '-3'), "--steps must be a positive integer, got '-3'"],
    [moons('--steps', '2.5'), "--steps must be a positive integer, got '2.5'"],
    [moons('--steps'), "option '--steps' needs a value"],
    [
      moons('--steps', '-x'),
      "option '--steps' needs a value; to give one that starts with '-', write --steps=-…",
    ],
    [moons('--noise', 'abc'), "--noise must be a number >= 0, got 'abc'"],
    [moons('--noise=-0.1'), "--noise must be a number >= 0, got '-0.1'"],
    [moons('--samples', '1'), "--samples must be an integer >= 2, got '1'"],
    [
      moons('--hidden', '16,x'),
      "--hidden must be comma-separated positive layer widths such as '16,16', got '16,x'",
    ],
    [
      moons('--hidden', '16,0'),
      "--hidden must be comma-separated positive layer widths such as '16,16', got '16,0'",
    ],
    [moons('--batch-size', '0'), "--batch-size must be a positive integer, got '0'"],
    [moons('--batch-size', '500'), "--batch-size must be at most --samples (100), got '500'"],
    [moons('--seed', '-1'), "--seed must be an integer >= 0 and <= 9007199254740991, got '-1'"],
    [moons('--lr-start', '1e'), "--lr-start must be a number >= 0, got '1e'"],
    [moons('--plot', 'out.jpg'), "--plot must name a .svg or .png file, got 'out.jpg'"],
    [
      moons('--plot', 'no/such/dir/out.svg'),
      "--plot no/such/dir/out.svg: the folder 'no/such/dir' does not exist; create it first (mkdir -p no/such/dir)",
    ],
    [moons('--quiet=yes'), "option '--quiet' takes no value"],
    [graph('--preset', 'mlp'), "--preset must be one of chain, neuron, readme, got 'mlp'"],
    [graph('--preset', 'chain', '--expr', 'a = 1'), 'give either --preset or --expr, not both'],
    [graph('--format', 'jpg'), "--format must be one of dot, svg, png, got 'jpg'"],
    [
      graph('--output', 'graph.txt'),
      "cannot tell the format of 'graph.txt': use a .dot, .gv, .svg or .png name, or --format",
    ],
    [
      graph('--format', 'png'),
      '--format png needs --output FILE.png (PNG is not written to stdout)',
    ],
    [graph('--rankdir', 'RL'), "--rankdir must be LR or TB, got 'RL'"],
    [graph('--precision', '20'), "--precision must be an integer >= 0 and <= 12, got '20'"],
    [graph('--expr', 'a = 2; L = a * c'), "--expr: unknown name 'c' at column 16"],
    [
      graph('--expr', 'a = 2; L = (a'),
      "--expr: expected ')', got the end of the expression at column 14",
    ],
    [
      graph('--expr', 'a = 2; L = a ** a'),
      "--expr: the exponent of '**' must be a constant number",
    ],
  ];
  it.each(cases)('lmp %j', async (args, message) => {
    const { code, out, err } = await lmp(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.endsWith('\n')).toBe(true);
    expect(err.split('\n')).toHaveLength(2); // exactly one line
    expect(err.startsWith(`lmp: error: ${message}`)).toBe(true);
    const group = args[0] === 'micrograd' && args.length > 1 && !args[1].startsWith('-');
    const known = group && ['moons', 'graph'].includes(args[1]);
    if (known) expect(err).toMatch(new RegExp(`\\(see 'lmp micrograd ${args[1]} --help'\\)\\n$`));
  });

  it('checks --plot before the work: a folder in its place is a usage error naming the flag', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'lmp-'));
    mkdirSync(join(directory, 'taken.svg'));
    const { code, out, err } = await lmp(
      ['micrograd', 'moons', '--samples', '10', '--steps', '1', '--plot', 'taken.svg'],
      { cwd: directory },
    );
    expect(code).toBe(2);
    expect(out).toBe(''); // refused before training
    expect(err).toBe(
      "lmp: error: --plot taken.svg: is a folder: give a file name inside it, such as taken.svg/plot.png (see 'lmp micrograd moons --help')\n",
    );
  });
});

describe('lmp micrograd moons', () => {
  it('default run (seed 1337): 337 parameters, loss falls, 100% accuracy, and a decision-boundary SVG', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'lmp-'));
    const { code, out, err } = await lmp(['micrograd', 'moons', '--json', '--plot', 'moons.svg'], {
      cwd: directory,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.split('\n')).toHaveLength(2); // one JSON line
    const summary = JSON.parse(out);
    expect(summary.parameters).toBe(337);
    expect(summary.options).toEqual({
      samples: 100,
      noise: 0.1,
      hidden: [16, 16],
      steps: 100,
      lrStart: 1,
      lrEnd: 0.1,
      alpha: 1e-4,
      batchSize: null,
      seed: 1337,
      lecture: false,
    });
    expect(summary.finalAccuracy).toBe(1);
    expect(summary.correct).toBe(100);
    expect(summary.history).toHaveLength(100);
    const losses: number[] = summary.history.map((step: { loss: number }) => step.loss);
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[99]).toBeLessThan(losses[0] / 10);
    expect(summary.finalLoss).toBeLessThan(0.05);
    // The numbers printed in the README's example run.
    const line = (k: number) =>
      `step ${k} loss ${losses[k].toFixed(4)}, accuracy ${(summary.history[k].accuracy * 100).toFixed(1)}%`;
    expect(line(0)).toBe('step 0 loss 0.8071, accuracy 66.0%');
    expect(line(50)).toBe('step 50 loss 0.0546, accuracy 98.0%');
    expect(line(99)).toBe('step 99 loss 0.0172, accuracy 100.0%');
    expect(summary.finalLoss.toFixed(4)).toBe('0.0171');
    // micrograd's schedule: lr = 1 - 0.9 k / 100
    expect(summary.history[0].lr).toBe(1);
    expect(summary.history[50].lr).toBeCloseTo(0.55, 12);
    expect(summary.history[99].lr).toBeCloseTo(0.109, 12);

    const svg = readFileSync(join(directory, 'moons.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const points = /class="points"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    expect(points.match(/fill="#2f74b5"/g)).toHaveLength(50);
    expect(points.match(/fill="#d6452b"/g)).toHaveLength(50);
    expect(svg).toMatch(/class="region-positive"[^>]*><path d="M[\d.]+,[\d.]+/);
    expect(svg).toMatch(/class="boundary"[^>]*><path d="M[\d.]+,[\d.]+L/);
    expect(svg).toContain('accuracy 100.0%');
  });

  it('prints micrograd-style step lines and a summary', async () => {
    const { code, out, err } = await lmp(['micrograd', 'moons', '--samples', '20', '--steps', '3']);
    expect(code).toBe(0);
    expect(err).toBe(''); // not a TTY: no progress bar
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'MLP(2, [16, 16, 1]) on 20 moons (noise 0.1), 3 steps, full batch, seed 1337',
    );
    expect(lines.slice(1, 4).map((line) => line.replace(/[\d.]+/g, '#'))).toEqual([
      'step # loss #, accuracy #%',
      'step # loss #, accuracy #%',
      'step # loss #, accuracy #%',
    ]);
    expect(lines[1]).toMatch(/^step 0 loss \d\.\d{4}, accuracy \d+\.\d%$/);
    expect(lines[4]).toMatch(
      /^done: 337 parameters, final loss \d\.\d{4}, accuracy \d+\.\d% \(\d+\/20\), \d/,
    );
    expect(lines).toHaveLength(5);
  });

  it('prints every --print-every steps plus the last one; --quiet prints only the summary', async () => {
    const args = ['micrograd', 'moons', '--samples', '10', '--steps', '7', '--hidden', '4'];
    const every = await lmp([...args, '--print-every', '3']);
    expect(every.out.match(/^step \d+/gm)).toEqual(['step 0', 'step 3', 'step 6']);
    expect(every.out).toContain('MLP(2, [4, 1])');
    const quiet = await lmp([...args, '--quiet']);
    expect(quiet.out).toMatch(
      /^done: 17 parameters, final loss [\d.]+, accuracy [\d.]+% \(\d+\/10\), .*\n$/,
    );
  });

  it('draws a progress bar with an ETA on stderr when it is a terminal', async () => {
    const { code, out, err } = await lmp(
      ['micrograd', 'moons', '--samples', '10', '--steps', '4'],
      {
        isTTY: true,
      },
    );
    expect(code).toBe(0);
    expect(out).toContain('step 3 loss');
    expect(err).toMatch(/\r\[[█░]+\] +\d\/4 +\d+% {2}loss \d\.\d{4} {2}(ETA|took) /);
    expect(err.endsWith('\r\x1b[K')).toBe(true); // the bar is erased at the end
  });

  it('trains on minibatches with --batch-size, reproducibly for a seed', async () => {
    const args = [
      'micrograd',
      'moons',
      '--samples',
      '40',
      '--steps',
      '30',
      '--batch-size',
      '10',
      '--json',
    ];
    const first = JSON.parse((await lmp(args)).out);
    const again = JSON.parse((await lmp(args)).out);
    const full = JSON.parse(
      (await lmp(args.filter((a) => a !== '--batch-size' && a !== '10'))).out,
    );
    expect(first.options.batchSize).toBe(10);
    // Each step's accuracy is measured on its 10-point batch.
    for (const step of first.history) expect((step.accuracy * 10) % 1).toBeCloseTo(0, 9);
    expect(first.history).toEqual(again.history);
    expect(first.history[1].loss).not.toBe(full.history[1].loss);
    const mean = (steps: { loss: number }[]) =>
      steps.reduce((s, x) => s + x.loss, 0) / steps.length;
    expect(mean(first.history.slice(-10))).toBeLessThan(mean(first.history.slice(0, 10)));
    expect(first.finalAccuracy).toBeGreaterThan(0.8);
  });

  it('writes a PNG plot rendered by resvg', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'lmp-'));
    const { code, out } = await lmp(
      ['micrograd', 'moons', '--samples', '20', '--steps', '5', '--plot', 'moons.png', '-q'],
      { cwd: directory },
    );
    expect(code).toBe(0);
    const png = readFileSync(join(directory, 'moons.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const { width, height } = pngSize(png);
    expect(out).toContain(`wrote moons.png (${width}×${height} PNG)`);
    expect(width).toBe(1280); // (58 + 560 + 22) × zoom 2
    expect(height).toBeGreaterThan(600);
    expect(png.length).toBeGreaterThan(20_000);
  });
});
