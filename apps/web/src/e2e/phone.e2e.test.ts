/**
 * Every page at a phone's width (390 px): no element sticks out past the viewport, nor is cut off
 * by a box that hides its overflow (a wide table may scroll inside its own box; the page itself
 * never scrolls sideways). Training
 * pages take a step first so that their charts have drawn.
 */
import { describe, expect, it } from 'vitest';
import { pages } from '../pages/registry.js';
import { formatHash } from '../router.js';
import { canRunBrowser, openApp } from './harness.js';

/** Elements whose right edge passes the viewport, outside any box that scrolls or clips them. */
function overflowing(): string[] {
  const width = document.documentElement.clientWidth;
  const clipped = (el: Element): boolean => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      // A box that scrolls shows the rest; one that hides it (cut-off text) does not count.
      if (/(auto|scroll)/.test(style.overflowX)) {
        return p.getBoundingClientRect().right <= width + 1;
      }
    }
    return false;
  };
  const found: string[] = [];
  for (const el of document.querySelectorAll('body *')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.right <= width + 1) continue;
    if (clipped(el)) continue;
    // Report the outermost offender only (its contents stick out with it).
    const parent = el.parentElement;
    if (parent && parent.getBoundingClientRect().right > width + 1 && !clipped(parent)) continue;
    const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${
      el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''
    }`;
    found.push(`${name} (${Math.round(rect.left)}–${Math.round(rect.right)} px)`);
  }
  return found;
}

/** Every page as it opens (after one step), and the training pages after a divergence. */
const cases: (readonly [string, string, 'step' | 'play'])[] = [
  ...pages.map((p) => [p.id || 'home', formatHash(p.id), 'step'] as const),
  ['moons diverged', '#/moons?lr=1000000', 'play'],
  ['bigram-net diverged', '#/bigram-net?lr=10000000&speed=max', 'play'],
  ['mlp diverged', '#/mlp?lr=10000&sched=constant', 'play'],
];

describe.skipIf(!canRunBrowser)('every page at 390 px', () => {
  it.each(cases)(
    '%s: nothing wider than the viewport',
    async (name, hash, action) => {
      const app = await openApp(hash, { width: 390, height: 844 });
      try {
        const page = app.page;
        const step = page.getByRole('button', {
          name: action === 'step' ? 'Step' : /^(Play|Train)$/,
          exact: action === 'step',
        });
        if ((await step.count()) > 0) {
          await step.first().waitFor();
          await expect.poll(() => step.first().isEnabled(), { timeout: 20_000 }).toBe(true);
          await step.first().click();
        }
        await page.waitForTimeout(action === 'play' ? 2000 : 800);
        const offenders = await page.evaluate(overflowing);
        await app.screenshot(`phone-${name}`);
        expect(offenders).toEqual([]);
        expect(
          await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          ),
        ).toBeLessThanOrEqual(0);
        expect(app.errors).toEqual([]);
      } finally {
        await app.close();
      }
    },
    40_000,
  );
});
