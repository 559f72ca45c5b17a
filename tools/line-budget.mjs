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
    2300,
    'words and texts (the bundled book, readText with the same limits), tokenizer, splits, contexts and sequence datasets, fetch with limits, moons and the NumPy random stream: 2,139 today',
  ],
  'packages/tokenizer': [
    1400,
    "minbpe's two tokenizers with fast training, minbpe's files and JSON, the GPT split patterns for JavaScript, the real gpt2/cl100k ranks: ~1,210 today",
  ],
  'packages/tensor': [
    9800,
    'a tensor with autograd, ~60 ops with their backward passes, 25 kernel families in js and their wasm wrappers (fused layerNorm, gelu, batched matmul, strided copies for transformers), the wasm memory pool, tidy and captured steps, a worker pool that splits 13 kernels (matmul, batched matmul, softmax, layer norm, elementwise, Adam, strided copies; ~460, half TSDoc): 9,720 today (the wasm/ kernel sources are not counted)',
  ],
  'packages/nn': [
    4100,
    'Module with parameters, buffers and hooks, layers (BatchNorm1d, FlattenConsecutive, LayerNorm, Dropout, GELU, RNN/GRU cells, attention), losses, 3 optimizers, the schedulers: 3,931 today (about half TSDoc)',
  ],
  'packages/makemore': [
    11600,
    'the PyTorch export ~890 (of which ~680 are the generated model.py and train.py held as text), BPE tokens for the GPT ~170, checkpoints (a browser-safe codec, self-sufficient weights files), sampling and generation ~2,550, looking inside a model (attention, residual norms, hidden states) ~270, trainer/tasks/eleven families ~3,800 (the zoo and the GPT: ~1,150), diagnostics ~430, the part-4 manual-backprop exercise module ~1,100 (an exercise, not a family); a lecture adds a family (100–300), not a loop',
  ],
  'apps/cli': [
    7150,
    'nine commands and the tokenize group (train, encode, decode, --compare ~350) (generate streams text; eval and sample also take text models), --threads and FMA on the wasm backend for the six tensor commands (~190), flags from the family schemas, printing, signals and periodic saves, seven Plot pictures (the diagnostics figure): ~6,030 today (train is on the Trainer; what remains is what a terminal shows)',
  ],
  'apps/web': [
    17000,
    '16 pages (schema + session + views), the one session worker, the training worker of the tokenizer page, the chart components, the graph view with zoom and the collapsed view: ~16,830 today; a new page should cost 300–1,000 lines (the backprop exercise page is ~1,000 with its exercise data; the GPT and RNN pages share one language-model session kind, ~1,900 with their look-inside views, generation and checkpoint files)',
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
