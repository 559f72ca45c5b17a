/**
 * Speed of the scalar autograd engine: building and backpropagating big graphs of `Value`s.
 *
 *   pnpm --filter @llm-playground/core bench
 *
 * Each workload runs once to warm up, then RUNS times; we report the median (these machines are
 * shared and noisy) and the fastest run. Targets: a 1,000,000-node graph built and backpropagated
 * in under 1.5 s; 50,000 rounds of `x = x*b + c` compared with Python micrograd's 0.55 s on the
 * same machines (/work/shared/REFERENCE.md, measured with Python's garbage collector on, as run).
 */

import { Value } from '../src/index.js';

const RUNS = 7;
const PYTHON_MICROGRAD_50K_SECONDS = 0.55;

interface Workload {
  name: string;
  /** Builds the graph, runs backward, returns [node count, a gradient to sanity-check]. */
  run: () => { nodes: number; grad: number; expected: number };
  targetMs?: number;
  referenceMs?: number;
}

/** `x = x*b + c`, `rounds` times: two op nodes per round, the leaves b and c shared. */
function affineChain(rounds: number) {
  const b = new Value(0.999);
  const c = new Value(0.001);
  let x = new Value(1);
  for (let i = 0; i < rounds; i++) x = x.mul(b).add(c);
  x.backward();
  // x_n = 1 for every n (x*0.999 + 0.001 keeps 1 fixed), and dx_n/dc = Σ 0.999^k = (1 - 0.999^n)/0.001.
  return { nodes: 2 * rounds + 3, grad: c.grad, expected: (1 - 0.999 ** rounds) / 0.001 };
}

/** `x = x + 1e-6`, `length` times: a number constant wrapped per op, so 2 Values per step. */
function constantChain(length: number) {
  const x0 = new Value(0.5);
  let x = x0;
  for (let i = 0; i < length; i++) x = x.add(1e-6);
  x.backward();
  return { nodes: 2 * length + 1, grad: x0.grad, expected: 1 };
}

const workloads: Workload[] = [
  { name: 'x = x*b + c, 500,000 rounds', run: () => affineChain(500_000), targetMs: 1500 },
  { name: 'x = x + 1e-6, 1,000,000 ops', run: () => constantChain(1_000_000), targetMs: 1500 },
  {
    name: 'x = x*b + c, 50,000 rounds',
    run: () => affineChain(50_000),
    referenceMs: PYTHON_MICROGRAD_50K_SECONDS * 1000,
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const rows: string[][] = [];
for (const w of workloads) {
  const check = w.run(); // warm-up, and a correctness check so the work cannot be skipped
  if (Math.abs(check.grad - check.expected) > 1e-6 * Math.max(1, Math.abs(check.expected))) {
    throw new Error(`${w.name}: gradient ${check.grad}, expected ${check.expected}`);
  }
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    w.run();
    times.push(performance.now() - t0);
  }
  const med = median(times);
  let verdict = '';
  if (w.targetMs !== undefined) {
    verdict = `< ${w.targetMs} ms: ${med < w.targetMs ? 'PASS' : 'FAIL'}`;
  } else if (w.referenceMs !== undefined) {
    verdict = `Python micrograd ${w.referenceMs} ms: ${(w.referenceMs / med).toFixed(1)}x faster`;
  }
  rows.push([
    w.name,
    check.nodes.toLocaleString('en-US'),
    med.toFixed(0),
    Math.min(...times).toFixed(0),
    verdict,
  ]);
}

const header = ['build + backward', 'nodes', 'median ms', 'min ms', 'target / reference'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) =>
  cells
    .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
    .join('  ');
console.log(
  `@llm-playground/core: Value graphs, median of ${RUNS} runs (Node ${process.version})\n`,
);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
