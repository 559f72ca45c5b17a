import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { chromiumArgs, chromiumPath } from './apps/web/src/e2e/chromium.js';

// One run over every package: cross-package imports resolve through each package's `exports` map
// to its built `dist/`, exactly as users see them, so `pnpm test` builds first (turbo) and then
// runs this. Three groups, one after the other:
// 0. `unit`: the unit tests in Node, in parallel; `unit-wasm`: tensor, nn and makemore again on the
//    WebAssembly backend (LMP_BACKEND=wasm).
// 1. `e2e`: the web app's end-to-end tests (Node driving the built app in real Chromium), one file
//    at a time: they measure main-thread long tasks, so they must not share the CPU.
// 2. `browser`: Vitest's browser mode, the web app's `*.browser.test.{ts,tsx}` files imported
//    straight into Chromium (real module Workers, canvas, SVG, WASM), one file at a time.
//    Included only where Debian's Chromium is installed (`.ci/run` installs it with apt), so a
//    machine without it still passes.
// Under CI a JSON report covering all three is written for `.ci/run`'s "N passed, N failed" line.
const e2e = 'apps/web/src/**/*.e2e.test.ts';
const web = 'apps/web';
const browserTests = `${web}/src/**/*.browser.test.{ts,tsx}`;

/**
 * The browser-mode project. `@vitest/browser-playwright` is a devDependency of the web app (its
 * only user); it is resolved as vitest's own (optional) peer first, so that it drives this very
 * vitest instance rather than a second copy pnpm may have linked for the web app.
 */
async function browserProject(): Promise<TestProjectInlineConfiguration> {
  const fromRoot = createRequire(import.meta.url);
  const resolve = (from: string) => {
    try {
      return createRequire(from).resolve('@vitest/browser-playwright');
    } catch {
      return undefined;
    }
  };
  const entry =
    resolve(fromRoot.resolve('vitest/package.json')) ??
    createRequire(new URL('./apps/web/package.json', import.meta.url)).resolve(
      '@vitest/browser-playwright',
    );
  const { playwright } = (await import(
    pathToFileURL(entry).href
  )) as typeof import('./apps/web/node_modules/@vitest/browser-playwright');
  return {
    extends: true,
    // The web app's folder is this project's Vite root: its dependencies resolve from there.
    root: web,
    // The web app's Vite settings that matter in the dev server: its data and makemore imports
    // pick their browser builds (no node:fs), and JSX compiles through apps/web/tsconfig.json
    // (`jsx: react-jsx`, `jsxImportSource: preact`), the tsconfig nearest to each file.
    resolve: { conditions: ['browser', 'import', 'module', 'default'] },
    worker: { format: 'es' },
    // Pre-bundle the app's dependencies up front: one discovered mid-run (the Graphviz worker's,
    // for instance) makes Vite reload the page under a running test.
    optimizeDeps: {
      include: [
        'preact',
        'preact/hooks',
        'preact/jsx-runtime',
        'preact/jsx-dev-runtime',
        '@preact/signals',
        'uplot',
        '@observablehq/plot',
        '@hpcc-js/wasm-graphviz',
      ],
    },
    test: {
      name: 'browser',
      include: ['src/**/*.browser.test.{ts,tsx}'],
      fileParallelism: false,
      testTimeout: 60_000,
      retry: 2,
      sequence: { groupOrder: 2 },
      browser: {
        enabled: true,
        headless: true,
        provider: playwright({
          launchOptions: {
            executablePath: chromiumPath,
            args: [...chromiumArgs],
          },
        }),
        instances: [{ browser: 'chromium' }],
        screenshotFailures: false,
      },
    },
  };
}

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
          exclude: [e2e, browserTests, '**/node_modules/**', '**/dist/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The tensor, nn and makemore suites again with every op on the WebAssembly backend
        // (\`LMP_BACKEND\` is read by @llm-playground/tensor at start-up; where wasm cannot load it
        // warns once and these run on js). Beside \`unit\` in the same group.
        extends: true,
        test: {
          name: 'unit-wasm',
          include: [
            'packages/tensor/src/**/*.test.ts',
            'packages/nn/src/**/*.test.ts',
            'packages/makemore/src/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**'],
          env: { LMP_BACKEND: 'wasm' },
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
          // Timing checks (no main-thread long task while training) can trip on a busy machine:
          // a failing test gets two more tries before it counts as failed.
          retry: 2,
          sequence: { groupOrder: 1 },
        },
      },
      ...(existsSync(chromiumPath) ? [await browserProject()] : []),
    ],
  },
});
