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
 * threads; PyTorch (OpenBLAS) on 1 and 2 threads. Each is timed in 5 rounds after a warm-up and the
 * fastest round shown: on a busy machine other jobs only ever slow a round down, so the fastest is
 * the nearest to an idle machine's (torch_mlp.py times one long round: its mean). The ratios are
 * ours ÷ PyTorch's at the same thread count (our best single-thread column vs 1 thread), in wall
 * time and, for one thread, in CPU time (the median round's steps per second of the process's
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
 * Uses names.txt (LMP_NAMES or ../shared/data/names.txt); without it, the bundled names and no
 * PyTorch column (its scripts need names.txt). PyTorch is /usr/bin/python3 with torch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { bundledNames, readWords } from '@llm-playground/data';
import { startWasmThreads, stopWasmThreads } from '@llm-playground/tensor';
import { lectureNamesPath, repoRoot } from '../../../tools/lecture-names.js';
import { getFamily } from '../src/families/registry.js';
import { evaluate, prepareRun } from '../src/index.js';

/** One lecture run: our family and settings, and the PyTorch script that does the same. */
interface LectureBench {
  key: 'mlp' | 'bn' | 'wavenet';
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
}

const usage =
  'usage: pnpm --filter @llm-playground/makemore bench [--only mlp|bn|wavenet] [--steps N] [--batch 32,256] [--full]';
const args = process.argv.slice(2);
const VALUED = ['--only', '--steps', '--batch'];
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
  const known = VALUED.includes(arg) || arg === '--full' || VALUED.includes(args[i - 1]);
  if (!known) fail(`unknown argument ${JSON.stringify(arg)}`);
}
const only = option('--only');
if (only !== undefined && !['mlp', 'bn', 'wavenet'].includes(only)) {
  fail(`--only must be mlp, bn or wavenet, got ${JSON.stringify(only)}`);
}
const stepsArg = option('--steps');
const stepsGiven = stepsArg === undefined ? undefined : Number(stepsArg);
if (stepsGiven !== undefined && !(Number.isInteger(stepsGiven) && stepsGiven >= 1)) {
  fail(`--steps must be a positive integer, got ${JSON.stringify(stepsArg)}`);
}
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
const selected = BENCHES.filter((b) => only === undefined || b.key === only);

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
] as const;

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
  config: (typeof CONFIGS)[number],
  batch: number,
  steps: number,
): Promise<Rate | null> {
  const warm = Math.max(20, Math.round(steps / 5));
  const run = prepareRun({
    family: bench.family,
    rawConfig: bench.rawConfig,
    words,
    seed: bench.seed,
    run: { steps: warm + ROUNDS * steps, batchSize: batch },
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
  if (!bench.script || !namesPath) return null;
  const result = spawnSync(
    python,
    [bench.script, '--names', namesPath, '--threads', String(threads), ...scriptArgs],
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
  const calls = bench.json ? [batches] : batches.map((b) => [b]);
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

const cpus = os.cpus();
console.log('@llm-playground/makemore bench: lecture runs through the Trainer beside PyTorch');
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
    for (const batch of batches)
      mine[config.label][batch] = await ours(bench, config, batch, steps);
  }
  const after = torchRates(bench, steps, 1);
  const two = torchRates(bench, steps, 2);
  for (const batch of batches) {
    const t1 = best(before.wall, after.wall, batch);
    const t1cpu = best(before.cpu, after.cpu, batch);
    if (batch === 32 && t1) torchAt32[bench.key] = t1;
    const single = CONFIGS.filter((c) => c.threads === 0).map((c) => mine[c.label][batch]);
    const threaded = mine['wasm capt 2thr'][batch];
    const ratio = (a: number | undefined, b: number | undefined) =>
      a && b ? `${fmt(a / b, 2)}×` : 'n/a';
    rows.push([
      bench.key,
      String(batch),
      String(steps),
      ...CONFIGS.map((c) => fmt(mine[c.label][batch]?.best)),
      fmt(t1),
      fmt(two.wall[batch]),
      ratio(Math.max(...single.map((r) => r?.best ?? 0)), t1),
      ratio(threaded?.best, two.wall[batch]),
      ratio(Math.max(...single.map((r) => r?.cpu ?? 0)), t1cpu),
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
  'best/torch 1',
  '2thr/torch 2',
  'CPU time: best/torch 1',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) =>
  `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
console.log(
  `one training step (batch draw, forward, backward, SGD update), steps/s of the fastest of ${ROUNDS} rounds`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(`load average after: ${load()}`);

// ---- are they the lecture's models? ---------------------------------------------------------------
console.log('\nparameters and the first minibatch loss (same seed, same draws), ours vs PyTorch');
for (const bench of selected) {
  const first: Record<string, number> = {};
  let count = 0;
  for (const backend of ['js', 'wasm'] as const) {
    const run = prepareRun({
      family: bench.family,
      rawConfig: bench.rawConfig,
      words,
      seed: bench.seed,
      run: { steps: 1 },
      backend,
    });
    count = run.model.numParameters();
    first[run.backend] = run.createTrainer({ capture: false }).runSlice({ maxSteps: 1 }).losses[0];
  }
  const reference = bench.json ? torch(bench, ['--mode', 'init'], 1) : null;
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
    `  ${agrees ? 'ok' : 'MISMATCH'} ${bench.key} (${bench.title}, ${bench.family} ${JSON.stringify(bench.rawConfig)}): ours ${count} parameters, first loss ${oursText}; PyTorch ${torchText}`,
  );
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
