/**
 * End-to-end harness: serves the built app (`apps/web/dist`) from a tiny static server on
 * 127.0.0.1 and drives Debian's Chromium through `playwright-core`. Every session gets its own
 * browser with a fresh user-data dir (no localStorage leaks between tests), collects page errors
 * and `console.error` messages, counts main-thread long tasks, and saves screenshots into
 * `apps/web/test-artifacts/` (git-ignored).
 *
 * Wrap e2e files in `describe.skipIf(!canRunBrowser)`: on a machine without Chromium or without a
 * build the tests skip instead of failing.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { canRunBrowser, openApp } from '../e2e/harness.js';
 *
 * describe.skipIf(!canRunBrowser)('bigram page', () => {
 *   it('loads without console errors', async () => {
 *     const app = await openApp('#/bigram');
 *     try {
 *       await app.page.getByRole('heading', { level: 1 }).waitFor();
 *       await app.screenshot('bigram');
 *       expect(app.errors).toEqual([]);
 *     } finally {
 *       await app.close();
 *     }
 *   });
 * });
 * ```
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

import { chromiumArgs, chromiumPath } from './chromium.js';

export { chromiumArgs, chromiumPath };

const webRoot = fileURLToPath(new URL('../../', import.meta.url));
const distDir = join(webRoot, 'dist');
const artifactsDir = join(webRoot, 'test-artifacts');

/** True when `/usr/bin/chromium` and `apps/web/dist/index.html` both exist. */
export const canRunBrowser: boolean =
  existsSync(chromiumPath) && existsSync(join(distDir, 'index.html'));

export interface AppSession {
  page: Page;
  /** Page errors and `console.error` messages so far (each prefixed with its kind). */
  errors: string[];
  /** Durations (ms) of main-thread long tasks (> 50 ms) since the document started loading. */
  longTasks(): Promise<number[]>;
  /** Saves a full-page screenshot as `apps/web/test-artifacts/<name>.png`; returns the path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The static server (one per test process, started on first use, never keeps the process alive)

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

let serverUrl: Promise<string> | null = null;

function startServer(): Promise<string> {
  const server: Server = createServer(async (request, response) => {
    try {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const relative = normalize(pathname === '/' ? '/index.html' : pathname);
      const file = resolve(distDir, `.${relative}`);
      // Never serve anything outside dist (`/../secret` after normalization).
      if (file !== distDir && !file.startsWith(distDir + sep)) throw new Error('outside dist');
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': mimeTypes[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('not found');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    // Port 0: the OS picks a free port, so parallel test files never collide.
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolvePromise(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The browser (shared by the sessions of one test process)

let browser: Promise<Browser> | null = null;
let sessions = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

async function acquireBrowser(): Promise<Browser> {
  clearTimeout(idleTimer);
  sessions++;
  try {
    // chromium.launch gives the browser a fresh temporary user-data dir and removes it on close.
    browser ??= chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumArgs],
    });
    const current = await browser;
    if (current.isConnected()) return current;
    browser = chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumArgs],
    });
    return await browser;
  } catch (error) {
    sessions--;
    browser = null;
    throw error;
  }
}

/** Closes the browser shortly after the last session (the next test file usually opens one soon). */
function releaseBrowser(): void {
  sessions--;
  if (sessions > 0) return;
  const closing = browser;
  idleTimer = setTimeout(() => {
    if (sessions > 0 || browser !== closing) return;
    browser = null;
    void closing?.then((b) => b.close()).catch(() => undefined);
  }, 1000);
  idleTimer.unref(); // never keeps the test process alive; Playwright kills the browser on exit
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** Installed before any page script runs: records every long task, including buffered ones. */
function installLongTaskObserver() {
  const store: number[] = [];
  (window as unknown as { __longTasks: number[] }).__longTasks = store;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) store.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // Browsers without the Long Tasks API report none.
  }
}

function toUrlHash(hash: string): string {
  if (hash === '' || hash === '#') return '#/';
  // '#/mlp', or '?backend=js#/mlp' (a search before the hash: the worker's backend).
  if (hash.startsWith('#') || hash.startsWith('?')) return hash;
  return hash.startsWith('/') ? `#${hash}` : `#/${hash}`;
}

/**
 * Opens the built app at `hash` (`'#/mlp?lr=0.1'`; `'mlp'` and `''` work too) in a fresh headless
 * Chromium and waits until the shell has rendered the page (`<main data-state>` is no longer
 * `loading`: the page's chunk loaded and rendered, or the "no such page" message is shown).
 */
export async function openApp(
  hash: string,
  options: { width?: number; height?: number } = {},
): Promise<AppSession> {
  if (!canRunBrowser) {
    throw new Error(
      `openApp('${hash}'): needs ${chromiumPath} and a build in ${distDir} (run \`pnpm --filter @llm-playground/web build\`)`,
    );
  }
  serverUrl ??= startServer();
  const base = await serverUrl;
  const browser = await acquireBrowser();
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
  });
  const errors: string[] = [];
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    releaseBrowser();
  };
  try {
    await context.addInitScript(installLongTaskObserver);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    await page.goto(`${base}/${toUrlHash(hash)}`, { waitUntil: 'load' });
    await page.waitForSelector('main[data-state]:not([data-state="loading"])', {
      timeout: 20_000,
    });
    return {
      page,
      errors,
      longTasks: () =>
        page.evaluate(() => [...(window as unknown as { __longTasks: number[] }).__longTasks]),
      async screenshot(name) {
        mkdirSync(artifactsDir, { recursive: true });
        const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Where a value of an Observable Plot figure's x axis is on screen (client x), through the plot's
 * own x scale (`svg.scale('x')`, its domain and range in the SVG's pixels) and the SVG's CSS
 * scaling. `svg` is the plot's SVG.
 */
export async function plotXToClient(svg: Locator): Promise<(value: number) => number> {
  const { left, k, domain, range } = await svg.evaluate((root) => {
    const plot = root as SVGSVGElement & {
      scale(name: string): { domain: number[]; range: number[] };
    };
    const box = plot.getBoundingClientRect();
    const { domain, range } = plot.scale('x');
    return { left: box.left, k: box.width / plot.viewBox.baseVal.width, domain, range };
  });
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return (value) => left + k * (r0 + ((value - d0) / (d1 - d0)) * (r1 - r0));
}
