import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/micro/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Module.toString() prints class names (`Linear(…)`): keep them when the bundler renames
  // colliding identifiers (micro's `Module`/`SGD` and the tensor ones share names).
  keepNames: true,
});
