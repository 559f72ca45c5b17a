import { defineConfig } from 'vitest/config';

// One run over every package: cross-package imports resolve through each package's `exports` map
// to its built `dist/`, exactly as users see them, so `pnpm test` builds first (turbo) and then
// runs this. Two groups: the unit tests (in parallel), then the web app's end-to-end tests in real
// Chromium, one file at a time (they measure main-thread long tasks, so they must not share the
// CPU with each other or with the unit tests). Under CI a JSON report is also written for
// `.ci/run`'s "N passed, N failed" line.
const e2e = 'apps/web/src/**/*.e2e.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.ci/results.json' }]]
      : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          exclude: [e2e, '**/node_modules/**', '**/dist/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: [e2e],
          fileParallelism: false,
          testTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
