import { defineConfig } from 'tsup';

export default defineConfig({
  // `ranks` loads js-tiktoken's rank tables with a dynamic import, so they are their own chunks
  // and a page that only trains a BPE never downloads them.
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
