import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';

describe.skipIf(!canRunBrowser)('RNN page in Chromium', () => {
  it('trains a GRU on the names, samples names and draws its hidden state over a name', async () => {
    const app = await openApp('#/rnn?model=gru&steps=80&eval=40&n-embd2=24&name=olivia');
    try {
      const page = app.page;
      const status = page.getByTestId('lm-status');
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('parameters');
      await page.getByRole('button', { name: 'Train' }).click();
      await expect
        .poll(() => status.getAttribute('data-status'), { timeout: 90_000, interval: 250 })
        .toBe('done');
      expect(await status.getAttribute('data-step')).toBe('80');
      await expect.poll(() => page.getByTestId('eval-sample').getAttribute('data-step')).toBe('80');
      expect((await page.getByTestId('eval-sample').textContent())?.split(' ').length).toBe(8);
      await page.getByRole('button', { name: 'Show' }).click();
      const map = page.getByTestId('hidden-heatmap');
      // '.olivia': 7 rows × 24 units; each cell's tooltip a value of tanh's range.
      await expect.poll(() => map.locator('g.heatmap-cells rect').count()).toBe(7 * 24);
      const titles = await map.locator('g.heatmap-cells rect title').allTextContents();
      expect(titles[0]).toMatch(/^after '\.', unit 0: -?0\.\d{3}$/);
      const values = titles.map((t) => Number(t.split(': ')[1]));
      expect(values.every((v) => Math.abs(v) <= 1)).toBe(true);
      expect(new Set(values).size).toBeGreaterThan(50);
      // A character the names never use: the message, nothing lost.
      await page.locator('input[name="name"]').fill('zoë!');
      await page.locator('input[name="name"]').blur();
      await page.getByRole('button', { name: 'Show' }).click();
      await expect.poll(() => page.getByTestId('inside-error').textContent()).toContain('!');
      expect(await status.getAttribute('data-step')).toBe('80');
      await app.screenshot('rnn-hidden');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 180_000);
});
