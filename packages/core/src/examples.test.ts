import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeDocExamples } from '../../../tools/doc-examples.js';
import * as core from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

describeDocExamples({
  srcDir: here,
  exports: core,
  minExamples: 40,
  readme: join(here, '..', 'README.md'),
});
