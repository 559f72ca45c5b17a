/**
 * Docs are examples and examples are tested: `describeDocExamples` runs a package README's
 * example and every TSDoc `@example` in its `src/`, and checks what they claim. Each package's
 * `examples.test.ts` calls it.
 *
 * In a TSDoc example, a line `expression; // expected` asserts the expression's value: `expected`
 * is a JavaScript literal (numbers compared to 12 significant digits), `literal...` (the value
 * printed starts with it), `≈ literal` (numbers within 1e-6), or `throws Name` (an error of that
 * class). `console.log(...); // text` asserts the printed text; a `console.log(...)` followed by
 * comment lines asserts them as the printed lines. Other lines just run.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Strips TypeScript types so that the example runs as JavaScript. */
function toJavaScript(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
}

/** Runs `code` with every export of the package in scope and `console.log` captured. */
function run(
  exports: Record<string, unknown>,
  code: string,
  helpers: Record<string, unknown> = {},
): string[] {
  const printed: string[] = [];
  const scope: Record<string, unknown> = {
    ...exports,
    ...helpers,
    // One entry per printed line, so a multi-line print (a tensor that wraps) matches README lines.
    console: { log: (...args: unknown[]) => printed.push(...format(...args).split('\n')) },
  };
  const body = toJavaScript(code.replace(/^import .*$/gm, ''));
  new Function(...Object.keys(scope), body)(...Object.values(scope));
  return printed;
}

function closeTo(actual: unknown, expected: unknown, tolerance: (e: number) => number): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return Object.is(actual, expected) || Math.abs(actual - expected) <= tolerance(expected);
  }
  if (Array.isArray(expected) || ArrayBuffer.isView(actual)) {
    const a = Array.from(actual as ArrayLike<unknown>);
    const e = expected as unknown[];
    return a.length === e.length && e.every((x, i) => closeTo(a[i], x, tolerance));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((k) =>
        closeTo(
          (actual as Record<string, unknown>)[k],
          (expected as Record<string, unknown>)[k],
          tolerance,
        ),
      )
    );
  }
  return Object.is(actual, expected);
}

/** Asserts one `expression; // expected` line. */
function check(compute: () => unknown, expected: string): void {
  if (expected.startsWith('throws ')) {
    expect(compute).toThrow(expect.objectContaining({ name: expected.slice(7) }));
    return;
  }
  const actual = compute();
  if (expected.endsWith('...')) {
    expect(String(actual).startsWith(expected.slice(0, -3).replace(/^'/, ''))).toBe(true);
    return;
  }
  const approximate = expected.startsWith('≈');
  const literal = new Function(`return (${approximate ? expected.slice(1) : expected});`)();
  const tolerance = approximate ? () => 1e-6 : (e: number) => 1e-12 * Math.max(1, Math.abs(e));
  if (!closeTo(actual, literal, tolerance)) {
    expect.fail(`expected ${format(actual)} to be ${expected}`);
  }
}

/** Turns the asserting lines of an example into calls of `__check` and `__log`. */
function instrument(example: string): string {
  const lines = example.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const logged = /^console\.log\((.*)\);\s*(?:\/\/\s*(.*))?$/.exec(line);
    if (logged) {
      let expected = logged[2];
      if (expected === undefined) {
        const block: string[] = [];
        while (i + 1 < lines.length && /^\/\/ ?/.test(lines[i + 1]))
          block.push(lines[++i].replace(/^\/\/ ?/, ''));
        expected = block.join('\n');
      }
      out.push(`__log(${JSON.stringify(expected)}, ${logged[1]});`);
      continue;
    }
    const asserted = /^((?:new |\(|\[|[\w.]+\s*[([.]|[\w.]+;).*?);\s*\/\/\s*(.+)$/.exec(line);
    if (asserted && !/^(const|let|var|if|for|return)\b/.test(line)) {
      const code = asserted[1].replace(/;$/, '');
      out.push(`__check(() => (${code}), ${JSON.stringify(asserted[2].trim())});`);
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

const log = (expected: string, ...args: unknown[]) => {
  expect(format(...args).trimEnd()).toBe(expected.trimEnd());
};

export interface DocExamplesOptions {
  /** The package's `src` folder (every non-test `.ts` file in it is scanned). */
  srcDir: string;
  /** What the examples may use: the package's exports. */
  exports: Record<string, unknown>;
  /** At least this many `@example` blocks must be found (guards against a broken scan). */
  minExamples: number;
  /** The README whose `## Example` code block and following `text` block are checked. */
  readme?: string;
  /** Source files (paths relative to `srcDir`) whose examples are not run here. */
  exclude?: (file: string) => boolean;
}

/** Registers the tests: the README example prints what it says; each TSDoc example holds. */
export function describeDocExamples(options: DocExamplesOptions): void {
  const { srcDir, exports } = options;
  if (options.readme) {
    const readmePath = options.readme;
    describe('README', () => {
      it('prints exactly what the README says', () => {
        const readme = readFileSync(readmePath, 'utf8');
        const example = /## Example\n\n```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(
          readme,
        );
        expect(example).not.toBeNull();
        const [, code, printed] = example!;
        expect(run(exports, code)).toEqual(printed.trimEnd().split('\n'));
      });
    });
  }
  describe('TSDoc @example blocks', () => {
    const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !options.exclude?.(f),
    );
    let count = 0;
    for (const file of files) {
      const source = readFileSync(join(srcDir, file), 'utf8');
      const blocks = [
        ...source.matchAll(/@example\n((?:\s*\*.*\n)*?)\s*\*\/|@example\n([\s\S]*?)\*\//g),
      ];
      for (const [index, block] of blocks.entries()) {
        const code = /```ts\n([\s\S]*?)```/.exec(block[0].replace(/^\s*\* ?/gm, ''));
        if (!code) continue;
        count++;
        it(`${file} example ${index + 1}`, () => {
          run(exports, instrument(code[1]), { __check: check, __log: log });
        });
      }
    }
    it('found the examples', () => {
      expect(count).toBeGreaterThanOrEqual(options.minExamples);
    });
  });
}
