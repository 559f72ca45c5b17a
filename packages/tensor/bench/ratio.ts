/**
 * Ours against PyTorch on a busy machine: the lecture MLP's captured wasm step (1 thread, relaxed
 * SIMD when available) and ../shared/bench/torch_mlp.py (1 thread) timed in alternation, `pairs`
 * times per batch size; prints each pair's ratio and the median. Load from other jobs moves both
 * sides of a pair alike, so the median ratio is steadier than one long run of each.
 *   npx tsx bench/ratio.ts [pairs=7] [batches=32,256] [--cpu]
 * `--cpu` compares CPU time per step instead of wall time (process CPU of torch_mlp.py for 1,200
 * minus 200 timed steps, against this process's CPU over our steps): time slices lost to other
 * jobs then count for neither side, which steadies the ratio on a machine with more runnable
 * jobs than cores (it still includes what sharing a core's caches costs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Generator } from '@llm-playground/core';
import * as engine from '../src/index.js';
import { arange, noGrad, randint, randn, type Tensor } from '../src/index.js';
import { wasmFeatures } from '../src/kernels/wasm/index.js';

if (!wasmFeatures().relaxedSimd) setFlagsFromString('--experimental-wasm-relaxed-simd');
const cpu = process.argv.includes('--cpu');
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const pairs = Number(positional[0] ?? 7);
const batches = (positional[1] ?? '32,256').split(',').map(Number);
const script = resolve(import.meta.dirname, '../../../../shared/bench/torch_mlp.py');
if (!existsSync(script) || !existsSync('/usr/bin/python3')) {
  console.log(`PyTorch reference not found (${script}, /usr/bin/python3)`);
  process.exit(0);
}
engine.setBackend('wasm');

function ours(batch: number, seconds: number): number {
  const g = new Generator(2147483647);
  const C = randn([27, 10], { generator: g, requiresGrad: true });
  const W1 = randn([30, 200], { generator: g, requiresGrad: true });
  const b1 = randn([200], { generator: g, requiresGrad: true });
  const W2 = randn([200, 27], { generator: g, requiresGrad: true });
  const b2 = randn([27], { generator: g, requiresGrad: true });
  const params = [C, W1, b1, W2, b2];
  const N = 182625;
  const X = randint(0, 27, [N, 3], { generator: g });
  const Y = randint(0, 27, [N], { generator: g });
  const stepFn = (Xb: Tensor, Yb: Tensor) => {
    engine.zeroGrad(params);
    const h = C.index(Xb).view(-1, 30).matmul(W1).add(b1).tanh();
    const loss = h.matmul(W2).add(b2).logSoftmax(1).index(arange(batch), Yb).mean().neg();
    loss.backward();
    noGrad(() => {
      for (const p of params) p.sub_(p.grad as Tensor, { alpha: 0.1 });
    });
    return loss;
  };
  const ix0 = randint(0, N, [batch], { generator: g });
  const step = engine.captureStep(stepFn, [X.index(ix0), Y.index(ix0)]);
  const run = () =>
    engine.tidy(() => {
      const ix = randint(0, N, [batch], { generator: g });
      step.replay(X.index(ix), Y.index(ix));
    });
  for (let i = 0; i < 100; i++) run();
  let calls = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - start < seconds * 1000) {
    run();
    calls++;
  }
  const used = process.cpuUsage(cpu0);
  const rate = cpu
    ? calls / ((used.user + used.system) / 1e6)
    : calls / ((performance.now() - start) / 1000);
  step.dispose();
  return rate;
}

function torch(batch: number, steps: number): number {
  const args = ['--mode', 'speed', '--batch', String(batch), '--threads', '1'];
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  if (!cpu) {
    const text = execFileSync('/usr/bin/python3', [script, ...args, '--steps', String(steps)], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return Number(/steps_per_s\D*([\d.]+)/.exec(text)?.[1]);
  }
  // The script's CPU time for `steps` and for 200 timed steps: the difference is the steps alone.
  const cpuFor = (n: number) => {
    const wrapper = `import runpy, sys, time; sys.argv = ${JSON.stringify([script, ...args, '--steps', String(n)])}; runpy.run_path(sys.argv[0], run_name='__main__'); print('cpu_s', time.process_time())`;
    const text = execFileSync('/usr/bin/python3', ['-c', wrapper], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return Number(/cpu_s ([\d.]+)/.exec(text)?.[1]);
  };
  return (steps - 200) / (cpuFor(steps) - cpuFor(200));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`${cpu ? 'CPU time' : 'wall time'} per step; load average ${load()}`);
for (const batch of batches) {
  const ratios: number[] = [];
  const rows: string[] = [];
  for (let p = 0; p < pairs; p++) {
    const t = torch(batch, batch >= 256 ? 800 : 3000);
    const o = ours(batch, 0.6);
    ratios.push(o / t);
    rows.push(`${o.toFixed(0)}/${t.toFixed(0)}`);
  }
  console.log(
    `batch ${batch}: ours/torch steps/s ${rows.join(', ')}; ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}; median ${median(ratios).toFixed(2)}×`,
  );
}
console.log(`load average ${load()}`);
