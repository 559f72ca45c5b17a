import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { getBackend, tensor } from '@llm-playground/tensor';
import { describeDocExamples } from '../../../../tools/doc-examples.js';
import { MinibatchSampler } from '../tasks/minibatch-sampler.js';
import * as manualBackprop from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

// The TSDoc examples of this folder (makemore's examples.test.ts runs them too, through the
// package's exports) and this folder's README, whose float32 table is the js backend's (wasm's
// matmul sums in another order: other last bits, other maxdiffs).
describeDocExamples({
  srcDir: here,
  exports: {
    ...manualBackprop,
    Generator,
    CharTokenizer,
    bundledNames,
    buildContexts,
    splitWords,
    tensor,
    MinibatchSampler,
  },
  minExamples: 7,
  readme: getBackend().name === 'js' ? join(here, 'README.md') : undefined,
});
