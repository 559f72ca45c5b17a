import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';

describe.skipIf(!canRunBrowser)('bigram neural net page in Chromium', () => {
  it('trains in the worker: the loss falls toward the count model, no long tasks', async () => {
    const app = await openApp('#/bigram-net?speed=600');
    try {
      const play = app.page.getByRole('button', { name: 'Play' });
      await expect.poll(() => play.isEnabled()).toBe(true);
      await app.page.getByRole('button', { name: 'Step' }).click();
      const loss = app.page.getByTestId('net-loss');
      await expect.poll(() => loss.textContent()).toBe('3.8538'); // the first loss, random W
      await app.page.waitForTimeout(300); // let the load's work settle before counting
      const longTasksBefore = (await app.longTasks()).length;
      await play.click();
      await expect
        .poll(async () => Number(await app.page.getByTestId('net-step').textContent()), {
          timeout: 15_000,
        })
        .toBeGreaterThan(400);
      await app.page.getByRole('button', { name: 'Pause' }).click();
      const final = Number(await loss.textContent());
      expect(final).toBeLessThan(2.5);
      expect(final).toBeGreaterThan(2.4187); // never below the count model's loss
      expect(await app.page.getByTestId('equivalent-k').textContent()).toMatch(
        /equals the count model's with add-k smoothing k ≈/,
      );
      expect((await app.longTasks()).slice(longTasksBefore)).toEqual([]);
      // One colour legend for both heatmaps, its numbers symmetric around 0 (issue 10).
      const ticks = (await app.page
        .getByTestId('heatmap-legend')
        .locator('[data-tick]')
        .evaluateAll((spans) =>
          spans.map((span) => Number(span.getAttribute('data-tick'))),
        )) as number[];
      expect(ticks).toContain(0);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks[0]).toBe(-(ticks.at(-1) as number));
      expect(await app.page.getByTestId('heatmap-legend').textContent()).toContain('more likely');
      await app.screenshot('bigram-net-trained');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a diverging learning rate pauses with the explanation', async () => {
    const app = await openApp('#/bigram-net?lr=10000000&speed=max');
    try {
      const play = app.page.getByRole('button', { name: 'Play' });
      await expect.poll(() => play.isEnabled()).toBe(true);
      await play.click();
      const alert = app.page.getByTestId('divergence');
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.textContent()).toMatch(
        /Training diverged at step \d+: .* with learning rate 10000000; the learning-rate finder suggests/,
      );
      expect(await app.page.getByRole('button', { name: 'Play' }).isDisabled()).toBe(true);
      // Neither the status nor the heatmap shows the blown-up values.
      expect(await app.page.getByTestId('heatmap-W').count()).toBe(0);
      expect(await app.page.getByTestId('heatmap-W-hidden').count()).toBe(1);
      expect(await app.page.getByTestId('net-status').textContent()).not.toMatch(/NaN|Infinity/);
      await app.screenshot('bigram-net-diverged');
      // The suggested rate starts over with it.
      const use = app.page.getByTestId('use-suggested-lr');
      const suggested = Number(((await use.textContent()) ?? '').replace('Use ', ''));
      expect(suggested).toBeGreaterThan(0);
      expect(suggested).toBeLessThan(1e7);
      await use.click();
      await alert.waitFor({ state: 'detached' });
      await expect.poll(() => app.page.url()).toContain(`lr=${suggested}`);
      await app.page.getByTestId('heatmap-W').waitFor();
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('restores seed, lr and λ from the URL; "Reset to defaults" clears them', async () => {
    const app = await openApp('#/bigram-net?lr=10&lambda=1&seed=5');
    try {
      expect(await app.page.getByLabel('learning rate').inputValue()).toBe('10');
      expect(await app.page.getByLabel('seed').inputValue()).toBe('5');
      expect(await app.page.getByText('λ (regularisation) = 1').count()).toBe(1);
      await app.page.getByRole('button', { name: 'Reset to defaults' }).click();
      await expect.poll(() => app.page.getByLabel('learning rate').inputValue()).toBe('50');
      expect(await app.page.evaluate(() => location.hash)).toBe('#/bigram-net');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
