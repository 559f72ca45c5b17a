/**
 * Speed of the makemore lecture runs through the `Trainer`, beside PyTorch doing the same run in the
 * same process tree (run: `pnpm --filter @llm-playground/makemore bench`, or the root `pnpm bench`):
 *   mlp      part 2's MLP (context 3, n_embd 10, n_hidden 200: 11,897 parameters), seed 2147483647,
 *            against ../shared/bench/torch_mlp.py;
 *   bn       part 3's MLP with the lecture's BatchNorm (Kaiming W1, W2·0.01, bngain/bnbias, running
 *            mean/std: `mlp-bn`, 12,297), seed 2147483647, against bench/torch_batchnorm.py;
 *   wavenet  part 5's hierarchy (context 8, n_embd 24, n_hidden 128, FlattenConsecutive(2) × 3:
 *            76,579), seed 42, against bench/torch_wavenet.py.
 * One SGD step (minibatch draw, forward, backward, update) in steps/s: ours on the js backend eager
 * and captured, the wasm backend eager and captured, and captured with the matmuls on 2 wasm
 * threads, then the wasm backend with relaxed SIMD's fused multiply-add (`fma`, what
 * `lmp --backend wasm` and the web app use) on 1 and 2 threads; PyTorch (OpenBLAS) on 1 and 2
 * threads. Each is timed in 5 rounds after a warm-up and the fastest round shown: on a busy machine other jobs only ever slow a round down, so the fastest is
 * the nearest to an idle machine's (torch_mlp.py times one long round: its mean). The ratios are
 * ours ÷ PyTorch's: our best single-thread column vs 1 thread; our best of all (issue 12's target:
 * at least PyTorch on 1 thread) vs 1 thread; our best 2-thread column vs 2 threads; in wall time
 * and, for one thread, in CPU time (the median round's steps per second of the process's
 * user + system time, which does not count the time other jobs held the core). PyTorch on 1
 * thread is timed before and after ours and the faster kept, as load drifts. Numbers move with the
 * machine's load (printed before and after): compare within one run. Then a check that the models
 * are the lecture's: parameter counts, and the loss of the first minibatch (the same batch: same
 * seed, same draws) from ours and from PyTorch, which must agree within float32 rounding (1e-5;
 * the exit code is 1 when they do not).
 *
 * In packages/makemore (the root `pnpm bench` runs it with no flags):
 *   pnpm bench                              # every model, batch 32 (about 2–3 minutes)
 *   pnpm bench --only wavenet --steps 50    # one model, 50 timed steps a round
 *   pnpm bench --batch 32,256               # more batch sizes
 *   pnpm bench --only bn --full             # also the lecture's full 200,000-step run (minutes;
 *                                           # BENCH_FULL_STEPS=400 tries the path quickly)
 *
 * makemore.py's zoo and the GPT lecture's presets (`--only` one of them, or a list `a,b`):
 *   bow, rnn, gru, transformer   makemore.py's families (BoW 12,827, RNN 11,803, GRU 28,315,
 *            Transformer 204,544 parameters on names.txt), AdamW as makemore.py, batch 32, against
 *            bench/torch_zoo.py (makemore.py's own model code);
 *   gpt-<preset>                 a `gptPresets` preset (bigram, one-head, multi-head, feed-forward,
 *            residual, dropout, cpu, nanogpt-cpu) on the bundled book (Moby Dick), its batch and lr,
 *            against bench/torch_gpt.py (gpt.py's modules).
 * For these, ours runs js and wasm captured (1 thread), wasm captured on 2 threads, and both with FMA (the eager
 * paths are the same kernels, slower); the same-model check compares the loss of one fixed batch
 * (not a drawn minibatch) from the same seed: our inits draw PyTorch's numbers. Time to loss (with
 * `--time-to-loss`, and by default for transformer, gpt-cpu and gpt-nanogpt-cpu when chosen with
 * `--only`): seconds of training (ours wasm captured with FMA on `--race-threads` threads, default
 * 2; PyTorch on 1 thread) until the
 * held-out loss — makemore's 1,000-word test set (its `randperm` split, the same words for both),
 * or the book's last 10% — first reaches `--target` (defaults: transformer 2.05, at ~3,000 steps;
 * gpt-cpu 1.80 and gpt-nanogpt-cpu 1.90, each at about two thirds of its preset's run), evaluated
 * every `--eval-every` steps (500; gpt 250), at most `--max-seconds` (600) each.
 *   pnpm bench --only transformer --target 1.97 --max-seconds 3600
 *   pnpm bench --only gpt-cpu,gpt-nanogpt-cpu
 *
 * Uses names.txt (LMP_NAMES or ../shared/data/names.txt); without it, the bundled names and no
 * PyTorch column (its scripts need names.txt). PyTorch is /usr/bin/python3 with torch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { bundledBook, bundledNames, type CharTokenizer, readWords } from '@llm-playground/data';
import {
  enableRelaxedSimd,
  startWasmThreads,
  stopWasmThreads,
  Tensor,
} from '@llm-playground/tensor';
import { lectureNamesPath, repoRoot } from '../../../tools/lecture-names.js';
import {
  type EvaluatedRun,
  GPT_SEED,
  gptRun,
  MAKEMORE_SEED,
  makemoreRun,
  trainToLoss,
  ZOO,
  type ZooFamily,
} from '../scripts/zoo-runs.js';
import { inEvalMode } from '../src/evaluate.js';
import { gptPresets } from '../src/families/gpt/schema.js';
import { getFamily } from '../src/families/registry.js';
import { evaluate, type LanguageModel, prepareRun } from '../src/index.js';
import type { RunOverrides } from '../src/run-settings.js';
import { wordSequences } from '../src/training-data.js';

/** One lecture run: our family and settings, and the PyTorch script that does the same. */
interface LectureBench {
  key: string;
  title: string;
  family: string;
  rawConfig: Record<string, unknown>;
  seed: number;
  /** The PyTorch script (null: not found). */
  script: string | null;
  /** Whether the script has `--mode init` and prints JSON (torch_mlp.py prints text). */
  json: boolean;
  /** Timed steps per round when `--steps` is not given. */
  steps: number;
  /** The lecture's final train / val after 200,000 steps. */
  lecture: string;
  /** A zoo or gpt bench (`SEQUENCE_CONFIGS`, fixed-batch check, time to loss). */
  sequence?: {
    /** What ours trains on: the words (zoo) or the book (gpt). */
    data: { words: readonly string[] } | { text: string };
    run: RunOverrides;
    batch: number;
    /** The script's arguments before `--threads` (instead of `--names names.txt`). */
    torchArgs: string[];
    /** The loss of the fixed batch the script's `--mode init` uses, for a fresh model of ours. */
    firstLoss: (model: LanguageModel) => number;
    /** Time to loss: the default target, our run, the script's extra `--mode train` arguments. */
    timeToLoss?: { target: number; evalEvery: number; make: () => EvaluatedRun };
  };
}

const GPT_KEYS = Object.keys(gptPresets)
  .filter((preset) => preset !== 'lecture')
  .map((preset) => `gpt-${preset}`);
const KEYS = ['mlp', 'bn', 'wavenet', ...ZOO, ...GPT_KEYS];
const usage = `usage: pnpm --filter @llm-playground/makemore bench [--only ${KEYS.join('|')}[,…]] [--steps N] [--batch 32,256] [--full] [--time-to-loss] [--target LOSS] [--eval-every N] [--max-seconds S] [--race-threads 1|2]`;
const args = process.argv.slice(2);
const VALUED = [
  '--only',
  '--steps',
  '--batch',
  '--target',
  '--eval-every',
  '--max-seconds',
  '--race-threads',
];
function option(name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) fail(`${name} needs a value`);
  return value;
}
function fail(message: string): never {
  console.error(`bench: ${message} (${usage})`);
  process.exit(2);
}
for (const [i, arg] of args.entries()) {
  const known =
    VALUED.includes(arg) ||
    arg === '--full' ||
    arg === '--time-to-loss' ||
    VALUED.includes(args[i - 1]);
  if (!known) fail(`unknown argument ${JSON.stringify(arg)}`);
}
const only = option('--only')?.split(',');
for (const key of only ?? []) {
  if (!KEYS.includes(key)) fail(`--only takes ${KEYS.join(', ')}, got ${JSON.stringify(key)}`);
}
/** A positive number option (integer when `integer`), or undefined when not given. */
function positive(name: string, integer: boolean): number | undefined {
  const text = option(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0 && Number.isFinite(value)) || (integer && !Number.isInteger(value))) {
    fail(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}
const targetGiven = positive('--target', false);
const evalEveryGiven = positive('--eval-every', true);
const maxSeconds = positive('--max-seconds', false) ?? 600;
const raceThreads = positive('--race-threads', true) ?? 2;
if (raceThreads > 2) fail(`--race-threads takes 1 or 2, got ${raceThreads}`);
/** Time to loss: asked for, or implied by choosing the transformer or a gpt CPU preset by name. */
const timeToLoss = args.includes('--time-to-loss') || only !== undefined;
const stepsArg = option('--steps');
const stepsGiven = stepsArg === undefined ? undefined : Number(stepsArg);
if (stepsGiven !== undefined && !(Number.isInteger(stepsGiven) && stepsGiven >= 1)) {
  fail(`--steps must be a positive integer, got ${JSON.stringify(stepsArg)}`);
}
const batchGiven = option('--batch') !== undefined;
const batches = (option('--batch') ?? '32').split(',').map(Number);
if (!batches.every((b) => Number.isInteger(b) && b >= 2)) {
  fail(
    `--batch must be integers ≥ 2 separated by commas (BatchNorm needs 2), got ${option('--batch')}`,
  );
}
const full = args.includes('--full');
/** The lecture's run length; BENCH_FULL_STEPS shortens it (to try `--full` itself quickly). */
const FULL_STEPS = Number(process.env.BENCH_FULL_STEPS ?? 200_000);
if (!(Number.isInteger(FULL_STEPS) && FULL_STEPS >= 2)) {
  fail(`BENCH_FULL_STEPS must be an integer ≥ 2, got ${process.env.BENCH_FULL_STEPS}`);
}

const namesPath = lectureNamesPath();
const words = namesPath ? readWords(namesPath).words : bundledNames().words;
const root = repoRoot();
const python = '/usr/bin/python3';
const script = (path: string) => (existsSync(python) && existsSync(path) ? path : null);
const here = import.meta.dirname;
/** Part 3's settings live in the `mlp-bn` family (or, where it is folded into it, in `mlp`'s). */
const PART3 = { fixInitialLoss: true, fixTanh: 'kaiming', batchNorm: true };
const bnFamily = (() => {
  try {
    return getFamily('mlp-bn').name;
  } catch {
    return 'mlp';
  }
})();
const BENCHES: LectureBench[] = [
  {
    key: 'mlp',
    title: 'part 2 MLP',
    family: 'mlp',
    rawConfig: {},
    seed: 2147483647,
    script: root === null ? null : script(resolve(root, '../shared/bench/torch_mlp.py')),
    json: false,
    steps: 600,
    lecture: 'train 2.1245, val 2.1682 (part 3\'s "original")',
  },
  {
    key: 'bn',
    title: 'part 3 MLP + BatchNorm',
    family: bnFamily,
    rawConfig: PART3,
    seed: 2147483647,
    script: script(resolve(here, 'torch_batchnorm.py')),
    json: true,
    steps: 600,
    lecture: 'train 2.0668, val 2.1048',
  },
  {
    key: 'wavenet',
    title: 'part 5 WaveNet',
    family: 'wavenet',
    rawConfig: {},
    seed: 42,
    script: script(resolve(here, 'torch_wavenet.py')),
    json: true,
    steps: 100,
    lecture: 'train 1.769, val 1.993',
  },
];

// ---- makemore.py's zoo and the GPT presets --------------------------------------------------------

const book = (await bundledBook()).text;
/** The book as a file for torch_gpt.py (in the temporary directory). */
const bookPath = join(os.tmpdir(), 'llm-playground-bench-book.txt');
writeFileSync(bookPath, book);
/** The loss of `X`/`Y` (`[B, T]` each) in eval mode. */
const fixedLoss = (model: LanguageModel, X: Int32Array, Y: Int32Array, B: number) =>
  inEvalMode(model, () =>
    model.loss(new Tensor(X, [B, X.length / B]), new Tensor(Y, [B, Y.length / B])).item(),
  );
/** Timed steps a round (ours and PyTorch's), by model: about a second a round for ours. */
const SEQUENCE_STEPS: Record<string, number> = { bow: 100, rnn: 50, gru: 40, transformer: 15 };
const ZOO_TARGETS: Partial<Record<ZooFamily, number>> = { transformer: 2.05 };
for (const family of ZOO) {
  BENCHES.push({
    key: family,
    title: `makemore.py ${family}`,
    family,
    rawConfig: {},
    seed: MAKEMORE_SEED,
    script: namesPath ? script(resolve(here, 'torch_zoo.py')) : null,
    json: true,
    steps: SEQUENCE_STEPS[family],
    lecture: '',
    sequence: {
      data: { words },
      run: {},
      batch: 32,
      torchArgs: ['--names', namesPath ?? '', '--type', family],
      // torch_zoo.py --mode init: CharDataset rows of the file's first 32 words.
      firstLoss: (model) => {
        const tokenizer = tokenizerOf(model) as CharTokenizer; // word families: characters
        const rows = wordSequences(words.slice(0, 32), tokenizer, model.config.blockSize);
        return fixedLoss(model, rows.X, rows.Y, 32);
      },
      timeToLoss:
        ZOO_TARGETS[family] === undefined
          ? undefined
          : {
              target: ZOO_TARGETS[family],
              evalEvery: 500,
              make: () => makemoreRun(family, words, { backend: 'wasm', steps: 1_000_000 }),
            },
    },
  });
}
const GPT_TARGETS: Record<string, number> = { cpu: 1.8, 'nanogpt-cpu': 1.9 };
for (const key of GPT_KEYS) {
  const preset = key.slice('gpt-'.length);
  const { config, run } = gptPresets[preset];
  const batch = run.batchSize as number;
  const T = config.blockSize as number;
  const perStep = (batch * T * ((config.nEmbd as number | undefined) ?? 16)) / 1000;
  BENCHES.push({
    key,
    title: gptPresets[preset].title,
    family: 'gpt',
    rawConfig: config,
    seed: GPT_SEED,
    script: script(resolve(here, 'torch_gpt.py')),
    json: true,
    steps: Math.max(10, Math.min(200, Math.round(1000 / perStep))),
    lecture: '',
    sequence: {
      data: { text: book },
      run,
      batch,
      torchArgs: [
        ...['--text', bookPath, '--architecture', config.architecture as string],
        // The preset's batch (init and train); speed mode's later --batch overrides it.
        ...['--block-size', String(T), '--lr', String(run.lr), '--batch', String(batch)],
        ...(['nEmbd', 'nHead', 'nLayer', 'dropout'] as const).flatMap((name) =>
          config[name] === undefined
            ? []
            : [`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(config[name])],
        ),
      ],
      // torch_gpt.py --mode init: the training windows starting at 0, 1000, 2000, …
      firstLoss: (model) => {
        const tokens = tokenizerOf(model).encodeText(book);
        const X = new Int32Array(batch * T);
        const Y = new Int32Array(batch * T);
        for (let b = 0; b < batch; b++) {
          X.set(tokens.subarray(b * 1000, b * 1000 + T), b * T);
          Y.set(tokens.subarray(b * 1000 + 1, b * 1000 + T + 1), b * T);
        }
        return fixedLoss(model, X, Y, batch);
      },
      timeToLoss:
        GPT_TARGETS[preset] === undefined
          ? undefined
          : {
              target: GPT_TARGETS[preset],
              evalEvery: 250,
              make: () => gptRun(preset, book, { backend: 'wasm', steps: 1_000_000 }),
            },
    },
  });
}
/** The tokenizer each model of the same-model check was prepared with (its fixed batch needs it). */
const tokenizers = new WeakMap<LanguageModel, ReturnType<typeof prepareRun>['tokenizer']>();
function tokenizerOf(model: LanguageModel) {
  const tokenizer = tokenizers.get(model);
  if (!tokenizer) throw new Error('bench: no tokenizer recorded for this model');
  return tokenizer;
}
/** Without --only: the lecture runs, the zoo and the CPU-sized GPT (speed and the same-model check). */
const DEFAULT_KEYS = ['mlp', 'bn', 'wavenet', ...ZOO, 'gpt-cpu'];
const selected = BENCHES.filter((b) => (only ?? DEFAULT_KEYS).includes(b.key));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const fmt = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? 'n/a'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Our configurations: backend, captured or eager, wasm threads (0: none started). */
const CONFIGS = [
  { label: 'js eager', backend: 'js', capture: false, threads: 0 },
  { label: 'js capt', backend: 'js', capture: true, threads: 0 },
  { label: 'wasm eager', backend: 'wasm', capture: false, threads: 0 },
  { label: 'wasm capt', backend: 'wasm', capture: true, threads: 0 },
  { label: 'wasm capt 2thr', backend: 'wasm', capture: true, threads: 2 },
  // Relaxed SIMD (fused multiply-add, `enableRelaxedSimd`: what `lmp --backend wasm` and the web app
  // use).
  { label: 'fma capt', backend: 'wasm', capture: true, threads: 0, fma: true },
  { label: 'fma capt 2thr', backend: 'wasm', capture: true, threads: 2, fma: true },
] as const;
type Config = (typeof CONFIGS)[number];
const isFma = (c: Config) => 'fma' in c && c.fma;

/**
 * Steps per second: the fastest round's (wall time), and the median round's in CPU time (user +
 * system, every thread of the process).
 */
interface Rate {
  best: number;
  cpu: number;
}

const ROUNDS = 5;

/** Rates over `ROUNDS` rounds of `steps` after a warm-up, the run prepared as `lmp train` does. */
async function ours(
  bench: LectureBench,
  config: Config,
  batch: number,
  steps: number,
): Promise<Rate | null> {
  const warm = Math.max(20, Math.round(steps / 5));
  // The build first (the pool's workers run the build in use); no relaxed SIMD here: no FMA column.
  if (enableRelaxedSimd(isFma(config)) !== isFma(config)) return null;
  const run = prepareRun({
    family: bench.family,
    rawConfig: bench.rawConfig,
    ...(bench.sequence?.data ?? { words }),
    seed: bench.seed,
    run: { ...bench.sequence?.run, steps: warm + ROUNDS * steps, batchSize: batch },
    backend: config.backend,
  });
  if (run.backend !== config.backend) return null; // no WebAssembly SIMD: stayed on js
  if (config.threads > 0 && (await startWasmThreads(config.threads)) < config.threads) {
    await stopWasmThreads();
    return null;
  }
  try {
    const trainer = run.createTrainer({ capture: config.capture });
    trainer.runSlice({ maxSteps: warm }); // JIT, the capture
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const before = process.cpuUsage();
      const progress = trainer.runSlice({ maxSteps: steps });
      const used = process.cpuUsage(before);
      wall.push(progress.losses.length / progress.seconds);
      cpu.push(progress.losses.length / ((used.user + used.system) / 1e6));
    }
    return { best: Math.max(...wall), cpu: median(cpu) };
  } finally {
    if (config.threads > 0) await stopWasmThreads();
  }
}

/**
 * Runs a PyTorch script on `threads` threads; its JSON (or, for torch_mlp.py, steps_per_s) or null.
 * NOTE: OMP_WAIT_POLICY=PASSIVE (unless set): with OpenMP's default spin-waiting, 2 threads on a
 * busy 2-core machine collapse (the WaveNet at 10–15 steps/s instead of ~240: each thread spins
 * for the other, which is descheduled). One thread has no other to wait for.
 */
function torch(
  bench: LectureBench,
  scriptArgs: string[],
  threads: number,
): Record<string, unknown> | null {
  if (!bench.script || (!namesPath && !bench.sequence)) return null;
  const base = bench.sequence?.torchArgs ?? ['--names', namesPath as string];
  const result = spawnSync(
    python,
    [bench.script, ...base, '--threads', String(threads), ...scriptArgs],
    {
      encoding: 'utf8',
      env: {
        OMP_WAIT_POLICY: 'PASSIVE', // see the NOTE above
        ...process.env,
        OPENBLAS_NUM_THREADS: String(threads),
        OMP_NUM_THREADS: String(threads),
      },
    },
  );
  if (result.status !== 0) {
    const why = `${result.stderr ?? ''}`.trim().split('\n').at(-1) || result.error?.message;
    console.log(`  (PyTorch ${bench.key} failed: ${why})`);
    return null;
  }
  if (result.stderr.includes('Traceback')) console.log(result.stderr);
  const text = result.stdout.trim();
  if (bench.json) return JSON.parse(text.split('\n').at(-1) as string);
  const rate = Number(/steps_per_s ([\d.]+)/.exec(text)?.[1]);
  return { steps_per_s: { [scriptArgs[scriptArgs.indexOf('--batch') + 1]]: rate } };
}

/**
 * PyTorch's steps/s (wall and CPU time) at each batch size on `threads` threads (torch_mlp.py takes
 * one batch a call and reports no CPU time).
 */
function torchRates(
  bench: LectureBench,
  steps: number,
  threads: number,
): { wall: Record<string, number>; cpu: Record<string, number> } {
  // Ours and theirs time as many steps: rounds of `steps` (torch_mlp.py: one round of ROUNDS·steps).
  const timed = String(bench.json ? steps : ROUNDS * steps);
  // torch_gpt.py takes one batch size a call.
  const single = !bench.json || bench.key.startsWith('gpt-');
  const calls = single ? batchesOf(bench).map((b) => [b]) : [batchesOf(bench)];
  const rates = { wall: {}, cpu: {} };
  for (const bs of calls) {
    const out = torch(
      bench,
      [
        ...['--mode', 'speed', '--steps', timed, '--batch', ...bs.map(String)],
        ...(bench.json ? ['--rounds', String(ROUNDS)] : []),
      ],
      threads,
    );
    Object.assign(rates.wall, out?.best_steps_per_s ?? out?.steps_per_s ?? {});
    Object.assign(rates.cpu, out?.cpu_steps_per_s ?? {});
  }
  return rates;
}

/** A bench's batch sizes: `--batch`'s, else a zoo / gpt bench's own (the preset's), else 32. */
function batchesOf(bench: LectureBench): number[] {
  return !batchGiven && bench.sequence ? [bench.sequence.batch] : batches;
}
/** Our configurations for a bench: all for the lecture runs; captured only for the zoo and gpt. */
const SEQUENCE_CONFIGS = ['js capt', 'wasm capt', 'wasm capt 2thr', 'fma capt', 'fma capt 2thr'];
const configsOf = (bench: LectureBench) =>
  CONFIGS.filter((c) => !bench.sequence || SEQUENCE_CONFIGS.includes(c.label));

const cpus = os.cpus();
console.log(
  '@llm-playground/makemore bench: lecture runs, the zoo and GPT through the Trainer beside PyTorch',
);
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores; Node ${process.version}; data ${namesPath ?? 'bundled names (no PyTorch column)'}`,
);
console.log(`load average before: ${load()}\n`);

const rows: string[][] = [];
const torchAt32: Record<string, number> = {};
/** The faster of two measurements (PyTorch is timed before and after ours: load drifts). */
const best = (a: Record<string, number>, b: Record<string, number>, key: number) =>
  Math.max(a[key] ?? 0, b[key] ?? 0) || undefined;
for (const bench of selected) {
  const steps = stepsGiven ?? bench.steps;
  const before = torchRates(bench, steps, 1);
  const mine: Record<string, Record<number, Rate | null>> = {};
  for (const config of CONFIGS) {
    mine[config.label] = {};
    if (!configsOf(bench).includes(config)) continue;
    for (const batch of batchesOf(bench))
      mine[config.label][batch] = await ours(bench, config, batch, steps);
  }
  const after = torchRates(bench, steps, 1);
  const two = torchRates(bench, steps, 2);
  for (const batch of batchesOf(bench)) {
    const t1 = best(before.wall, after.wall, batch);
    const t1cpu = best(before.cpu, after.cpu, batch);
    if (batch === 32 && t1) torchAt32[bench.key] = t1;
    const single = CONFIGS.filter((c) => c.threads === 0).map((c) => mine[c.label][batch]);
    const threaded = CONFIGS.filter((c) => c.threads === 2).map((c) => mine[c.label][batch]);
    const fastest = (rates: (Rate | null | undefined)[], key: 'best' | 'cpu') =>
      Math.max(...rates.map((r) => r?.[key] ?? 0));
    const ratio = (a: number | undefined, b: number | undefined) =>
      a && b ? `${fmt(a / b, 2)}×` : 'n/a';
    rows.push([
      bench.key,
      String(batch),
      String(steps),
      ...CONFIGS.map((c) => (configsOf(bench).includes(c) ? fmt(mine[c.label][batch]?.best) : '—')),
      fmt(t1),
      fmt(two.wall[batch]),
      ratio(fastest(single, 'best'), t1),
      ratio(fastest([...single, ...threaded], 'best'), t1),
      ratio(fastest(threaded, 'best'), two.wall[batch]),
      ratio(fastest(single, 'cpu'), t1cpu),
    ]);
  }
}
const header = [
  'model',
  'batch',
  'steps',
  ...CONFIGS.map((c) => c.label),
  'torch 1thr',
  'torch 2thr',
  '1thr/torch 1',
  'best/torch 1',
  '2thr/torch 2',
  'CPU time: 1thr/torch 1',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
const line = (cells: string[]) =>
  `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
const digits = (x: number) => (x < 10 ? 1 : 0);
console.log(
  `one training step (batch draw, forward, backward, update: SGD for the lectures' MLPs, AdamW for the zoo and gpt), steps/s of the fastest of ${ROUNDS} rounds (—: not timed)`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(`load average after: ${load()}`);

// The same-model check and the time to loss run the build `lmp --backend wasm` runs.
const relaxed = enableRelaxedSimd();

// ---- are they the lecture's models? ---------------------------------------------------------------
console.log(
  '\nparameters and the first minibatch loss (same seed, same draws; zoo and gpt: the loss of a fixed batch from the same seed), ours vs PyTorch',
);
for (const bench of selected) {
  const first: Record<string, number> = {};
  let count = 0;
  for (const backend of ['js', 'wasm'] as const) {
    const run = prepareRun({
      family: bench.family,
      rawConfig: bench.rawConfig,
      ...(bench.sequence?.data ?? { words }),
      seed: bench.seed,
      run: { ...bench.sequence?.run, steps: 1 },
      backend,
    });
    count = run.model.numParameters();
    tokenizers.set(run.model, run.tokenizer);
    first[run.backend] = bench.sequence
      ? bench.sequence.firstLoss(run.model)
      : run.createTrainer({ capture: false }).runSlice({ maxSteps: 1 }).losses[0];
  }
  const reference = bench.json
    ? torch(bench, ['--mode', 'init', ...(bench.sequence ? ['--seed', String(bench.seed)] : [])], 1)
    : null;
  const oursText = Object.entries(first)
    .map(([backend, loss]) => `${backend} ${loss.toFixed(6)}`)
    .join(', ');
  const delta = (loss: number) =>
    `|Δ| ${Object.values(first)
      .map((x) => Math.abs(x - loss).toExponential(1))
      .join(', ')}`;
  // torch_mlp.py has no init mode: its first loss (checked by hand) is the lecture's printed 27.8817.
  let torchText = 'n/a';
  let same: number | null = null;
  let tolerance = 1e-5; // float32 rounding of a loss near 3 (one ulp is 2.4e-7)
  if (reference) {
    // Our BatchNorm1d is PyTorch's (biased variance); the lecture's hand-written one is unbiased.
    same = (reference.first_loss_torch_bn ?? reference.first_loss) as number;
    const lecture = reference.first_loss_lecture_bn as number | undefined;
    torchText =
      `${reference.params} parameters, first loss ${same.toFixed(6)}` +
      (lecture === undefined
        ? ` (${delta(same)})`
        : ` with PyTorch's BatchNorm (${delta(same)}), ${lecture.toFixed(6)} with the lecture's`);
  } else if (bench.key === 'mlp') {
    [same, tolerance] = [27.8817, 5e-5];
    torchText = `n/a; the lecture printed 27.8817 (${delta(same)})`;
  }
  const agrees =
    (reference === null || reference.params === count) &&
    (same === null || Object.values(first).every((x) => Math.abs(x - same) <= tolerance));
  if (!agrees) process.exitCode = 1;
  console.log(
    `  ${agrees ? 'ok' : 'MISMATCH'} ${bench.key} (${bench.title}, ${bench.family} ${JSON.stringify(bench.rawConfig)}): ours ${count} parameters, ${bench.sequence ? 'fixed-batch' : 'first'} loss ${oursText}; PyTorch ${torchText}`,
  );
}

// ---- time to loss: the transformer and the GPT CPU presets ----------------------------------------
const racing = selected.filter((b) => b.sequence?.timeToLoss && timeToLoss);
if (racing.length > 0) {
  console.log(
    `\ntime to loss: training seconds (evaluation not counted) until the held-out loss ≤ the target, ours wasm captured${relaxed ? ' with FMA' : ''} on ${raceThreads} thread(s) (--race-threads), PyTorch on 1 thread; at most ${fmt(maxSeconds)} s each; load ${load()}`,
  );
}
for (const bench of racing) {
  const race = bench.sequence?.timeToLoss as NonNullable<
    NonNullable<LectureBench['sequence']>['timeToLoss']
  >;
  const target = targetGiven ?? race.target;
  const evalEvery = evalEveryGiven ?? race.evalEvery;
  const held = bench.key.startsWith('gpt-') ? 'val' : 'test';
  const trace = (who: string) => (point: number[]) =>
    process.stderr.write(
      `  ${bench.key} ${who}: step ${point[0]} ${point[1].toFixed(1)} s ${held} ${point[2].toFixed(4)}\n`,
    );
  const theirs = torch(
    bench,
    [
      ...['--mode', 'train', '--seed', String(bench.seed), '--steps', '1000000'],
      ...['--eval-every', String(evalEvery), '--target', String(target)],
      ...['--max-seconds', String(maxSeconds)],
    ],
    1,
  );
  if (raceThreads > 1) await startWasmThreads(raceThreads);
  const mine = trainToLoss(race.make(), { evalEvery, target, maxSeconds, onEval: trace('ours') });
  await stopWasmThreads();
  const describe = (reached: unknown, curve: number[][]) => {
    const last = curve.at(-1);
    if (Array.isArray(reached)) return `${fmt(reached[1], 1)} s (step ${fmt(reached[0])})`;
    return last
      ? `not reached in ${fmt(last[1])} s (${held} ${last[2].toFixed(4)} at step ${fmt(last[0])})`
      : 'n/a';
  };
  const theirCurve = (theirs?.curve ?? []) as number[][];
  const ratio =
    mine.reached && Array.isArray(theirs?.reached)
      ? `, ours/PyTorch time ${fmt(mine.reached[1] / (theirs.reached as number[])[1], 2)}×`
      : '';
  console.log(
    `  ${bench.key}: ${held} loss ≤ ${target}: ours ${describe(mine.reached, mine.curve)}; PyTorch ${describe(theirs?.reached, theirCurve)}${ratio}; load ${load()}`,
  );
  const curveText = (curve: number[][]) =>
    curve.map(([step, s, loss]) => `${step}:${fmt(s, digits(s))}s:${loss.toFixed(3)}`).join(' ');
  console.log(`    ours    ${curveText(mine.curve)}`);
  console.log(`    PyTorch ${curveText(theirCurve)}`);
}

// ---- --full: the lecture's 200,000 steps -----------------------------------------------------------
if (full) {
  console.log(
    `\nthe lecture's full run, ${fmt(FULL_STEPS)} steps at batch 32 (ours: wasm, captured, 1 thread; PyTorch: estimated from its 1-thread steps/s above)`,
  );
  for (const bench of selected) {
    const run = prepareRun({
      family: bench.family,
      rawConfig: bench.rawConfig,
      words,
      seed: bench.seed,
      run: { steps: FULL_STEPS, lr: 0.1 },
      backend: 'wasm',
    });
    const started = performance.now();
    run.createTrainer().run();
    const seconds = (performance.now() - started) / 1000;
    const train = evaluate(run.model, run.data.train);
    const dev = evaluate(run.model, run.data.dev);
    const rate = torchAt32[bench.key];
    const estimate = rate
      ? `${fmt(FULL_STEPS / rate)} s = ${fmt(FULL_STEPS / rate / 60, 1)} min (${fmt(rate)} steps/s, 1 thread)`
      : 'n/a';
    console.log(
      `  ${bench.key}: ours ${fmt(seconds)} s = ${fmt(seconds / 60, 1)} min (${fmt(FULL_STEPS / seconds)} steps/s), train ${train.toFixed(4)} dev ${dev.toFixed(4)} ` +
        `(lecture: ${bench.lecture}); PyTorch ≈ ${estimate}; load ${load()}`,
    );
  }
}
