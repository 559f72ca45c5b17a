import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';
import { EXERCISE_LINES } from './exercises.js';

/** The machine is shared: give the worker time under load. */
const POLL = { timeout: 15_000 };

describe.skipIf(!canRunBrowser)('the backprop page (built app in Chromium)', () => {
  it('checks typed answers in the worker: ✓, ✗, an error at its line, a runaway loop stopped; boxes survive a reload', async () => {
    const app = await openApp('#/backprop');
    try {
      const { page } = app;
      const mark = (id: string) => page.getByTestId(`mark-${id}`).textContent();
      const check = () => page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.getByText(/loss \d\.\d{4}/).waitFor(POLL);
      // The worked example is there; a correct and a wrong answer typed by the learner.
      await page
        .locator('#bp-probs')
        .pressSequentially('return onesLike(probs).div(probs).mul(dlogprobs);');
      await page.locator('#bp-counts_sum_inv').fill('return counts.mul(dprobs); // forgot the sum');
      await page.locator('#bp-counts_sum').fill('const x = 1;\nreturn dh.mul(x);');
      await check();
      await expect.poll(() => mark('probs'), POLL).toBe('✓');
      expect(await mark('logprobs')).toBe('✓');
      expect(await mark('counts_sum_inv')).toBe('✗');
      expect(await page.getByTestId('error-counts_sum_inv').textContent()).toBe(
        'returned shape [32, 28], dcounts_sum_inv must be [32, 1]',
      );
      expect(await page.getByTestId('error-counts_sum').textContent()).toBe(
        'line 2: dh is not defined',
      );
      expect(await page.getByTestId('cmp-probs').textContent()).toBe('✓probsTrueTrue0.0');
      await app.screenshot('backprop');
      // Editing a box clears its mark and its table row until the next check.
      await page.locator('#bp-probs').press('End');
      await page.locator('#bp-probs').press('Space');
      await expect.poll(() => mark('probs'), POLL).toBe('');
      expect(await page.getByTestId('cmp-probs').textContent()).toBe('probs');

      // An endless loop: stopped after 2 s, the page stays usable, the next check works.
      await page.locator('#bp-counts_sum').fill('while (true) {}');
      const started = Date.now();
      await check();
      await expect
        .poll(() => page.getByTestId('error-counts_sum').textContent(), POLL)
        .toMatch(/^stopped after 2 s: the code did not finish \(an endless loop\?\)/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      await page
        .locator('#bp-counts_sum')
        .fill('return counts_sum.pow(-2).neg().mul(dcounts_sum_inv);');
      await check();
      await expect.poll(() => mark('counts_sum'), POLL).toBe('✓');

      // dlogits: the solutions down to logits, then the lecture's picture appears.
      for (const line of EXERCISE_LINES.slice(4, 8)) {
        await page.locator(`#bp-${line.id}`).fill(line.solution);
      }
      await check();
      await expect.poll(() => mark('logits'), POLL).toBe('✓');
      const picture = page.getByTestId('dlogits-heatmap');
      await picture.locator('image').waitFor(POLL);
      expect(await picture.getAttribute('aria-label')).toBe('dlogits, 32 × 28');
      await app.screenshot('backprop-dlogits');

      // A reload keeps the boxes; the hint and the solution open on request.
      await page.reload();
      await page.locator('#bp-probs').waitFor(POLL);
      expect(await page.locator('#bp-counts_sum_inv').inputValue()).toBe(
        'return counts.mul(dprobs); // forgot the sum',
      );
      const box = page.getByTestId('box-h');
      await box.getByRole('button', { name: 'Hint' }).click();
      await box.getByText(/transposed/).waitFor();
      await box.getByRole('button', { name: 'Show solution' }).click();
      expect(await box.locator('pre').textContent()).toBe('return dlogits.matmul(W2.T);');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 90_000);

  it('exercises 2 and 3 are tabs in the URL, checked the same way', async () => {
    const app = await openApp('#/backprop?ex=3');
    try {
      const { page } = app;
      await page.locator('#bp-ex3-hprebn').fill(EXERCISE_LINES[27].solution);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await expect
        .poll(() => page.getByTestId('mark-ex3-hprebn').textContent(), POLL)
        .toMatch(/^[✓≈]$/);
      await page.getByRole('tab', { name: /Exercise 2/ }).click();
      await expect.poll(() => page.evaluate(() => location.hash), POLL).toBe('#/backprop?ex=2');
      await page
        .locator('#bp-ex2-logits')
        .fill('return logits.softmax(1).div(n); // forgot the one-hot');
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await expect.poll(() => page.getByTestId('mark-ex2-logits').textContent(), POLL).toBe('✗');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
