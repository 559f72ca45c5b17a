/**
 * Reproduces the makemore lectures (parts 1 to 5) on names.txt and checks every number:
 *
 *   pnpm --filter @llm-playground/makemore reproduce [PATH] [--quick] [--backend js|wasm] [--parts 1,2,3,4,5]
 *
 * PATH defaults to $LMP_NAMES, else ../shared/data/names.txt beside the repository. It prints the
 * bigram figures (228,146 pairs, N[a][n] = 5438, NLL 2.4540 / 2.4546), the lecture's five samples,
 * the bigram net's loss at 0 / 100 / 200 full-batch updates, the lecture split, then trains the
 * lecture MLP (block 3, embedding 10, hidden 200, batch 32, 200,000 steps, lr 0.1 then 0.01 from
 * step 100,000, minibatch indices drawn with randint from the generator right after the
 * initialisation, as ../shared/bench/torch_mlp.py --mode full does) and reports its losses and wall
 * time beside PyTorch's on the same machine (when /usr/bin/python3 has torch). `--quick` trains
 * 10,000 steps instead (lr 0.1 → 0.01 at 5,000) against a measured bound, and compares speed with
 * torch_mlp.py --mode speed. `--backend` picks the tensor backend (default js: the lecture's numbers
 * bit for bit; wasm: faster, float32 sums reordered, so the losses drift within float32 — the bigram
 * figures are checked to 4 decimals either way). Each check prints ✓ or ✗, and each timing the
 * machine's load average; the exit code is 1 when any check fails.
 *
 * Part 3 (`mlp-bn`, seed 2147483647, 200,000 steps, 0.1 → 0.01 at 100,000): the original MLP, the
 * softmax fix, the tanh fix, Kaiming init and BatchNorm, each with the lecture's train/val beside
 * ours. Part 5 (seed 42, 200,000 steps, 0.1 → 0.01 at 150,000): the flat baseline (context 3), the
 * flat context 8, the hierarchy at 22K parameters and the WaveNet of 76,579 (`wavenet` with
 * `--flatten` = `--block-size` for the flat ones), with the loss averaged over 1,000-step chunks.
 * `--quick` runs each for 1,000 (part 3) or 400 (part 5) steps and checks only that the loss falls
 * and the numbers print. The full part 5 runs take ~100 min on js, ~7 min on wasm (WaveNet 76,579:
 * 34 vs 523 steps/s here, load 6): `--parts 5 --backend wasm`.
 *
 * `--parts zoo` (not in the default list): makemore.py's bow, rnn, gru and transformer with its
 * defaults and its own split (seed 3407: `randperm`, the last 1,000 words to test; the model's
 * initial weights are makemore.py's), 10,000 steps each — the transformer ZOO_TRANSFORMER_STEPS,
 * the steps PyTorch needs to reach makemore README's test loss (≤ 1.95; measured with
 * bench/torch_zoo.py) — printing the test loss and the parameter count beside makemore's figures
 * and PyTorch's run of the same length (bench/torch_zoo.py, when /usr/bin/python3 has torch).
 * `--parts gpt`: the GPT lecture's ladder on the bundled book (`gptPresets`: bigram → one head →
 * multi-head → feed-forward → residual → dropout, then `cpu` and `nanogpt-cpu`), each preset's
 * run and its validation loss beside PyTorch's (bench/torch_gpt.py), as a Markdown table, and 500
 * characters sampled from the `cpu` preset. `--quick`: 1,000 steps (zoo) or 200 (gpt) each. These
 * two parts run on wasm unless `--backend` says otherwise. `--no-torch` skips PyTorch's runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Generator } from '@llm-playground/core';
import {
  buildContexts,
  bundledBook,
  CharTokenizer,
  readWords,
  splitWords,
} from '@llm-playground/data';
import type { BackendName } from '@llm-playground/tensor';
import { expectedLectureNamesPath, repoRoot } from '../../../tools/lecture-names.js';
import { gptPresets } from '../src/families/gpt/schema.js';
import {
  BigramCounts,
  evaluate,
  generate,
  prepareRun,
  sample,
  type Trainer,
  trainManualBackprop,
} from '../src/index.js';
import { type CurvePoint, gptRun, makemoreRun, trainToLoss, ZOO } from './zoo-runs.js';

// ---- arguments and paths ----------------------------------------------------------------------

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const usage =
  'usage: pnpm --filter @llm-playground/makemore reproduce [PATH] [--quick] [--backend js|wasm] [--parts 1,2,3,4,5,zoo,gpt] [--no-torch]';
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const backendAt = args.indexOf('--backend');
const backend = (backendAt >= 0 ? args[backendAt + 1] : 'js') as BackendName;
/** The zoo and gpt parts: wasm unless `--backend` is given (js takes hours there). */
const sequenceBackend: BackendName = backendAt >= 0 ? backend : 'wasm';
const noTorch = args.includes('--no-torch');
if (backend !== 'js' && backend !== 'wasm') {
  console.error(
    `reproduce: --backend must be js or wasm, got ${JSON.stringify(backend)} (${usage})`,
  );
  process.exit(2);
}
const partsAt = args.indexOf('--parts');
const parts = new Set((partsAt >= 0 ? (args[partsAt + 1] ?? '') : '1,2,3,4,5').split(','));
const PARTS = ['1', '2', '3', '4', '5', 'zoo', 'gpt'];
if ([...parts].some((part) => !PARTS.includes(part))) {
  console.error(
    `reproduce: --parts takes a list of ${PARTS.join(', ')}, got ${JSON.stringify(args[partsAt + 1])} (${usage})`,
  );
  process.exit(2);
}
const unknown = args.filter(
  (arg) => arg.startsWith('-') && !['--quick', '--backend', '--parts', '--no-torch'].includes(arg),
);
if (unknown.length > 0) {
  console.error(`reproduce: unknown option ${unknown[0]} (${usage})`);
  process.exit(2);
}
/** The load average (1, 5, 15 min), printed beside every timing: other jobs change the figures. */
const load = () =>
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;

// pnpm runs scripts in the package folder; INIT_CWD is where the user typed the command.
const given = args.find(
  (arg, i) => !arg.startsWith('-') && i !== backendAt + 1 && (partsAt < 0 || i !== partsAt + 1),
);
const namesPath =
  given !== undefined
    ? isAbsolute(given)
      ? given
      : resolve(process.env.INIT_CWD ?? process.cwd(), given)
    : expectedLectureNamesPath();
if (namesPath === null || !existsSync(namesPath)) {
  console.error(
    `reproduce: ${namesPath ?? 'names.txt'} does not exist: pass the path of the lectures' names.txt ` +
      '(https://raw.githubusercontent.com/karpathy/makemore/master/names.txt)',
  );
  process.exit(1);
}

// ---- checks -------------------------------------------------------------------------------------

let failures = 0;
function check(label: string, ok: boolean, detail = ''): void {
  if (!ok) failures++;
  console.log(`${ok ? '✓' : '✗'} ${label}${detail === '' ? '' : `  (${detail})`}`);
}
const fmt = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const heading = (text: string) => console.log(`\n== ${text}`);

const list = readWords(namesPath);
console.log(list.summary);
const words = list.words;
const tokenizer = CharTokenizer.fromWords(words);

// ---- training with a progress line --------------------------------------------------------------

/** Runs `trainer` to `steps` in slices of ~0.1 s with a progress line; its losses and wall time. */
function trainWithProgress(
  trainer: Trainer,
  steps: number,
): { wall: number; losses: Float64Array } {
  const isTTY = process.stderr.isTTY === true;
  let lastLine = 0;
  const chunks: Float64Array[] = [];
  const started = performance.now();
  for (;;) {
    const progress = trainer.runSlice({ maxMillis: 100 });
    chunks.push(progress.losses);
    const step = progress.step;
    const elapsed = (performance.now() - started) / 1000;
    const stepsPerSecond = elapsed > 0 ? step / elapsed : 0;
    const eta = stepsPerSecond > 0 ? (steps - step) / stepsPerSecond : Number.NaN;
    const text = `step ${fmt(step).padStart(7)}/${fmt(steps)}  loss ${progress.lastLoss.toFixed(4)}  ${fmt(Math.round(stepsPerSecond))} steps/s  ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)}s` : '--'}`;
    if (isTTY) {
      const filled = Math.round((step / steps) * 30);
      process.stderr.write(`\r[${'█'.repeat(filled)}${'░'.repeat(30 - filled)}] ${text}\x1b[K`);
    } else if (step - lastLine >= steps / 10 || progress.finished) {
      lastLine = step;
      console.log(text);
    }
    if (progress.diverged) throw progress.diverged;
    if (progress.finished) break;
  }
  if (isTTY) process.stderr.write('\r\x1b[K');
  const losses = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    losses.set(chunk, at);
    at += chunk.length;
  }
  return { wall: (performance.now() - started) / 1000, losses };
}

/** Part 1: the bigram counts and the bigram net. */
function partOne(): void {
  // ---- part 1: bigram counts ---------------------------------------------------------------------

  heading('makemore part 1: bigram counts');
  const counts = BigramCounts.fromWords(words, tokenizer, { smoothing: 1 });
  const raw = counts.nll(words, { smoothing: 0 });
  const smoothed = counts.nll(words, { smoothing: 1 });
  const N = counts.counts.data;
  const V = tokenizer.vocabSize;
  const an = N[tokenizer.stoi('a') * V + tokenizer.stoi('n')];
  check('bigrams in names.txt: 228,146', raw.count === 228146, fmt(raw.count));
  check("N['a']['n'] = 5438", an === 5438, String(an));
  check('NLL without smoothing: 2.4540', raw.nll.toFixed(4) === '2.4540', raw.nll.toFixed(6));
  check(
    'NLL with +1 smoothing: 2.4546',
    smoothed.nll.toFixed(4) === '2.4546',
    smoothed.nll.toFixed(6),
  );
  check(
    "'andrejq' is infinitely unlikely without smoothing",
    counts.wordNll('andrejq', { smoothing: 0 }) === Number.POSITIVE_INFINITY,
  );
  const lectureSamples = ['mor', 'axx', 'minaymoryles', 'kondlaisah', 'anchshizarie'];
  const drawn = sample(counts, tokenizer, { count: 5, generator: new Generator(2147483647) }).words;
  check(
    `five samples with seed 2147483647: ${lectureSamples.join(' ')}`,
    drawn.join(' ') === lectureSamples.join(' '),
    drawn.join(' '),
  );

  // ---- part 1: the bigram neural net --------------------------------------------------------------

  heading('makemore part 1: bigram neural net (one-hot · W, 0.01·mean(W²), lr 50, full batch)');
  // All 228,146 bigrams (`allWords`), full batch: the lecture's setting.
  const netPrepared = prepareRun({
    family: 'bigram-net',
    rawConfig: { regularization: 0.01, allWords: true },
    words,
    seed: 2147483647,
    backend,
    // losses[k] is measured before update k + 1, as the lecture prints it: 201 steps give the loss after 200.
    run: { steps: 201, lr: 50, batchSize: Number.POSITIVE_INFINITY },
  });
  check(
    'bigrams trained on: 228,146',
    netPrepared.data.train.length === 228146,
    fmt(netPrepared.data.train.length),
  );
  const netRun = netPrepared.createTrainer().run();
  for (const [label, value, expected] of [
    ['loss at the start: 3.7686', netRun.losses[0], '3.7686'],
    ['after 100 updates: 2.4900', netRun.losses[100], '2.4900'],
    ['after 200 updates: 2.4830', netRun.losses[200], '2.4830'],
  ] as const) {
    check(label, value.toFixed(4) === expected, value.toFixed(6));
  }
}

/** Part 2: the lecture MLP, and PyTorch's time for it on this machine. */
function partTwo(): void {
  // ---- part 2: the MLP ----------------------------------------------------------------------------

  heading('makemore part 2: MLP (Bengio et al. 2003)');
  const steps = quick ? 10_000 : 200_000;
  // The family's schedule: lr 0.1, then 0.01 from half the run (step 100,000 for the lecture's 200,000).
  const run = prepareRun({
    family: 'mlp',
    words,
    seed: 2147483647,
    run: { steps, lr: 0.1 },
    backend,
  });
  const { split } = run;
  check(
    'random.seed(42) shuffle begins yuheng diondre xavien jori juanluis',
    split.train.slice(0, 5).join(' ') === 'yuheng diondre xavien jori juanluis',
    split.train.slice(0, 5).join(' '),
  );
  const { train: trainData, dev: devData, test: testData } = run.data;
  check(
    'split sizes 182,625 / 22,655 / 22,866',
    trainData.length === 182625 && devData.length === 22655 && testData.length === 22866,
    `${fmt(trainData.length)} / ${fmt(devData.length)} / ${fmt(testData.length)}`,
  );
  const mlp = run.model;
  check('parameters: 11,897', mlp.numParameters() === 11897, fmt(mlp.numParameters()));
  console.log(
    `training ${fmt(steps)} steps, batch 32, lr 0.1 → 0.01 at ${quick ? '5,000' : '100,000'} (minibatches from the same generator), ${run.backend} backend, captured steps`,
  );
  const trainer = run.createTrainer();
  const { wall } = trainWithProgress(trainer, steps);
  const losses = {
    train: evaluate(mlp, trainData),
    dev: evaluate(mlp, devData),
    test: evaluate(mlp, testData),
  };
  console.log(
    `train ${losses.train.toFixed(4)}  dev ${losses.dev.toFixed(4)}  test ${losses.test.toFixed(4)}  ` +
      `(lecture: train 2.1260, dev 2.1701)  ${wall.toFixed(1)} s, ${fmt(Math.round(trainer.step / wall))} steps/s  (${load()})`,
  );
  if (quick) {
    // Measured here: 10,000 steps reach dev 2.4014 (train 2.3945); the bound leaves room for noise.
    check('quick run: dev loss ≤ 2.45', losses.dev <= 2.45, losses.dev.toFixed(4));
  } else {
    // js: the lecture's stream bit for bit (dev 2.17); wasm drifts within float32, the band is 2.19.
    check(
      `dev loss ≤ ${run.backend === 'js' ? '2.17' : '2.19'}`,
      losses.dev <= (run.backend === 'js' ? 2.17 : 2.19),
      losses.dev.toFixed(4),
    );
    console.log(
      `  target for now: 200,000 steps in under 150 s: ${wall < 150 ? 'met' : 'not met'} (${wall.toFixed(1)} s)`,
    );
  }

  // ---- PyTorch on the same machine ----------------------------------------------------------------

  const root = repoRoot();
  const torchScript = root === null ? '' : resolve(root, '../shared/bench/torch_mlp.py');
  const namesFile = namesPath as string;
  const python = '/usr/bin/python3';
  const hasTorch =
    existsSync(python) &&
    existsSync(torchScript) &&
    spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  if (!hasTorch) {
    console.log(
      '\n(PyTorch not available: apt-get install -y python3-torch libopenblas0-pthread to compare)',
    );
  } else {
    heading(`PyTorch: ${python} ${torchScript} --mode ${quick ? 'speed' : 'full'} --threads 1`);
    const torch = spawnSync(
      python,
      [torchScript, '--mode', quick ? 'speed' : 'full', '--threads', '1', '--names', namesFile],
      { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } },
    );
    const output = `${torch.stdout}`.trim();
    for (const line of output.split('\n')) {
      if (!/^step /.test(line)) console.log(`  ${line}`);
    }
    if (torch.status !== 0) {
      console.log(`  (torch_mlp.py failed: ${torch.stderr.trim().split('\n').at(-1)})`);
    } else if (quick) {
      const rate = Number(/steps_per_s ([\d.]+)/.exec(output)?.[1]);
      const ours = trainer.step / wall;
      console.log(
        `  steps/s: ours ${fmt(Math.round(ours))}, PyTorch ${fmt(Math.round(rate))} (×${(ours / rate).toFixed(2)})  (${load()})`,
      );
    } else {
      const torchWall = Number(/wall_s ([\d.]+)/.exec(output)?.[1]);
      console.log(
        `  wall time: ours ${wall.toFixed(1)} s, PyTorch ${torchWall.toFixed(1)} s (×${(torchWall / wall).toFixed(2)} speed)  (${load()})`,
      );
    }
  }
}

// ---- parts 3 and 5 -------------------------------------------------------------------------------

/** One lecture run: its settings and the train / val the lecture printed. */
interface LectureRun {
  label: string;
  family: string;
  rawConfig: Record<string, unknown>;
  parameters: number;
  lecture: { train: number; val: number; text: string };
}

/**
 * Trains each run from `seed` for `steps` (the family's schedule), evaluates train and dev in eval
 * mode and prints them beside the lecture's. Quick: checks that the loss falls; full: that the dev
 * loss is within `band` of the lecture's val.
 */
function lectureRuns(runs: LectureRun[], seed: number, steps: number, band: number): void {
  for (const entry of runs) {
    const run = prepareRun({
      family: entry.family,
      rawConfig: entry.rawConfig,
      words,
      seed,
      run: { steps, lr: 0.1 },
      backend,
    });
    const count = run.model.numParameters();
    console.log(`\n-- ${entry.label}: ${entry.family} ${JSON.stringify(entry.rawConfig)}`);
    check(`parameters: ${fmt(entry.parameters)}`, count === entry.parameters, fmt(count));
    const trainer = run.createTrainer();
    const { wall, losses } = trainWithProgress(trainer, steps);
    const train = evaluate(run.model, run.data.train);
    const dev = evaluate(run.model, run.data.dev);
    console.log(
      `first loss ${losses[0].toFixed(4)}  train ${train.toFixed(4)}  dev ${dev.toFixed(4)}  (lecture: ${entry.lecture.text})  ` +
        `${wall.toFixed(1)} s, ${fmt(Math.round(steps / wall))} steps/s  (${load()})`,
    );
    if (steps >= 10_000) {
      // The lecture's picture: the loss averaged over 1,000-step chunks, at every tenth of the run.
      const chunks: string[] = [];
      for (let k = 1; k <= 10; k++) {
        const end = Math.floor((k * steps) / 10);
        const chunk = losses.subarray(Math.max(0, end - 1000), end);
        chunks.push((chunk.reduce((a, b) => a + b, 0) / chunk.length).toFixed(3));
      }
      console.log(`  mean loss per 1,000 steps at each tenth: ${chunks.join(' ')}`);
    }
    if (quick) {
      const tenth = Math.max(1, Math.floor(steps / 10));
      const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const start = mean(losses.subarray(0, tenth));
      const end = mean(losses.subarray(-tenth));
      check(
        'quick run: the loss falls',
        end < start && Number.isFinite(dev),
        `${start.toFixed(4)} → ${end.toFixed(4)}`,
      );
    } else {
      check(
        `dev loss ≤ lecture val ${entry.lecture.val} + ${band}`,
        dev <= entry.lecture.val + band,
        dev.toFixed(4),
      );
    }
  }
}

/** Part 3: the initialisation fixes and BatchNorm on the MLP (`mlp-bn`, all fixes off = part 2's MLP). */
function partThree(): void {
  heading(
    'makemore part 3: initialisation and BatchNorm (mlp-bn, seed 2147483647, lr 0.1 → 0.01 at half)',
  );
  const off = { fixInitialLoss: false, fixTanh: 'none', batchNorm: false };
  const runs: LectureRun[] = [
    {
      label: 'original',
      family: 'mlp-bn',
      rawConfig: off,
      parameters: 11897,
      lecture: { train: 2.1245, val: 2.1682, text: 'train 2.1245, val 2.1682' },
    },
    {
      label: 'fix softmax confidently wrong',
      family: 'mlp-bn',
      rawConfig: { ...off, fixInitialLoss: true },
      parameters: 11897,
      lecture: { train: 2.07, val: 2.13, text: 'train 2.07, val 2.13' },
    },
    {
      label: 'fix tanh layer too saturated at init',
      family: 'mlp-bn',
      rawConfig: { ...off, fixInitialLoss: true, fixTanh: 'scale' },
      parameters: 11897,
      lecture: { train: 2.0356, val: 2.1027, text: 'train 2.0356, val 2.1027' },
    },
    {
      label: 'Kaiming init',
      family: 'mlp-bn',
      rawConfig: { ...off, fixInitialLoss: true, fixTanh: 'kaiming' },
      parameters: 11897,
      lecture: { train: 2.0377, val: 2.107, text: 'train 2.0377, val 2.1070' },
    },
    // The video keeps b1 when it adds the layer (12,297); the notebook's last cell drops it (12,097).
    {
      label: 'BatchNorm',
      family: 'mlp-bn',
      rawConfig: {},
      parameters: 12297,
      lecture: { train: 2.0668, val: 2.1048, text: 'train 2.0668, val 2.1048' },
    },
  ];
  lectureRuns(runs, 2147483647, quick ? 1000 : 200_000, 0.02);
}

/**
 * Part 4, exercise 4: the BatchNorm MLP (n_hidden 200) trained with the hand-written gradients only
 * (no autograd), 200,000 steps, 0.1 → 0.01 at half; the lecture ends at train 2.0705, val 2.1099.
 */
function partFour(): void {
  heading('makemore part 4: exercise 4, training with the manual backward pass only');
  const split = splitWords(words);
  const steps = quick ? 2000 : 200_000;
  const run = trainManualBackprop({
    train: buildContexts(split.train, tokenizer, 3),
    dev: buildContexts(split.dev, tokenizer, 3),
    steps,
    onStep: (r) => {
      if (r.step % 20_000 === 0) console.log(`step ${fmt(r.step)}  loss ${r.loss.toFixed(4)}`);
    },
  });
  console.log(
    `train ${run.trainLoss.toFixed(4)}  dev ${run.devLoss.toFixed(4)}  (lecture: train 2.0705, val 2.1099)  ${run.seconds.toFixed(1)} s, ${fmt(Math.round(run.stepsPerSecond))} steps/s  (${load()})`,
  );
  if (quick) check('the loss falls', run.losses[run.losses.length - 1] < run.losses[0]);
  else
    check(
      'dev loss ≤ lecture val 2.1099 + 0.02',
      run.devLoss <= 2.1099 + 0.02,
      run.devLoss.toFixed(4),
    );
}

/** Part 5: from the flat MLP to the WaveNet hierarchy (`wavenet`; `flatten` = `blockSize` is flat). */
function partFive(): void {
  heading('makemore part 5: WaveNet (seed 42, lr 0.1 → 0.01 at 75%)');
  const runs: LectureRun[] = [
    {
      label: 'original: context 3, 200 hidden, 12K',
      family: 'wavenet',
      rawConfig: { blockSize: 3, flatten: 3, nEmbd: 10, nHidden: 200 },
      parameters: 12097,
      lecture: { train: 2.058, val: 2.105, text: 'train 2.058, val 2.105' },
    },
    {
      label: 'context 3 → 8, 22K',
      family: 'wavenet',
      rawConfig: { blockSize: 8, flatten: 8, nEmbd: 10, nHidden: 200 },
      parameters: 22097,
      lecture: { train: 1.918, val: 2.027, text: 'train 1.918, val 2.027' },
    },
    // The lecture's hierarchical run before its BatchNorm fix printed 1.941 / 2.029; nn's layer is the fixed one.
    {
      label: 'flat → hierarchical, BatchNorm fixed, 22K',
      family: 'wavenet',
      rawConfig: { nEmbd: 10, nHidden: 68 },
      parameters: 22397,
      lecture: {
        train: 1.912,
        val: 2.022,
        text: 'train 1.912, val 2.022 (before the fix 1.941 / 2.029)',
      },
    },
    {
      label: 'n_embd 24, n_hidden 128: 76,579',
      family: 'wavenet',
      rawConfig: {},
      parameters: 76579,
      lecture: { train: 1.769, val: 1.993, text: 'train 1.769, val 1.993' },
    },
  ];
  lectureRuns(runs, 42, quick ? 400 : 200_000, 0.015);
}

// ---- makemore.py's zoo and the GPT ladder ---------------------------------------------------------

/**
 * The transformer's run: where PyTorch's test loss is lowest. Measured with bench/torch_zoo.py
 * --type transformer --mode train --eval-every 500 --target 1.95 (makemore.py's settings, seed 3407):
 * 2.2020 at 500, 2.0069 at 5,000, 1.9655 at 10,000, the minimum 1.9593 at 11,500, then it overfits
 * (1.9768 at 15,000, 1.9757 at 22,000): at makemore.py's constant learning rate it never reaches
 * 1.95. Ours draws the same minibatches from the same generator (2.2020 and 2.1452 at 500 and
 * 1,000 steps, as PyTorch's to 4 decimals), so its curve is PyTorch's within float32 drift.
 */
const ZOO_TRANSFORMER_STEPS = 11_500;
/** PyTorch's minimum on this split (see above) + a margin for float32 drift. */
const ZOO_TRANSFORMER_BOUND = 1.97;
/** makemore README's test loss (its only figure: the transformer's "~1.92"), and its parameter counts. */
const MAKEMORE = {
  bow: { parameters: 12827, test: null },
  rnn: { parameters: 11803, test: null },
  gru: { parameters: 28315, test: null },
  transformer: { parameters: 204544, test: 1.92 },
} as const;
const python = '/usr/bin/python3';
const benchScript = (name: string) => resolve(import.meta.dirname, '../bench', name);
const hasTorch =
  !noTorch &&
  existsSync(python) &&
  spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

/** Runs a bench script's `--mode train` on 1 thread; its JSON, or null (with the reason printed). */
function torchTrain(script: string, scriptArgs: string[]): Record<string, unknown> | null {
  if (!hasTorch) return null;
  const result = spawnSync(
    python,
    [benchScript(script), ...scriptArgs, '--mode', 'train', '--threads', '1'],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      maxBuffer: 1 << 26,
    },
  );
  if (result.status !== 0) {
    console.log(`  (PyTorch ${script} failed: ${result.stderr.trim().split('\n').at(-1)})`);
    return null;
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string);
}

/** One evaluation as a progress line. */
const progressLine = (label: string, held: string) => (point: CurvePoint) =>
  console.log(
    `  ${label} step ${fmt(point[0]).padStart(6)}  ${held} ${point[2].toFixed(4)}  ${point[1].toFixed(1)} s`,
  );

/** makemore.py's four families with its defaults, its split, its seed; test loss beside its figures. */
function partZoo(): void {
  heading(
    `makemore.py's zoo (its split: seed 3407, 1,000 test words; AdamW 5e-4, batch 32), ${sequenceBackend} backend, captured steps`,
  );
  for (const family of ZOO) {
    const steps = quick ? 1000 : family === 'transformer' ? ZOO_TRANSFORMER_STEPS : 10_000;
    const run = makemoreRun(family, words, { steps, backend: sequenceBackend });
    const count = run.model.numParameters();
    console.log(`\n-- ${family}: ${fmt(steps)} steps`);
    check(
      `parameters: ${fmt(MAKEMORE[family].parameters)} (makemore.py)`,
      count === MAKEMORE[family].parameters,
      fmt(count),
    );
    const { curve, seconds } = trainToLoss(run, {
      evalEvery: steps / 10,
      onEval: progressLine(family, 'test'),
    });
    const test = curve[curve.length - 1][2];
    const theirs = torchTrain('torch_zoo.py', [
      ...['--names', namesPath as string, '--type', family, '--steps', String(steps)],
      ...['--eval-every', String(steps / 10)],
    ]);
    const torchTest = theirs?.test_loss as number | undefined;
    const torchSeconds = (theirs?.curve as number[][] | undefined)?.at(-1)?.[1];
    const readme = MAKEMORE[family].test;
    console.log(
      `${family}: ${fmt(count)} parameters, test loss ${test.toFixed(4)} after ${fmt(steps)} steps in ${seconds.toFixed(0)} s` +
        ` (PyTorch, same steps: ${torchTest === undefined ? 'n/a' : `${torchTest.toFixed(4)} in ${torchSeconds?.toFixed(0)} s`}; makemore README: ${readme === null ? '—' : `~${readme}`})  (${load()})`,
    );
    if (quick) {
      check(
        'quick run: the test loss falls',
        test < curve[0][2],
        `${curve[0][2].toFixed(4)} → ${test.toFixed(4)}`,
      );
    } else if (family === 'transformer') {
      check(
        `test loss ≤ ${ZOO_TRANSFORMER_BOUND} (PyTorch's minimum 1.9593 + 0.01)`,
        test <= ZOO_TRANSFORMER_BOUND,
        test.toFixed(4),
      );
      console.log(
        `  makemore README's ~1.92 (the issue asks ≤ 1.95): ${test <= 1.95 ? 'reached' : 'not reached'} (${test.toFixed(4)}; PyTorch's own run does not reach 1.95 either)`,
      );
    } else if (torchTest !== undefined) {
      check(`test loss ≤ PyTorch's + 0.03`, test <= torchTest + 0.03, test.toFixed(4));
    }
  }
}

/** The GPT ladder on the bundled book: each preset's run, its val loss beside PyTorch's, a table. */
async function partGpt(): Promise<void> {
  heading(
    `the GPT lecture's ladder on the bundled book (gptPresets, seed 1337), ${sequenceBackend} backend`,
  );
  const book = (await bundledBook()).text;
  const bookPath = join(tmpdir(), 'llm-playground-reproduce-book.txt');
  writeFileSync(bookPath, book);
  const ladder = [
    'bigram',
    'one-head',
    'multi-head',
    'feed-forward',
    'residual',
    'dropout',
    'cpu',
    'nanogpt-cpu',
  ];
  const rows: string[] = [];
  for (const preset of ladder) {
    const { config, run: settings, title } = gptPresets[preset];
    const steps = quick ? 200 : (settings.steps as number);
    const run = gptRun(preset, book, { steps, backend: sequenceBackend });
    console.log(
      `\n-- ${preset}: ${title}; ${fmt(steps)} steps, batch ${settings.batchSize}, lr ${settings.lr}`,
    );
    const { curve, seconds } = trainToLoss(run, {
      evalEvery: quick ? steps : steps / 5,
      onEval: progressLine(preset, 'val'),
    });
    const val = curve[curve.length - 1][2];
    const flags = (['nEmbd', 'nHead', 'nLayer', 'dropout'] as const).flatMap((name) =>
      config[name] === undefined
        ? []
        : [`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(config[name])],
    );
    const theirs = torchTrain('torch_gpt.py', [
      ...['--text', bookPath, '--architecture', String(config.architecture)],
      ...['--block-size', String(config.blockSize), ...flags],
      ...['--lr', String(settings.lr), '--batch', String(settings.batchSize)],
      ...['--steps', String(steps), '--eval-every', String(steps)],
    ]);
    const torchVal = theirs?.val_loss as number | undefined;
    const torchSeconds = (theirs?.curve as number[][] | undefined)?.at(-1)?.[1];
    console.log(
      `${preset}: ${fmt(run.model.numParameters())} parameters, val loss ${val.toFixed(4)} after ${fmt(steps)} steps in ${seconds.toFixed(0)} s` +
        ` (PyTorch: ${torchVal === undefined ? 'n/a' : `${torchVal.toFixed(4)} in ${torchSeconds?.toFixed(0)} s`})  (${load()})`,
    );
    if (quick)
      check(
        'quick run: the val loss falls below ln V',
        val < Math.log(run.tokenizer.vocabSize),
        val.toFixed(4),
      );
    else if (torchVal !== undefined)
      check(`val loss ≤ PyTorch's + 0.05`, val <= torchVal + 0.05, val.toFixed(4));
    rows.push(
      `| \`${preset}\` | ${title} | ${fmt(run.model.numParameters())} | ${fmt(steps)} | ${val.toFixed(4)} | ${torchVal === undefined ? '—' : torchVal.toFixed(4)} | ${seconds.toFixed(0)} s | ${torchSeconds === undefined ? '—' : `${torchSeconds.toFixed(0)} s`} |`,
    );
    if (preset === 'cpu') {
      const text = run.tokenizer.decode(
        Array.from(
          generate(run.model as never, Array.from(run.tokenizer.encodeText('\n')), {
            maxNewTokens: 500,
            generator: new Generator(1337),
          }),
        ),
      );
      console.log(`500 characters from the cpu preset (seed 1337, temperature 1):\n${text}`);
    }
  }
  console.log(
    `\nThe ladder on the bundled book (val: the last 10%, every character predicted once), ${sequenceBackend} backend, 1 thread, ${load()}:\n`,
  );
  console.log(
    '| preset | what it adds | parameters | steps | val loss | PyTorch val loss | ours | PyTorch |',
  );
  console.log('|---|---|--:|--:|--:|--:|--:|--:|');
  for (const row of rows) console.log(row);
}

if (parts.has('1')) partOne();
if (parts.has('2')) partTwo();
if (parts.has('3')) partThree();
if (parts.has('4')) partFour();
if (parts.has('5')) partFive();
if (parts.has('zoo')) partZoo();
if (parts.has('gpt')) await partGpt();

console.log(
  failures === 0 ? '\nall checks passed' : `\n${failures} check${failures === 1 ? '' : 's'} failed`,
);
process.exitCode = failures === 0 ? 0 : 1;
