/**
 * Speed of the `Trainer` on the makemore lecture MLP (context 3, embedding 10, hidden 200, batch 32,
 * SGD): steps per second of eager and captured steps on one backend, beside PyTorch 1.13 on one
 * thread (`../shared/bench/torch_mlp.py --mode speed --batch 32 --threads 1`, when /usr/bin/python3
 * has torch), and the extrapolated time of the lecture's 200,000 steps.
 * Uses names.txt when present (LMP_NAMES or ../shared/data/names.txt), else the bundled names.
 *
 *   pnpm bench                     # 3,000 timed steps per run, wasm backend
 *   pnpm bench 10000 --backend js  # more steps, on the js backend (the lecture's numbers bit for bit)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { bundledNames, readWords } from '@llm-playground/data';
import { lectureNamesPath as namesPath, repoRoot } from '../../../tools/lecture-names.js';
import { prepareRun } from '../src/index.js';

const args = process.argv.slice(2);
const at = args.indexOf('--backend');
const backendArg = at >= 0 ? args[at + 1] : 'wasm';
if (backendArg !== 'wasm' && backendArg !== 'js') {
  console.error(`bench: --backend must be wasm or js, got ${JSON.stringify(backendArg)}`);
  process.exit(2);
}
const backend: 'wasm' | 'js' = backendArg;
const positional = args.filter((a, i) => !a.startsWith('-') && i !== at + 1);
const steps = Number(positional[0] ?? 3000);
if (!Number.isInteger(steps) || steps < 1) {
  console.error(`bench: the step count must be a positive integer, got ${positional[0]}`);
  process.exit(2);
}
const path = namesPath();
const words = path ? readWords(path).words : bundledNames().words;
/** The machine's load average (1, 5, 15 min): other jobs on the cores change every figure. */
const load = () =>
  ` (load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')})`;

/** Median steps/s of three timed runs of `steps` after a warm-up (the lecture MLP, as `lmp train` prepares it). */
function measure(capture: boolean): { median: number; runs: number[]; backend: string } {
  const run = prepareRun({ family: 'mlp', words, run: { steps: 200 + 3 * steps }, backend });
  const trainer = run.createTrainer({ capture });
  trainer.runSlice({ maxSteps: 200 }); // warm-up (JIT; the capture)
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const progress = trainer.runSlice({ maxSteps: steps });
    runs.push(progress.losses.length / progress.seconds);
  }
  runs.sort((a, b) => a - b);
  return { median: runs[1], runs, backend: run.backend };
}

console.log(`data: ${path ?? 'bundled names'}`);
const rows: [string, number][] = [];
for (const capture of [false, true]) {
  const m = measure(capture);
  const label = `${m.backend}, ${capture ? 'captured' : 'eager'}`;
  rows.push([label, m.median]);
  console.log(
    `lecture MLP, batch 32, ${label}: ${m.runs.map((r) => r.toFixed(0)).join(' / ')} steps/s (median ${m.median.toFixed(0)}; 200,000 steps ≈ ${(200_000 / m.median).toFixed(0)} s)${load()}`,
  );
}

const root = repoRoot();
const torchScript = root === null ? '' : resolve(root, '../shared/bench/torch_mlp.py');
const python = '/usr/bin/python3';
if (!existsSync(python) || !existsSync(torchScript)) {
  console.log('(PyTorch comparison skipped: no /usr/bin/python3 or ../shared/bench/torch_mlp.py)');
} else {
  const torchArgs = [torchScript, '--mode', 'speed', '--batch', '32', '--threads', '1'];
  if (path) torchArgs.push('--names', path);
  const torch = spawnSync(python, torchArgs, {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  const rate = Number(/steps_per_s ([\d.]+)/.exec(torch.stdout ?? '')?.[1]);
  if (torch.status !== 0 || !Number.isFinite(rate)) {
    console.log(
      `(PyTorch comparison failed: ${`${torch.stderr ?? ''}`.trim().split('\n').at(-1) ?? torch.error?.message})`,
    );
  } else {
    console.log(`PyTorch 1 thread, batch 32: ${rate.toFixed(0)} steps/s${load()}`);
    for (const [label, ours] of rows)
      console.log(`  ${label}: ×${(ours / rate).toFixed(2)} PyTorch`);
  }
}
