import { defineConfig } from 'tsup';

export default defineConfig({
  // `browser` is the same API with the Node-only readers replaced by explanatory stubs.
  entry: ['src/index.ts', 'src/browser.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Inline the bundled names' JSON (about 70 KB) instead of reading it from the stdlib packages at
  // run time: one code path for Node and browsers.
  noExternal: [/^@stdlib\/datasets-.*\/data\/names\.json$/],
});
