// The README's "## Diagnostics" example prints what the README says (the package's
// examples.test.ts checks only its "## Example"); the js backend's numbers, as there.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import * as core from '@llm-playground/core';
import * as data from '@llm-playground/data';
import { getBackend } from '@llm-playground/tensor';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as makemore from '../index.js';

const readme = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'),
  'utf8',
);

/** Runs `code` (TypeScript, imports dropped) with the packages' exports in scope; the printed lines. */
function run(code: string): string[] {
  const printed: string[] = [];
  const scope: Record<string, unknown> = {
    ...core,
    ...data,
    ...makemore,
    console: { log: (...args: unknown[]) => printed.push(...format(...args).split('\n')) },
  };
  const body = ts.transpileModule(code.replace(/^import [\s\S]*?from '[^']+';$/gm, ''), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  new Function(...Object.keys(scope), body)(...Object.values(scope));
  return printed;
}

describe.runIf(getBackend().name === 'js')('README: Diagnostics', () => {
  it('prints exactly what the README says', () => {
    const example =
      /## Diagnostics\n[\s\S]*?```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(readme);
    expect(example).not.toBeNull();
    const [, code, printed] = example as RegExpExecArray;
    expect(run(code)).toEqual(printed.trimEnd().split('\n'));
  }, 60_000);
});
