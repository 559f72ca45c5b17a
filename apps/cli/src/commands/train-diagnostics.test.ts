import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Generator } from '@llm-playground/core';
import {
  getFamily,
  type LanguageModel,
  loadCheckpoint,
  type ModelConfig,
  registerFamily,
  unregisterFamily,
} from '@llm-playground/makemore';
import { F, Linear, Module, Sequential, Tanh } from '@llm-playground/nn';
import { randn, type Tensor } from '@llm-playground/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_SIGNATURE } from '../render/png.js';
import { lmp, WORDS, wordsDirectory } from './test-words.js';

/** The vocabulary size of `WORDS`: its distinct characters plus the boundary '.'. */
const V = new Set(WORDS.join('')).size + 1;

/** The lecture's deep net in miniature: an embedding, then Linear → Tanh twice, then Linear. */
class TanhStack extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  C: Tensor;
  net: Sequential;

  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    super();
    const nEmbd = Number(config.nEmbd ?? 2);
    const nHidden = Number(config.nHidden ?? 16);
    const generator = options.generator;
    this.config = { ...config, kind: 'tanh-stack', nEmbd, nHidden };
    this.C = randn([config.vocabSize, nEmbd], { generator, requiresGrad: true });
    this.net = new Sequential(
      new Linear(config.blockSize * nEmbd, nHidden, { generator }),
      new Tanh(),
      new Linear(nHidden, nHidden, { generator }),
      new Tanh(),
      new Linear(nHidden, config.vocabSize, { generator }),
    );
  }

  forward(contexts: Tensor): Tensor {
    return this.logits(contexts);
  }

  logits(contexts: Tensor): Tensor {
    const emb = this.C.index(contexts);
    return this.net.forward(emb.view(contexts.shape[0], -1));
  }

  loss(contexts: Tensor, targets: Tensor): Tensor {
    return F.crossEntropy(this.logits(contexts), targets.view(-1));
  }
}

const SMALL = ['-i', 'words.txt', '--n-embd', '2', '--n-hidden', '16', '--batch-size', '8'];

describe('lmp train --diagnostics', () => {
  beforeAll(() => {
    registerFamily({
      ...getFamily('mlp'),
      name: 'tanh-stack',
      title: 'A stack of Linear + Tanh layers (test)',
      create: (config, options) => new TanhStack(config, options),
    });
  });
  afterAll(() => {
    unregisterFamily('tanh-stack');
  });

  it("writes the lecture's four panels with a legend per layer, and prints them", async () => {
    const cwd = wordsDirectory();
    const { code, out, err } = await lmp(
      [
        'train',
        '-m',
        'tanh-stack',
        ...SMALL,
        '--steps',
        '30',
        '--eval-every',
        '10',
        '--samples',
        '0',
        '--diagnostics',
        'vitals.svg',
      ],
      { cwd },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    const at = lines.indexOf('diagnostics at step 29:');
    expect(at).toBeGreaterThan(0);
    const section = lines.slice(at);
    const layer =
      /^ {2}net\.layers\.[13] \(Tanh\): mean [+-]\d\.\d\d, std \d\.\d\d, saturated \d+\.\d\d%$/;
    expect(section[1]).toBe('activation distribution:');
    expect(section[2]).toMatch(layer);
    expect(section[3]).toMatch(layer);
    expect(section[4]).toBe('gradient distribution:');
    expect(section[5]).toMatch(
      /^ {2}net\.layers\.1 \(Tanh\): mean [+-]\d\.\d{6}, std \d\.\d{6}e[+-]\d\d$/,
    );
    expect(section[7]).toBe('weights gradient distribution:');
    expect(section.slice(8, 12).map((line) => line.split(' |')[0])).toEqual([
      `  C (${V}, 2)`,
      '  net.layers.0.weight (16, 6)',
      '  net.layers.2.weight (16, 16)',
      `  net.layers.4.weight (${V}, 16)`,
    ]);
    expect(section[12]).toBe(
      "update:data ratio, log10, mean of the last 30 steps (the lecture's guide: about -3):",
    );
    expect(section[13]).toMatch(/^ {2}C: -\d\.\d\d$/);
    expect(section.at(-1)).toBe('wrote vitals.svg (SVG)');

    const svg = readFileSync(join(cwd, 'vitals.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const title of [
      'activation distribution',
      'gradient distribution',
      'weights gradient distribution',
      'update:data ratio over time',
    ]) {
      expect(svg).toContain(`>${title}</text>`);
    }
    // The legends are the printed lines; the guide line is drawn at −3.
    expect(svg).toContain(`>${section[2].trim()}</text>`);
    expect(svg).toContain(`>${section[5].trim()}</text>`);
    expect(svg).toContain('>net.layers.2.weight (16, 16)</text>');
    expect(svg).toContain('class="guide"');
    expect(svg).not.toContain('NaN');
  });

  it('on the MLP (tanh inline): the message in place of the layer panels; a PNG', async () => {
    const cwd = wordsDirectory();
    const { code, out } = await lmp(
      ['train', ...SMALL, '--steps', '20', '--samples', '0', '--diagnostics', 'vitals.png'],
      { cwd },
    );
    expect(code).toBe(0);
    const message =
      'no Tanh layer in this MLP model: the activation and gradient distributions watch Tanh modules (nn.Tanh in a Sequential); this model computes its tanh inline, so only the weight gradients and the update:data ratios are shown';
    expect(out).toContain(
      `activation distribution:\n  ${message}\nweights gradient distribution:\n  C (`,
    );
    expect(out).toMatch(/wrote vitals\.png \(1920×\d+ PNG\)\n$/);
    const png = readFileSync(join(cwd, 'vitals.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('on the lecture deep net without BatchNorm (--no-batch-norm): one legend line per Tanh', async () => {
    const cwd = wordsDirectory();
    const { code, out } = await lmp(
      [
        'train',
        '-m',
        'deep-mlp',
        '--no-batch-norm',
        '--layers',
        '2',
        ...SMALL,
        '--steps',
        '20',
        '--samples',
        '0',
        '--diagnostics',
        'vitals.svg',
      ],
      { cwd },
    );
    expect(code).toBe(0);
    const checkpoint = loadCheckpoint(join(cwd, 'lmp-out/deep-mlp'));
    expect(checkpoint.config.batchNorm).toBe(false);
    const svg = readFileSync(join(cwd, 'vitals.svg'), 'utf8');
    const legend = [...svg.matchAll(/>(layers\.\d+ \(Tanh\): mean [^<]*saturated[^<]*)</g)].map(
      (m) => m[1],
    );
    expect(legend.map((line) => line.split(':')[0])).toEqual([
      'layers.3 (Tanh)',
      'layers.5 (Tanh)',
    ]);
    for (const line of legend) expect(out).toContain(`\n  ${line}\n`);
    const { code: wrong, err } = await lmp(['train', '-m', 'bigram-net', '--no-batch-norm'], {
      cwd,
    });
    expect(wrong).toBe(2);
    expect(err).toContain('--batch-norm is not a setting of the bigram-net model');
  });

  it.each([
    [
      ['--diagnostics', 'vitals.gif'],
      "--diagnostics must name a .svg or .png file, got 'vitals.gif'",
    ],
    [
      ['--diagnostics', 'missing/vitals.svg'],
      "--diagnostics missing/vitals.svg: the folder 'missing' does not exist; create it first (mkdir -p missing)",
    ],
    [
      ['-m', 'bigram', '--diagnostics', 'vitals.svg'],
      "--diagnostics watches a trained model's layers and gradients; the bigram model is counted, not trained (choose a trained family: bigram-net, mlp, ",
    ],
  ])('usage error %j: one line, exit 2, before any work', async (args, message) => {
    const { code, out, err } = await lmp(['train', '-i', 'words.txt', ...args], {
      cwd: wordsDirectory(),
    });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.startsWith(`lmp: error: ${message}`)).toBe(true);
    expect(err.endsWith(`(see 'lmp train --help')\n`)).toBe(true);
    expect(err.split('\n')).toHaveLength(2);
  });
});

/**
 * The README's `--diagnostics` example: its `$ lmp train …` line and the lines shown under it,
 * unindented. A `…` line stands for one or more printed lines left out.
 */
function readmeExample(): { args: string[]; shown: string[] } {
  const readme = readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'),
    'utf8',
  );
  const block =
    /\n( *)```console\n *\$ lmp (train [^\n]*--diagnostics [^\n]*)\n([\s\S]*?)\n *```/.exec(readme);
  if (block === null)
    throw new Error('README.md: no ```console block running lmp train --diagnostics');
  const [, indent, command, body] = block;
  return {
    args: command.split(/ +/),
    shown: body.split('\n').map((line) => line.slice(indent.length)),
  };
}

describe('README: lmp train --diagnostics', () => {
  it('prints the lines the README shows (bundled names, js backend)', async () => {
    const { args, shown } = readmeExample();
    const { code, out, err } = await lmp([...args, '--backend', 'js'], { cwd: wordsDirectory() });
    expect(err).toBe('');
    expect(code).toBe(0);
    const printed = out.trimEnd().split('\n');
    // The shown lines in runs between the `…` lines: each run is printed as is, in order, and a
    // `…` leaves out at least one line (none are left out at the start or end unless it says so).
    const runs: string[][] = [[]];
    for (const line of shown) {
      if (line.trim() === '…') runs.push([]);
      else (runs.at(-1) as string[]).push(line);
    }
    let at = 0;
    for (const [index, run] of runs.entries()) {
      if (run.length === 0) continue;
      const start = index === 0 ? 0 : printed.indexOf(run[0], at + 1);
      expect(start, `README line '${run[0]}' is not printed`).toBeGreaterThanOrEqual(0);
      expect(printed.slice(start, start + run.length)).toEqual(run);
      at = start + run.length;
    }
    if (runs.at(-1)?.length !== 0) expect(at).toBe(printed.length);
    expect(shown.filter((line) => line.trim() !== '…').length).toBeGreaterThan(10);
  }, 120_000);
});
