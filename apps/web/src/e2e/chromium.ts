/**
 * How the tests start Chromium, in one place for the end-to-end harness and for Vitest's browser
 * mode (the root `vitest.config.ts`). No imports: the config loads this file directly.
 */

/** Debian's Chromium (installed by `.ci/run` with apt); never a Playwright-downloaded browser. */
export const chromiumPath = '/usr/bin/chromium';

/** The flags verified on these machines (NOTES-WEB.md); `--no-sandbox` because CI runs as root. */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
