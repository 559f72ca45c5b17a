import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pages } from '../pages/registry.js';
import { formatHash } from '../router.js';
import { type AppSession, canRunBrowser, openApp } from './harness.js';

describe.skipIf(!canRunBrowser)('the shell in Chromium', () => {
  it.each(pages.map((p) => [p.id || 'home', p.id] as const))(
    'page %s loads without console errors',
    async (name, id) => {
      const app = await openApp(formatHash(id));
      try {
        const main = app.page.locator('main');
        expect(await main.getAttribute('data-state')).toBe('ready');
        expect(await main.getAttribute('data-page')).toBe(id);
        // Every page has exactly one h1, and the document title names the page.
        await expect.poll(() => app.page.locator('h1').count()).toBe(1);
        const title = await app.page.title();
        expect(title).toContain('llm-playground');
        if (id) expect(title).toContain(pages.find((p) => p.id === id)!.title);
        await app.screenshot(`page-${name}`);
        expect(app.errors).toEqual([]);
      } finally {
        await app.close();
      }
    },
  );

  it('an unknown page shows the message and a way back', async () => {
    const app = await openApp('#/no-such-page?x=1');
    try {
      const alert = app.page.getByRole('alert');
      expect(await alert.textContent()).toContain('There is no page “no-such-page”');
      expect(await app.page.title()).toBe('Page not found · llm-playground');
      await app.page.getByRole('link', { name: 'Go to the learning path.' }).click();
      await app.page.waitForSelector('main[data-page=""][data-state="ready"]');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  describe('keyboard', () => {
    let app: AppSession;
    beforeAll(async () => {
      app = await openApp('#/');
    });
    afterAll(() => app?.close());

    it('Tab reaches the skip link first, and the skip link focuses <main>', async () => {
      await app.page.keyboard.press('Tab');
      expect(await app.page.evaluate(() => document.activeElement?.textContent)).toBe(
        'Skip to content',
      );
      await app.page.keyboard.press('Enter');
      expect(await app.page.evaluate(() => document.activeElement?.id)).toBe('main');
      expect(await app.page.evaluate(() => location.hash)).toBe('#/');
    });

    it('Tab reaches every nav link in order; Enter navigates and moves focus to <main>', async () => {
      // From the top of a fresh load: skip link, brand, then the nav links in order.
      await app.page.reload();
      await app.page.waitForSelector('main[data-state="ready"]');
      const navTitles = pages.filter((p) => p.id).map((p) => p.title);
      const reached: string[] = [];
      for (let i = 0; i < 3 + navTitles.length; i++) {
        await app.page.keyboard.press('Tab');
        const focused = await app.page.evaluate(() => {
          const el = document.activeElement;
          return el?.closest('nav') ? (el.textContent ?? '') : null;
        });
        if (focused) reached.push(focused);
        if (reached.length === navTitles.length) break;
      }
      expect(reached).toEqual(navTitles);
      // Focus is on the last nav link ("Your data"): follow it with the keyboard.
      await app.page.keyboard.press('Enter');
      await app.page.waitForSelector('main[data-page="data"][data-state="ready"]');
      await expect.poll(() => app.page.evaluate(() => document.activeElement?.id)).toBe('main');
      expect(await app.page.locator('nav a[aria-current="page"]').textContent()).toBe(
        navTitles.at(-1),
      );
      expect(app.errors).toEqual([]);
    });
  });

  it('a narrow (phone) viewport has no horizontal scrolling', async () => {
    const app = await openApp('#/', { width: 380, height: 800 });
    try {
      const overflow = await app.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await app.screenshot('page-home-narrow');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
