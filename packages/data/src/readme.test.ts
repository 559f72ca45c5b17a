// Runs every "## Example…" section of the README and checks that the README shows exactly what it
// prints. The code may use top-level await (examples.test.ts checks the first, synchronous one too).
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { Generator } from '@llm-playground/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as data from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const sections = [
  ...readme.matchAll(/^## (Example[^\n]*)\n\n```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/gm),
];

async function run(code: string): Promise<string[]> {
  const printed: string[] = [];
  const scope: Record<string, unknown> = {
    ...data,
    Generator,
    console: { log: (...args: unknown[]) => printed.push(format(...args)) },
  };
  const body = ts.transpileModule(code.replace(/^import .*$/gm, ''), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction(...Object.keys(scope), body)(...Object.values(scope));
  return printed;
}

describe('README examples', () => {
  it('has the moons and the words examples', () => {
    expect(sections.map((section) => section[1])).toEqual([
      'Example',
      'Example: words → tokenizer → contexts',
    ]);
  });

  for (const [, title, code, printed] of sections) {
    it(`"${title}" prints what the README says`, async () => {
      expect(await run(code)).toEqual(printed.trimEnd().split('\n'));
    });
  }
});
