import { defineConfig } from 'vitest/config';

// One run over every package: cross-package imports resolve through each
// package's `exports` map to its built `dist/`, exactly as users see them, so
// `pnpm test` builds first (turbo) and then runs this. Under CI a JSON report is
// also written for `.ci/run`'s "N passed, N failed" line.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.ci/results.json' }]]
      : ['default'],
  },
});
