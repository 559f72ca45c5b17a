import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';

describe.skipIf(!canRunBrowser)('vital-signs page in Chromium', () => {
  it('draws the four pictures at step 0, updates them while training, and the lecture steps change them', async () => {
    const app = await openApp('#/vitals?steps=2000&every=50');
    try {
      const page = app.page;
      const status = page.getByTestId('vitals-status');
      const step = page.getByRole('button', { name: 'Step', exact: true });
      await expect.poll(() => step.isEnabled(), { timeout: 20_000 }).toBe(true);
      await step.click();
      await expect.poll(() => status.getAttribute('data-snapshot-step')).toBe('0');
      // The first loss is that of a uniform guess (the initial-loss fix is on by default).
      expect(await status.textContent()).toMatch(
        /first loss 3\.3\d{3} \(uniform guess ln 28 = 3\.3322\)/,
      );
      const legend = (id: string) =>
        page.getByTestId(`${id}-legend`).locator('li').allTextContents();
      // Five Tanh layers; BatchNorm keeps each about 3% saturated.
      const activations = await legend('vitals-activations');
      expect(activations).toHaveLength(5);
      for (const line of activations) {
        const saturated = Number(/saturated (\d+\.\d\d)%/.exec(line)?.[1]);
        expect(saturated).toBeLessThan(6);
      }
      expect(await legend('vitals-gradients')).toHaveLength(5);
      const weights = await legend('vitals-weights');
      expect(weights).toHaveLength(7);
      expect(weights[0]).toMatch(
        /^layers\.0\.weight \(28, 10\) \| mean .* \| grad:data ratio \d\.\d{6}e-0\d$/,
      );
      // Three Plot figures (an SVG line per layer) and the ratio chart's canvas with its guide.
      for (const id of ['vitals-activations', 'vitals-gradients', 'vitals-weights']) {
        expect(await page.getByTestId(id).locator('svg [aria-label="line"] path').count()).toBe(
          id === 'vitals-weights' ? 7 : 5,
        );
      }
      // Each of the lecture's toggles says what to look for.
      for (const id of ['toggle-fix', 'toggle-init', 'toggle-gain', 'toggle-batchnorm']) {
        expect((await page.getByTestId(id).locator('p').textContent())?.length).toBeGreaterThan(80);
      }
      const ratios = page.getByTestId('vitals-ratios');
      expect(await ratios.locator('canvas').count()).toBeGreaterThan(0);
      expect(await ratios.locator('.u-legend').textContent()).toContain('guide 1e-3');

      // Training: the histograms follow (every 50 steps and the last), the run ends done.
      const before = (await app.longTasks()).length;
      await page.getByRole('button', { name: 'Resume' }).click();
      await expect
        .poll(() => status.getAttribute('data-status'), { timeout: 60_000, interval: 250 })
        .toBe('done');
      await expect.poll(() => status.getAttribute('data-snapshot-step')).toBe('1999');
      console.log(
        'long tasks while training (ms):',
        JSON.stringify((await app.longTasks()).slice(before)),
      );
      expect(await status.getAttribute('data-step')).toBe('2000');
      expect(await page.getByTestId('vitals-activations').locator('h2').textContent()).toBe(
        'Activations (step 1,999)',
      );
      await app.screenshot('vitals-trained');

      // The no-BN deep net: a fresh model; its first layer is about 20% saturated (the lecture's 20.25%).
      await page.getByRole('button', { name: 'Kaiming, no BatchNorm' }).click();
      await expect.poll(() => page.url()).toContain('batch-norm=0');
      await expect.poll(() => status.getAttribute('data-step')).toBe('0');
      await step.click();
      await expect.poll(() => status.getAttribute('data-snapshot-step')).toBe('0');
      const plain = await legend('vitals-activations');
      const first = Number(/saturated (\d+\.\d\d)%/.exec(plain[0])?.[1]);
      expect(first).toBeGreaterThan(15);
      expect(first).toBeLessThan(25);
      await app.screenshot('vitals-no-batchnorm');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it("an older link's fix=0 moves to the family's last-layer-fix: the lecture's plain randn net, first loss 19.9", async () => {
    const app = await openApp('#/vitals?init=randn&fix=0&batch-norm=0');
    try {
      const page = app.page;
      await expect.poll(() => page.evaluate(() => location.hash)).toContain('last-layer-fix=0');
      expect(await page.evaluate(() => location.hash)).not.toMatch(/[?&]fix=/);
      expect(await page.locator('input[name="last-layer-fix"]').isChecked()).toBe(false);
      expect(await page.locator('select[name="init"]').inputValue()).toBe('randn');
      const status = page.getByTestId('vitals-status');
      const step = page.getByRole('button', { name: 'Step', exact: true });
      await expect.poll(() => step.isEnabled(), { timeout: 20_000 }).toBe(true);
      await step.click();
      await expect.poll(() => status.getAttribute('data-snapshot-step')).toBe('0');
      // `lmp train -m deep-mlp --init randn --last-layer-fix false --batch-norm false`: 19.92.
      expect(await status.textContent()).toMatch(/first loss 19\.92/);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
