import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { Generator } from '@llm-playground/core';
import * as tensorPackage from '@llm-playground/tensor';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { describeDocExamples } from '../../../tools/doc-examples.js';
import * as nn from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const exports = { ...tensorPackage, Generator, ...nn, ...nn.F, ...nn.init };

// micro's (scalar nn) examples use the same names (`Module`, `SGD`, `crossEntropy`) for different
// things and are written for reading, so this run skips `micro/`.
describeDocExamples({
  srcDir: here,
  exports,
  minExamples: 30,
  readme: join(here, '..', 'README.md'),
  exclude: (file) => /^micro[/\\]/.test(file),
});

// The README's other examples (the WaveNet lecture's layers, makemore's transformer Block) print what
// the README says, too.
for (const heading of [
  "the WaveNet lecture's layers",
  "makemore's transformer Block and GRU cell",
]) {
  it(`README: the example "${heading}" prints what the README says`, () => {
    const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
    const example = new RegExp(
      `### Example: ${heading}[\\s\\S]*?\`\`\`ts\\n([\\s\\S]*?)\`\`\`[\\s\\S]*?\`\`\`text\\n([\\s\\S]*?)\`\`\``,
    ).exec(readme);
    expect(example).not.toBeNull();
    const [, code, expected] = example!;
    const printed: string[] = [];
    const console = { log: (...args: unknown[]) => printed.push(...format(...args).split('\n')) };
    const body = ts.transpileModule(code.replace(/^import [\s\S]*?;$/gm, ''), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    const scope: Record<string, unknown> = { ...exports, console };
    new Function(...Object.keys(scope), body)(...Object.values(scope));
    expect(printed).toEqual(expected.trimEnd().split('\n'));
  });
}
