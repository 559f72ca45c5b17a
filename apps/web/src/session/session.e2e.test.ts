/**
 * The training session outlives its page: start a run, visit another page, come back — the run
 * has gone on in its worker, and the page redraws its whole history from the session's log.
 */
import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../e2e/harness.js';

type App = Awaited<ReturnType<typeof openApp>>;

async function go(app: App, hash: string, pageId: string): Promise<void> {
  await app.page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await app.page.waitForSelector(`main[data-page="${pageId}"][data-state="ready"]`);
}

describe.skipIf(!canRunBrowser)('a training run across pages', () => {
  it('MLP: keeps training while the learner is on another page; the chart comes back whole', async () => {
    const app = await openApp('#/mlp?steps=100000&n-hidden=50');
    try {
      const page = app.page;
      const status = page.getByTestId('mlp-status');
      await page.getByTestId('mlp-info').waitFor();
      await page.getByRole('button', { name: 'Train' }).click();
      await expect
        .poll(async () => Number(await status.getAttribute('data-step')))
        .toBeGreaterThan(200);
      const before = Number(await status.getAttribute('data-step'));
      await go(app, '#/derivatives', 'derivatives');
      await page.waitForTimeout(1500);
      await go(app, '#/mlp?steps=100000&n-hidden=50', 'mlp');
      await expect.poll(() => status.getAttribute('data-status')).toBe('running');
      const after = Number(await status.getAttribute('data-step'));
      // It went on while away (1.5 s at hundreds of steps a second), and was not restarted.
      expect(after).toBeGreaterThan(before + 100);
      const lossPanel = page.locator('section[aria-labelledby="mlp-loss"]');
      expect(await lossPanel.locator('canvas').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(() => status.getAttribute('data-status')).toBe('paused');
      await app.screenshot('session-mlp-after-return');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 40_000);

  it('moons: the run and its history survive a visit to the home page', async () => {
    const app = await openApp('#/moons?steps=2000');
    try {
      const page = app.page;
      const status = page.getByTestId('moons-status');
      await page.getByRole('button', { name: 'Play' }).click();
      await expect.poll(async () => (await status.textContent()) ?? '').toMatch(/step [1-9]\d*\//);
      await go(app, '#/', '');
      await page.waitForTimeout(1000);
      await go(app, '#/moons?steps=2000', 'moons');
      const text = (await status.textContent()) ?? '';
      const step = Number(/step (\d+)\//.exec(text)?.[1]);
      expect(step).toBeGreaterThan(10);
      expect(text).toContain('loss');
      await page.getByRole('button', { name: 'Pause' }).click();
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 40_000);
});
