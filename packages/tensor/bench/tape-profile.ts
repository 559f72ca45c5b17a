/**
 * Time per tape entry of the captured lecture-MLP step (where a replay spends its time):
 *   npx tsx bench/tape-profile.ts [batch] [replays] [--relaxed]
 * Prints each recorded kernel call with its median µs over the replays, and the total.
 */
import { setFlagsFromString } from 'node:v8';
import { Generator } from '@llm-playground/core';
import * as engine from '../src/index.js';
import { arange, noGrad, randint, randn, type Tensor } from '../src/index.js';

if (process.argv.includes('--relaxed')) setFlagsFromString('--experimental-wasm-relaxed-simd');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const batch = Number(args[0] ?? 256);
const replays = Number(args[1] ?? 400);
engine.setBackend('wasm');
const g = new Generator(1);
const C = randn([27, 10], { generator: g, requiresGrad: true });
const W1 = randn([30, 200], { generator: g, requiresGrad: true });
const b1 = randn([200], { generator: g, requiresGrad: true });
const W2 = randn([200, 27], { generator: g, requiresGrad: true });
const b2 = randn([27], { generator: g, requiresGrad: true });
const params = [C, W1, b1, W2, b2];
const X = randint(0, 27, [batch, 3], { generator: g });
const Y = randint(0, 27, [batch], { generator: g });
const step = engine.captureStep(() => {
  engine.zeroGrad(params);
  const h = C.index(X).view(-1, 30).matmul(W1).add(b1).tanh();
  const loss = h.matmul(W2).add(b2).logSoftmax(1).index(arange(batch), Y).mean().neg();
  loss.backward();
  noGrad(() => {
    for (const p of params) p.sub_(p.grad as Tensor, { alpha: 0.01 });
  });
}, []);
// biome-ignore lint/suspicious/noExplicitAny: reaching into the tape for profiling.
const entries = (step as any).entries as {
  fn: (...a: unknown[]) => unknown;
  args: unknown[];
  name: string;
}[];
const times = entries.map(() => [] as number[]);
for (let r = 0; r < replays; r++) {
  for (let e = 0; e < entries.length; e++) {
    const t0 = performance.now();
    entries[e].fn(...entries[e].args);
    times[e].push(performance.now() - t0);
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let total = 0;
for (let e = 0; e < entries.length; e++) {
  const us = med(times[e]) * 1000;
  total += us;
  const a = entries[e].args;
  const shape =
    entries[e].name === 'matmul'
      ? ` M${a[0]} N${a[1]} K${a[2]} s(${a[5]},${a[6]})(${a[9]},${a[10]}) acc ${a[13]}`
      : ` ${a
          .filter((x) => typeof x === 'number' || typeof x === 'string' || Array.isArray(x))
          .map((x) => JSON.stringify(x))
          .join(' ')
          .slice(0, 80)}`;
  console.log(`${us.toFixed(1).padStart(7)} µs  ${entries[e].name}${shape}`);
}
console.log(`total ${total.toFixed(1)} µs  (${(1e6 / total).toFixed(0)} steps/s)`);
