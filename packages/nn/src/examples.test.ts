import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import * as tensorPackage from '@llm-playground/tensor';
import { describeDocExamples } from '../../../tools/doc-examples.js';
import * as nn from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

// micro's (scalar nn) examples use the same names (`Module`, `SGD`, `crossEntropy`) for different
// things and are written for reading, so this run skips `micro/`.
describeDocExamples({
  srcDir: here,
  exports: { ...tensorPackage, Generator, ...nn, ...nn.F, ...nn.init },
  minExamples: 30,
  readme: join(here, '..', 'README.md'),
  exclude: (file) => /^micro[/\\]/.test(file),
});
