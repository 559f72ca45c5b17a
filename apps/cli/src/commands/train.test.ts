import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFamilies, loadCheckpoint } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { lmp, WORDS, wordsDirectory } from './test-words.js';

/** The vocabulary size of `WORDS`: its distinct characters plus the boundary '.'. */
const V = new Set(WORDS.join('')).size + 1;

// A small MLP so each run takes a fraction of a second.
const SMALL = ['-i', 'words.txt', '--n-embd', '2', '--n-hidden', '16', '--batch-size', '8'];

describe('lmp train', () => {
  it('trains the MLP: header, step lines with dev loss, final losses, samples, checkpoint, plots', async () => {
    const cwd = wordsDirectory();
    const { code, out, err } = await lmp(
      [
        'train',
        ...SMALL,
        '--steps',
        '40',
        '--eval-every',
        '20',
        '--samples',
        '5',
        '--plot',
        'loss.svg',
      ],
      { cwd },
    );
    expect(err).toBe(''); // not a terminal: no progress bar
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[1]).toMatch(
      /^split 37 \/ 5 \/ 5 words \(shuffled with seed 42\): \d+ \/ \d+ \/ \d+ examples of 3 characters of context$/,
    );
    const parameters = V * 2 + 6 * 16 + 16 + 16 * V + V;
    expect(lines[2]).toBe(
      `model mlp: C [${V}, 2], W1 [6, 16], b1 [16], W2 [16, ${V}], b2 [${V}] = ${parameters} parameters`,
    );
    expect(lines[3]).toBe(
      'training 40 steps, batch 8, sgd, lr 0.1 → 0.01 at step 20, seed 2147483647, backend js',
    );
    expect(lines[4]).toMatch(/^step {2}0\/40 {2}loss {6}– {2}dev \d+\.\d{4} {2}lr 0\.1$/);
    expect(lines[5]).toMatch(
      /^step 20\/40 {2}loss \d\.\d{4} {2}dev \d\.\d{4} {2}lr 0\.1 {2}[\d,]+ steps\/s {2}\S+$/,
    );
    expect(lines[6]).toMatch(/^step 40\/40 {2}loss \d\.\d{4} {2}dev \d\.\d{4} {2}lr 0\.01 /);
    expect(lines[7]).toMatch(/^done in \S+: loss train \d\.\d{4}, dev \d\.\d{4}, test \d\.\d{4}$/);
    expect(lines[8]).toBe('5 samples: 5 new, 0 seen in the data');
    expect(lines.slice(9, 14).every((line) => / new$/.test(line))).toBe(true);
    expect(lines[14]).toBe(
      'saved lmp-out/mlp/model.safetensors and lmp-out/mlp/checkpoint.json (step 40)',
    );
    expect(lines.slice(15)).toEqual(['wrote loss.svg (SVG)', 'wrote loss-embedding.svg (SVG)']);
    expect(existsSync(join(cwd, 'lmp-out/mlp/model.safetensors'))).toBe(true);
    const curve = readFileSync(join(cwd, 'loss.svg'), 'utf8');
    expect(curve).toContain('class="train-line"');
    // dev at 0, 20 and 40
    expect(/class="dev"[^>]*>(.*?)<\/g>/.exec(curve)?.[1].match(/<circle /g)).toHaveLength(3);
    const scatter = readFileSync(join(cwd, 'loss-embedding.svg'), 'utf8');
    expect(/class="dots"[^>]*>(.*?)<\/g>/.exec(scatter)?.[1].match(/<circle /g)).toHaveLength(V);
    expect(scatter).toContain('n-embd 2 · after 40 steps');
    // The dev loss falls from the initial one.
    const devs = lines.slice(4, 7).map((line) => Number(/dev (\d+\.\d+)/.exec(line)?.[1]));
    expect(devs[2]).toBeLessThan(devs[0]);
  });

  it('a resumed run continues exactly where the saved one stopped (generator, step, schedule)', async () => {
    const cwd = wordsDirectory();
    const straight = await lmp(
      ['train', ...SMALL, '--steps', '60', '--out', 'a', '--samples', '0'],
      {
        cwd,
      },
    );
    const first = await lmp(
      ['train', ...SMALL, '--steps', '60', '--max-seconds', '1e-9', '--out', 'b', '--samples', '0'],
      { cwd },
    );
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/stopped by --max-seconds at step (\d+)/);
    expect(first.out).toContain('continue with: lmp train --resume --out b -i words.txt\n');
    const resumed = await lmp(
      ['train', '--resume', '--out', 'b', '-i', 'words.txt', '--samples', '0'],
      {
        cwd,
      },
    );
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(
      /training from step \d+ to 60 steps, batch 8, sgd, lr 0\.1 → 0\.01 at step 30/,
    );
    const finalLine = (text: string) => /loss train .*/.exec(text)?.[0];
    expect(finalLine(resumed.out)).toBe(finalLine(straight.out));
  });

  it('stops cleanly on SIGINT: saves a checkpoint, says how to resume, exits with 130', async () => {
    const cwd = wordsDirectory();
    const running = lmp(['train', ...SMALL, '--steps', '10000000', '--out', 'run'], { cwd });
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.emit('SIGINT');
    const { code, out, err } = await running;
    expect(err).toBe('');
    expect(code).toBe(130);
    const step =
      /interrupted \(SIGINT\) at step ([\d,]+) of 10,000,000: saved a checkpoint to run\n/.exec(
        out,
      );
    expect(step).not.toBeNull();
    expect(out.endsWith('resume with: lmp train --resume --out run -i words.txt\n')).toBe(true);
    const saved = JSON.parse(readFileSync(join(cwd, 'run/checkpoint.json'), 'utf8'));
    expect(saved.step).toBe(Number(step?.[1].replace(/,/g, '')));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      expect(process.listenerCount(signal)).toBe(0); // the handlers are removed
    }
  });

  it('draws a progress bar on a terminal', async () => {
    const cwd = wordsDirectory();
    const { code, err } = await lmp(['train', ...SMALL, '--steps', '30', '--samples', '0'], {
      cwd,
      isTTY: true,
    });
    expect(code).toBe(0);
    expect(err).toMatch(
      /\r\[[█░]+\] +\d+\/30 +\d+% {2}loss \d\.\d{4} {2}[\d,]+ steps\/s {2}(ETA|took) /,
    );
    expect(err.endsWith('\r\x1b[K')).toBe(true);
  });

  it('trains the bigram net full batch and counts the bigram model (its --plot is the heatmap)', async () => {
    const cwd = wordsDirectory();
    const net = await lmp(
      ['train', '-m', 'bigram-net', '-i', 'words.txt', '--steps', '20', '--samples', '3'],
      {
        cwd,
      },
    );
    expect(net.code).toBe(0);
    expect(net.out).toContain(`model bigram-net: W [${V}, ${V}] = ${V * V} parameters\n`);
    expect(net.out).toMatch(
      /training 20 steps, batch \d+ \(all\), sgd, lr 50, seed 2147483647, backend js\n/,
    );
    const counted = await lmp(['train', '-m', 'bigram', '-i', 'words.txt', '--plot', 'n.svg'], {
      cwd,
    });
    expect(counted.code).toBe(0);
    expect(counted.out).not.toContain('training');
    expect(counted.out).toMatch(/\ndone: loss train \d\.\d{4}, dev \d\.\d{4}, test \d\.\d{4}\n/);
    expect(counted.out).toContain('saved lmp-out/bigram/model.safetensors');
    expect(readFileSync(join(cwd, 'n.svg'), 'utf8')).toContain(
      'Bigram counts of the training split',
    );
  });

  it.each([
    [
      // The registry grows (makemore's zoo): the list is the registered names, in order.
      ['--model', 'gpt-9'],
      `--model must be one of ${listFamilies()
        .map((family) => family.name)
        .join(', ')}, got 'gpt-9'`,
    ],
    [['--optimizer', 'rmsprop'], "--optimizer must be one of sgd, adam, adamw, got 'rmsprop'"],
    [
      ['--lr', '0'],
      "--lr must be a positive number or a step decay such as '0.1,0.01@100000', got '0'",
    ],
    [['--steps', '1.5'], "--steps must be a positive integer, got '1.5'"],
    [['--max-seconds', '0'], "--max-seconds must be a number > 0, got '0'"],
    [['--resume'], '--resume needs --out DIR (or --model to use lmp-out/<model>)'],
    [
      ['-m', 'bigram', '--block-size', '3'],
      '--block-size is not a setting of the bigram model (its settings: --smoothing)',
    ],
    [['--plot', 'x.gif'], "--plot must name a .svg or .png file, got 'x.gif'"],
    [
      ['--plot', 'a.png', '--diagnostics', './a.png'],
      '--plot a.png and --diagnostics ./a.png name the same file: one picture would replace the other; give --diagnostics another file name',
    ],
    [
      ['--diagnostics', 'a-embedding.svg', '--plot', 'sub/../a.svg'],
      '--plot sub/../a.svg and --diagnostics a-embedding.svg: --plot also writes the embedding picture to sub/../a-embedding.svg; give --diagnostics another file name',
    ],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    const { code, out, err } = await lmp(['train', ...args], { cwd: wordsDirectory() });
    expect(code).toBe(2);
    expect(out.includes('training')).toBe(false);
    expect(err).toBe(`lmp: error: ${message} (see 'lmp train --help')\n`);
  });

  it('checks --out before training: a file, or a folder it cannot write, is a usage error', async () => {
    const cwd = wordsDirectory();
    writeFileSync(join(cwd, 'taken'), 'not a directory\n');
    for (const outDir of ['taken', 'taken/run']) {
      const { code, out, err } = await lmp(['train', ...SMALL, '--steps', '5', '--out', outDir], {
        cwd,
      });
      expect(code).toBe(2);
      expect(out).not.toContain('training');
      expect(err).toBe(
        `lmp: error: --out ${outDir}: taken is a file, not a folder — remove it or choose another path (see 'lmp train --help')\n`,
      );
    }
  });

  it('a word list too small for a training split: one clear line before training, exit 1', async () => {
    const cwd = wordsDirectory(['solo']);
    for (const model of ['mlp', 'bigram-net', 'bigram']) {
      const { code, out, err } = await lmp(['train', '-m', model, '-i', 'words.txt'], { cwd });
      expect(code).toBe(1);
      expect(out).not.toContain('training');
      expect(err).toBe(
        `lmp: the training split is empty: 1 word split 80/10/10 leaves none to train on; give at least 2 words\n`,
      );
    }
  });

  it.each([
    [['--optimizer', 'adam'], '--optimizer adam', 'sgd'],
    [['--n-embd', '3'], '--n-embd 3', '2'],
    [['--block-size', '5'], '--block-size 5', '3'],
    [['--seed', '7'], '--seed 7', '2147483647'],
  ])(
    '--resume with a changed %j is a usage error, not silently ignored',
    async (args, flag, kept) => {
      const cwd = wordsDirectory();
      const first = await lmp(['train', ...SMALL, '--steps', '5', '--out', 'b', '--samples', '0'], {
        cwd,
      });
      expect(first.code).toBe(0);
      const resumed = await lmp(['train', '--resume', '--out', 'b', '--steps', '10', ...args], {
        cwd,
      });
      expect(resumed.code).toBe(2);
      expect(resumed.out).not.toContain('training');
      expect(resumed.err).toBe(
        `lmp: error: ${flag} differs from the checkpoint in b (${kept}): --resume continues the saved run; train into a new --out to change it (see 'lmp train --help')\n`,
      );
    },
  );

  it('--resume -i FILE with the boundary character inside a word: one line, exit 1', async () => {
    const cwd = wordsDirectory();
    const first = await lmp(['train', ...SMALL, '--steps', '5', '--out', 'b', '--samples', '0'], {
      cwd,
    });
    expect(first.code).toBe(0);
    writeFileSync(join(cwd, 'dotted.txt'), 'emma\nem.ma\nolivia\n');
    const resumed = await lmp(['train', '--resume', '--out', 'b', '-i', 'dotted.txt'], { cwd });
    expect(resumed.code).toBe(1);
    expect(resumed.out).not.toContain('training');
    expect(resumed.err).toBe(
      "lmp: the word 'em.ma' (word 2 of dotted.txt) contains '.', the word boundary of the model: it would be read as the end of a word\n",
    );
  });

  it('bad data, a missing checkpoint or divergence: one line, exit 1', async () => {
    const cwd = wordsDirectory();
    const missing = await lmp(['train', '--resume', '--out', 'nothing-here'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^lmp: no checkpoint .*nothing-here.*\n$/);
    const diverged = await lmp(['train', ...SMALL, '--lr', '1e38', '--steps', '50'], { cwd });
    expect(diverged.code).toBe(1);
    expect(diverged.err).toMatch(
      /^lmp: Training diverged\b.*the loss became \S+ .*(lower learning rate|the learning-rate finder suggests).*\n$/,
    );
    // The last good state (the evaluation at step 0, before the rate blew the weights up) is saved.
    expect(diverged.out).toContain('saved the last good state (step 0) to lmp-out/mlp\n');
    expect(diverged.err).toMatch(
      /continue from step 0 with: lmp train --resume --out lmp-out\/mlp -i words\.txt --lr \S+\n$/,
    );
    const kept = loadCheckpoint(join(cwd, 'lmp-out/mlp'));
    expect(kept.step).toBe(0);
    expect(kept.model.parameters().every((p) => p.data.every(Number.isFinite))).toBe(true);
    writeFileSync(join(cwd, 'latin1.txt'), Buffer.from([0x7a, 0x6f, 0xeb, 0x0a]));
    const latin1 = await lmp(['train', '-i', 'latin1.txt', '--steps', '5', '-o', 'l'], { cwd });
    expect(latin1.code).toBe(1);
    expect(latin1.err.split('\n')).toHaveLength(2);
  });
});

describe('the data behind a checkpoint, and input limits', () => {
  it('--resume -i OTHER is refused with what differs; lmp eval warns when the list changed', async () => {
    const cwd = wordsDirectory();
    const first = await lmp(['train', ...SMALL, '--steps', '5', '--out', 'b', '--samples', '0'], {
      cwd,
    });
    expect(first.code).toBe(0);
    writeFileSync(join(cwd, 'other.txt'), 'anna\nbob\ncarl\ndora\n');
    const resumed = await lmp(['train', '--resume', '--out', 'b', '-i', 'other.txt'], { cwd });
    expect(resumed.code).toBe(1);
    expect(resumed.out).not.toContain('training');
    expect(resumed.err).toMatch(
      /^lmp: --resume: the word list is not the one this checkpoint was trained on \(4 words now, 47 words when trained\): .*Pass the original list with -i, or start a new run\.\n$/,
    );
    // The list grows: eval re-splits it and says that dev/test now mix in trained words.
    writeFileSync(join(cwd, 'words.txt'), `${[...WORDS, 'zoe', 'yara'].join('\n')}\n`);
    const evaluated = await lmp(['eval', '--from', 'b'], { cwd });
    expect(evaluated.code).toBe(0);
    expect(evaluated.err).toMatch(
      /^lmp: warning: the word list is not the one this checkpoint was trained on \(49 words now, 47 words when trained\)/,
    );
    expect(evaluated.out).toMatch(/\ndev +\d\.\d{4}/);
  });

  it('--max-input-mb bounds the word list, with data’s message naming the flag', async () => {
    const cwd = wordsDirectory();
    const { code, out, err } = await lmp(['train', '-i', 'words.txt', '--max-input-mb', '0.0001'], {
      cwd,
    });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/more than the input limit of 105 bytes .*--max-input-mb/);
    const bad = await lmp(['train', '--timeout', '0']);
    expect(bad.err).toBe(
      "lmp: error: --timeout must be a number > 0, got '0' (see 'lmp train --help')\n",
    );
  });
});
