import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { describeDocExamples } from '../../../tools/doc-examples.js';
import * as data from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

describeDocExamples({
  srcDir: here,
  // The examples use core's Generator for seeds, as users do.
  exports: { ...data, Generator },
  minExamples: 25,
  readme: join(here, '..', 'README.md'),
});
