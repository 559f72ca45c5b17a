// Runs the README's "## Example" section and checks that the README shows exactly what it prints.
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as tokenizer from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const sections = [
  ...readme.matchAll(/^## (Example[^\n]*)\n\n```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/gm),
];

describe('README', () => {
  it('has its example', () => {
    expect(sections.map((section) => section[1])).toEqual(['Example']);
  });

  for (const [, title, code, printed] of sections) {
    it(`"${title}" prints what the README says`, async () => {
      const lines: string[] = [];
      const print = (...args: unknown[]) => {
        lines.push(...format(...args).split('\n'));
      };
      const scope: Record<string, unknown> = { ...tokenizer, console: { log: print } };
      const body = ts.transpileModule(code.replace(/^import .*$/gm, ''), {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      }).outputText;
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
      const log = console.log;
      console.log = print; // `train(..., { verbose: true })` prints with the global console
      try {
        await new AsyncFunction(...Object.keys(scope), body)(...Object.values(scope));
      } finally {
        console.log = log;
      }
      expect(lines).toEqual(printed.trimEnd().split('\n'));
    }, 60_000);
  }
});
