import { defineConfig } from 'tsup';

// Two entries: the `lmp` binary (its `#!/usr/bin/env node` line is kept by esbuild and tsup marks
// the file executable) and the programmatic API. Dependencies stay external (resvg is native).
export default defineConfig({
  entry: ['src/main.ts', 'src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
