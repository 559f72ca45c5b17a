import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { tensor } from '@llm-playground/tensor';
import { describeDocExamples } from '../../../tools/doc-examples.js';
import * as makemore from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

describeDocExamples({
  srcDir: here,
  exports: {
    ...makemore,
    mkdtempSync,
    tmpdir,
    join,
    Generator,
    CharTokenizer,
    bundledNames,
    buildContexts,
    splitWords,
    tensor,
  },
  minExamples: 20,
  readme: join(here, '..', 'README.md'),
});
