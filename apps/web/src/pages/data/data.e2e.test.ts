import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';

describe.skipIf(!canRunBrowser)('"Your data" in Chromium', () => {
  it('paste, lowercase, error, upload, reload, back to the bundled names', async () => {
    const app = await openApp('#/data');
    const { page } = app;
    try {
      const heading = page.locator('#current-heading');
      expect(await heading.textContent()).toBe('In use: bundled English first names');
      expect(await page.getByRole('button', { name: 'Use bundled names' }).isDisabled()).toBe(true);

      // Paste capitalised names: lowercased by default.
      await page.getByLabel('Words, one per line').fill('Emma\nOlivia\n\nAva\nZoë\n');
      await page.getByRole('button', { name: 'Use these words' }).click();
      await expect.poll(() => heading.textContent()).toBe('In use: your list');
      expect(await page.getByRole('status').textContent()).toBe(
        'Using 4 words from your list on every makemore page.',
      );
      expect(await page.getByTestId('vocabulary').textContent()).toBe('a e i l m o v z ë');
      expect(await page.locator('dl.facts').textContent()).toContain(
        '10 tokens: . and 9 characters',
      );

      // A word with the boundary is refused with the reason; the list in use does not change.
      await page.getByLabel('Words, one per line').fill('emma\ndr.no\n');
      await page.getByRole('button', { name: 'Use these words' }).click();
      expect(await page.getByRole('alert').textContent()).toContain(
        "Word 2 ('dr.no') contains '.'",
      );
      expect(await heading.textContent()).toBe('In use: your list');

      // Upload a file: its name becomes the list's name; a Latin-1 file is refused.
      const input = page.getByLabel(/Or upload a \.txt file/);
      await input.setInputFiles({
        name: 'cities.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('paris\nlyon\nnice\n'),
      });
      await expect.poll(() => heading.textContent()).toBe('In use: cities.txt');
      expect(await page.getByRole('alert').count()).toBe(0);
      await input.setInputFiles({
        name: 'latin.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from([0x7a, 0x6f, 0xeb, 0x0a]),
      });
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('latin.txt is not UTF-8 text (byte 0xeb on line 1)');

      // The list survives a reload (localStorage)…
      await page.reload();
      await page.waitForSelector('main[data-state="ready"]');
      expect(await heading.textContent()).toBe('In use: cities.txt');
      expect(await page.getByTestId('examples').textContent()).toBe('paris, lyon, nice');
      await app.screenshot('data-custom-list');

      // …until the learner goes back to the bundled names.
      await page.getByRole('button', { name: 'Use bundled names' }).click();
      await expect.poll(() => heading.textContent()).toBe('In use: bundled English first names');
      await page.reload();
      await page.waitForSelector('main[data-state="ready"]');
      expect(await heading.textContent()).toBe('In use: bundled English first names');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('copies a link that carries a small list; opening it uses that list', async () => {
    const app = await openApp('#/data');
    const { page } = app;
    let opened: Awaited<ReturnType<typeof openApp>> | undefined;
    try {
      await page.getByLabel('Words, one per line').fill('Zoë\nNew York\nA+B&C\n');
      await page.getByRole('button', { name: 'Use these words' }).click();
      await page.getByRole('button', { name: 'Copy a link that includes this list' }).click();
      const link = await page.getByTestId('words-link').inputValue();
      const hash = link.slice(link.indexOf('#'));
      expect(hash).toBe('#/data?words=zo%C3%AB%0Anew+york%0Aa%2Bb%26c');
      expect(await page.getByRole('status').textContent()).toContain(
        'whoever opens it trains on these words',
      );

      // A fresh browser (no localStorage) opening the link trains on the list it carries.
      opened = await openApp(hash);
      const heading = opened.page.locator('#current-heading');
      expect(await heading.textContent()).toBe('In use: the list in this link');
      expect(await opened.page.getByTestId('link-words-notice').textContent()).toBe(
        'This link carries its own word list (3 words): the makemore pages use it instead of the bundled names.',
      );
      expect(await opened.page.getByTestId('examples').textContent()).toBe('zoë, new york, a+b&c');

      // Going back to the bundled names drops the list from the link: a reload keeps the names.
      await opened.page.getByRole('button', { name: 'Use bundled names' }).click();
      expect(await opened.page.evaluate(() => location.hash)).toBe('#/data');
      await opened.page.reload();
      await opened.page.waitForSelector('main[data-state="ready"]');
      expect(await heading.textContent()).toBe('In use: bundled English first names');
      expect(await opened.page.getByTestId('link-words-notice').count()).toBe(0);

      // A bad list in a link is refused with the reason; the bundled names stay.
      await opened.close();
      opened = await openApp('#/data?words=emma%0Adr.no');
      expect(await opened.page.getByRole('alert').textContent()).toContain(
        "Word 2 ('dr.no') contains '.'",
      );
      expect(await opened.page.locator('#current-heading').textContent()).toBe(
        'In use: bundled English first names',
      );
      expect(app.errors).toEqual([]);
    } finally {
      await opened?.close();
      await app.close();
    }
  });
});
