import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';

describe.skipIf(!canRunBrowser)('WaveNet page in Chromium', () => {
  it('draws the tree over the context, trains both models and compares their losses', async () => {
    const app = await openApp('#/wavenet?steps=200&eval=100&n-embd=10&n-hidden=32&word=olivia');
    try {
      const page = app.page;
      // The tree: 8 characters, then 4 + 2 + 1 units labelled with what they see.
      const tree = page.getByTestId('wavenet-tree-hier');
      const labels = await tree.locator('text').allTextContents();
      expect(labels).toEqual(
        expect.arrayContaining([
          '.',
          'o',
          'l',
          'v',
          '..',
          'ol',
          'iv',
          'ia',
          '..ol',
          'ivia',
          '..olivia',
        ]),
      );
      expect(await tree.locator('circle').count()).toBe(7);
      expect(await page.getByTestId('wavenet-tree-flat').locator('circle').count()).toBe(1);
      // Same parameter count within one flat hidden unit (8·10 + 2 + 28 = 110 parameters).
      await expect.poll(() => page.getByTestId('params-hier').textContent()).not.toBe('—');
      const count = async (id: string) =>
        Number((await page.getByTestId(id).textContent())?.replace(/,/g, ''));
      expect(
        Math.abs((await count('params-hier')) - (await count('params-flat'))),
      ).toBeLessThanOrEqual(55);
      await page.getByRole('button', { name: 'Train' }).click();
      const status = page.getByTestId('wavenet-status');
      await expect
        .poll(() => status.getAttribute('data-status'), { timeout: 60_000, interval: 250 })
        .toBe('done');
      expect(await status.getAttribute('data-step')).toBe('200');
      await expect.poll(() => page.getByTestId('dev-hier').textContent()).not.toBe('—');
      for (const id of ['dev-hier', 'dev-flat']) {
        const dev = Number(await page.getByTestId(id).textContent());
        expect(dev).toBeGreaterThan(2);
        expect(dev).toBeLessThan(3.2); // below ln 28 = 3.33: both learned
      }
      const legend = await page
        .locator('section[aria-labelledby="wavenet-loss"] .u-legend')
        .textContent();
      expect(legend).toContain('hierarchy');
      expect(legend).toContain('flat');
      await app.screenshot('wavenet-trained');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);
});
