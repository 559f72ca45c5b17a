/**
 * The package's module graph has no cycle: a newcomer can read `src/` bottom-up (kernels → autograd →
 * tensor-core → ops → tensor → creation/random/…), and no module is ever evaluated half-initialised.
 * Type-only imports (`import type`, `export type`, or every name marked `type`) are erased by the
 * compiler and do not count: `autograd.ts` and `format.ts` name the `Tensor` type without loading it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from './index.js';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Every source file under `dir` (tests, benches and declaration files excluded). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    const isSource = /\.ts$/.test(entry.name) && !/\.(test|bench|d)\.ts$/.test(entry.name);
    return isSource ? [path] : [];
  });
}

/** One `import … from '…'`, `export … from '…'`, `import '…'` or `import('…')` statement. */
const STATEMENT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** True when every imported name of `{ type A, type B }` is type-only (the statement is erased). */
function allNamesAreTypes(clause: string): boolean {
  const braces = clause.match(/\{([^}]*)\}/);
  if (!braces || clause.replace(braces[0], '').replace(/[\s,]/g, '') !== '') return false;
  const names = braces[1]
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length > 0 && names.every((name) => name.startsWith('type '));
}

/** The relative specifiers a file loads at run time (type-only imports left out). */
export function runtimeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  for (const m of code.matchAll(STATEMENT)) {
    const specifier = m[4] ?? m[5] ?? m[6];
    const typeOnly = m[2] !== undefined || (m[3] !== undefined && allNamesAreTypes(m[3]));
    if (!typeOnly && specifier.startsWith('.')) specifiers.push(specifier);
  }
  return specifiers;
}

/** `./x.js` from `file` → the `.ts` file it names (or its `index.ts`), or null if not in `src/`. */
function resolveSpecifier(file: string, specifier: string): string | null {
  const target = resolve(dirname(file), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), `${target}.ts`, join(target, 'index.ts')];
  return candidates.find((path) => existsSync(path)) ?? null;
}

/** The first cycle found by depth-first search, as a path `a → b → … → a`, or null. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.get(node) === undefined) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

describe('module graph', () => {
  it('reads run-time imports and skips type-only ones', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import { type C, type D } from './c.js';",
      "import { type E, f } from './e.js';",
      'import {\n  g,\n  type H,\n} from "./g.js";',
      "export { i } from './i.js';",
      "export type { J } from './j.js';",
      "import './side-effect.js';",
      "import { Generator } from '@llm-playground/core';",
      "// import { k } from './commented-out.js';",
    ].join('\n');
    expect(runtimeImports(source)).toEqual([
      './a.js',
      './e.js',
      './g.js',
      './i.js',
      './side-effect.js',
    ]);
  });

  it('finds a cycle and prints its path, and passes an acyclic graph', () => {
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([...cyclic, ['c', ['d']]]))).toBeNull();
  });

  it('src/ has no import cycle', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(30);
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const edges = runtimeImports(readFileSync(file, 'utf8'))
        .map((specifier) => resolveSpecifier(file, specifier))
        .filter((target): target is string => target !== null);
      graph.set(
        relative(SRC, file),
        edges.map((target) => relative(SRC, target)),
      );
    }
    const cycle = findCycle(graph);
    expect(cycle === null ? 'no cycle' : `import cycle: ${cycle.join(' → ')}`).toBe('no cycle');
    // The op modules load the core class, never the module that installs the methods.
    for (const [file, edges] of graph) {
      if (file.startsWith('ops/')) expect(edges, file).not.toContain('tensor.ts');
    }
  });

  it('tensor.ts installs the op methods like class methods (non-enumerable, on the prototype)', () => {
    for (const name of ['add', 'sum', 'matmul', 'view', 'copy_', 'max', 'softmax', 'T']) {
      const descriptor = Object.getOwnPropertyDescriptor(Tensor.prototype, name);
      expect(descriptor?.enumerable, name).toBe(false);
      expect(typeof (descriptor?.value ?? descriptor?.get), name).toBe('function');
    }
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const ownFields = Object.keys(x);
    for (const key in x) expect(ownFields, `for…in sees ${key}`).toContain(key);
    expect(x.T.matmul(x).sum().item()).toBe(58); // [[10, 14], [14, 20]]
  });
});
