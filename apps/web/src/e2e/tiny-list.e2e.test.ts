/**
 * Issue 10: a one- or two-word list was accepted on the data page, then the MLP page showed a
 * developer message and sat on "Preparing the data…". Each training page now says, in the
 * learner's words, whether the list in use fits it; the pages that can use it do.
 */
import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from './harness.js';

describe.skipIf(!canRunBrowser)('a two-word list on every makemore page', () => {
  it('the MLP page explains why it cannot train; the bigram pages use it; no errors', async () => {
    const app = await openApp('#/data');
    const { page } = app;
    try {
      await page.getByLabel('Words, one per line').fill('emma\nolivia\n');
      await page.getByRole('button', { name: 'Use these words' }).click();
      await expect
        .poll(() => page.locator('#current-heading').textContent())
        .toBe('In use: your list');

      await page.evaluate(() => {
        location.hash = '#/mlp';
      });
      await page.waitForSelector('main[data-page="mlp"][data-state="ready"]');
      const problem = page.getByTestId('data-problem');
      await problem.waitFor();
      expect(await problem.textContent()).toContain(
        'The MLP needs at least 6 words, and your list has 2.',
      );
      expect(await page.getByTestId('mlp-status').textContent()).toBe(
        'Waiting for a longer word list.',
      );
      // Issue 10: a link does not carry the list: the page says so and offers to export it.
      const notice = page.getByTestId('data-notice');
      expect(await notice.textContent()).toContain('a link to this page does not carry it');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        notice.getByRole('button', { name: 'Export the list (.txt)' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('your-list.txt');

      await page.evaluate(() => {
        location.hash = '#/bigram-net';
      });
      await page.waitForSelector('main[data-page="bigram-net"][data-state="ready"]');
      const step = page.getByRole('button', { name: 'Step', exact: true });
      await expect.poll(() => step.isEnabled(), { timeout: 20_000 }).toBe(true);
      await step.click();
      await expect.poll(() => page.getByTestId('net-step').textContent()).toBe('1');

      await page.evaluate(() => {
        location.hash = '#/bigram';
      });
      await page.waitForSelector('main[data-page="bigram"][data-state="ready"]');
      await page.waitForTimeout(500);
      await app.screenshot('tiny-list-bigram');
      expect(app.errors).toEqual([]);
      // Back to the bundled names for the next tests in this browser profile.
      await page.evaluate(() => localStorage.clear());
    } finally {
      await app.close();
    }
  }, 60_000);
});
