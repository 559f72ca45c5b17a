#!/usr/bin/env node
// Line budgets, one per package and app, checked in CI (`.ci/run`, after lint). What counts: lines
// of TypeScript (.ts, .tsx) under the package's src/, doc comments included, tests excluded
// (`*.test.ts(x)`, and src/e2e/, the web app's end-to-end harness). Exits 1 when one is over,
// saying by how much. A package past its budget is usually duplicating something: look for it
// before raising the number, and when raising it, change the reason here and in the README.
//
//   node tools/line-budget.mjs           the table, and exit 1 when over
//   node tools/line-budget.mjs --json    the counts as JSON
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Budget, and why that number (repeated in each README's "Line budget"). */
const BUDGETS = {
  'packages/core': [
    2400,
    'the micrograd Value engine, the expression parser, the two random generators (PyTorch, numpy): 2,072 today',
  ],
  'packages/data': [
    2000,
    'words, tokenizer, splits, contexts and sequence datasets, fetch with limits, moons: 1,653 today',
  ],
  'packages/tensor': [
    8000,
    'a tensor with autograd, ~60 ops with their backward passes, js and wasm kernels, graph capture: 7,264 today',
  ],
  'packages/nn': [
    3300,
    'Module with parameters and buffers, layers, losses, 3 optimizers, the schedulers: 2,944 today',
  ],
  'packages/makemore': [
    6000,
    'checkpoints and sampling ~2,200, trainer/tasks/families ~1,600, models ~500; a lecture adds a family (100–200), not a loop',
  ],
  'apps/cli': [
    5600,
    'commands, flags and printing over makemore: 5,453 today, to fall (~1,500) when train uses the Trainer and charts use Plot',
  ],
  'apps/web': [
    9500,
    'about 10 pages of schema + session + views, the session worker, the chart kit: 9,018 today, to fall with the session port',
  ],
};

function countLines(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'e2e' && entry.name !== 'node_modules') total += countLines(path);
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      const text = readFileSync(path, 'utf8');
      total += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    }
  }
  return total;
}

const rows = Object.entries(BUDGETS).map(([name, [budget, why]]) => ({
  name,
  lines: countLines(join(root, name, 'src')),
  budget,
  why,
}));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  for (const { name, lines, budget } of rows) {
    const over = lines - budget;
    console.log(
      `${over > 0 ? 'OVER' : 'ok  '} ${name.padEnd(18)} ${String(lines).padStart(6)} of ${String(budget).padStart(6)} lines${over > 0 ? ` (${over} over: remove duplication, or raise the budget in tools/line-budget.mjs with a reason)` : ''}`,
    );
  }
}
process.exit(rows.some((r) => r.lines > r.budget) ? 1 : 0);
