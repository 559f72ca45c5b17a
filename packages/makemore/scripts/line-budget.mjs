#!/usr/bin/env node
// The line budgets of the packages this redesign touched (see each README's "Line budget"):
// lines of TypeScript under src/, tests excluded, doc comments included. Exits 1 when a package is
// over its budget, printing by how much. Run from anywhere: `node packages/makemore/scripts/line-budget.mjs`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUDGETS = { nn: 3300, makemore: 6000 };

function countLines(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) total += countLines(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
      total += readFileSync(path, 'utf8').split('\n').length - 1;
    }
  }
  return total;
}

let over = false;
for (const [name, budget] of Object.entries(BUDGETS)) {
  const lines = countLines(join(packages, name, 'src'));
  const ok = lines <= budget;
  over ||= !ok;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${name}: ${lines} of ${budget} lines${ok ? '' : ` (${lines - budget} over)`}`,
  );
}
process.exit(over ? 1 : 0);
