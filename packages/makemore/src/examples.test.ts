import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { getBackend, tensor } from '@llm-playground/tensor';
import { BasicTokenizer } from '@llm-playground/tokenizer';
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
    BasicTokenizer,
  },
  minExamples: 20,
  // The README prints the js backend's numbers. The wasm backend sums matmuls in another order, so
  // float32 rounding differs and 3,000 training steps end elsewhere (dev loss 2.9245 instead of
  // 2.9371, other samples): both are right, only one can be printed. The TSDoc examples run on both.
  readme: getBackend().name === 'js' ? join(here, '..', 'README.md') : undefined,
});
