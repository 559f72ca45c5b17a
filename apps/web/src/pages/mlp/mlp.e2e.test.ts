import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';

const status = (app: Awaited<ReturnType<typeof openApp>>) =>
  app.page.getByTestId('mlp-status').getAttribute('data-status');

describe.skipIf(!canRunBrowser)('MLP page in Chromium', () => {
  it('trains in the worker: the loss falls, dev loss appears, no long tasks; samples and embedding draw', async () => {
    const app = await openApp(
      // lr 0.1 throughout: the family's schedule (lr/10 from step 750) ends at dev ≈ 3.52, not 3.18.
      '#/mlp?steps=1500&eval=500&n-hidden=100&sched=constant',
    );
    try {
      const page = app.page;
      await page.getByTestId('mlp-info').waitFor();
      expect(await page.getByTestId('dev-loss').textContent()).toBe('—');
      // The machines are shared (load averages above 10 on 2 cores happen), and a busy machine
      // can stretch any task past 50 ms. So: up to 3 training runs (Reset between them); the
      // page passes when one whole run has no long task, and fails if every run has some.
      const attempts: number[][] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0) {
          await page.getByRole('button', { name: 'Reset', exact: true }).click();
          await expect
            .poll(() => page.getByTestId('mlp-status').getAttribute('data-step'))
            .toBe('0');
        }
        const before = (await app.longTasks()).length;
        await page.getByRole('button', { name: 'Train' }).click();
        await expect.poll(() => status(app), { timeout: 20_000, interval: 200 }).toBe('done');
        attempts.push((await app.longTasks()).slice(before));
        if (attempts.at(-1)?.length === 0) break;
      }
      if (attempts.length > 1)
        console.log('long tasks (ms) per training run:', JSON.stringify(attempts));
      expect(attempts.at(-1)).toEqual([]);
      expect(await page.getByTestId('mlp-status').getAttribute('data-step')).toBe('1500');
      // Uniform guessing over 28 tokens is ln 28 ≈ 3.33; the random init starts near 25.
      const dev = Number(await page.getByTestId('dev-loss').textContent());
      const train = Number(await page.getByTestId('train-loss').textContent());
      expect(dev).toBeGreaterThan(2);
      expect(dev).toBeLessThan(3.2);
      expect(train).toBeLessThan(3.2);
      // The loss chart has drawn (uPlot canvas) and its legend names the three series.
      const lossPanel = page.locator('section[aria-labelledby="mlp-loss"]');
      expect(await lossPanel.locator('canvas').count()).toBeGreaterThan(0);
      expect(await lossPanel.locator('.u-legend').textContent()).toContain('dev');
      // The embedding scatter: one letter per token (28 in the bundled names).
      const scatter = page.locator('section[aria-labelledby="mlp-embedding"] svg text');
      await expect.poll(() => scatter.count()).toBeGreaterThanOrEqual(28);
      // Issue 10: square, at least 500 px wide on a desktop; `.` is one of the letters; no two
      // letters overlap; hovering a letter highlights it and reads out its coordinates.
      const svg = page.getByTestId('embedding-scatter');
      const box = (await svg.boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(500);
      expect(Math.abs(box.width - box.height)).toBeLessThan(2);
      const centres = await page
        .locator('[data-testid="embedding-scatter"] g.point circle')
        .evaluateAll((circles) =>
          circles.map((c) => {
            const r = c.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2, r: r.width / 2 };
          }),
        );
      expect(centres.length).toBeGreaterThanOrEqual(28);
      for (let i = 0; i < centres.length; i++) {
        for (let j = i + 1; j < centres.length; j++) {
          const d = Math.hypot(centres[i].x - centres[j].x, centres[i].y - centres[j].y);
          expect(d).toBeGreaterThanOrEqual(centres[i].r + centres[j].r - 1);
        }
      }
      const end = page.locator('[data-testid="embedding-scatter"] g.point[data-label="."]');
      expect(await end.count()).toBe(1);
      // Each letter is written in white on its dot.
      expect(await end.locator('text').evaluate((text) => getComputedStyle(text).fill)).toBe(
        'rgb(255, 255, 255)',
      );
      await end.hover();
      await expect.poll(() => end.getAttribute('class')).toContain('hovered');
      expect(await page.getByTestId('scatter-readout').textContent()).toMatch(
        /^'\.': C\[:, 0\] = -?\d+\.\d{3}, C\[:, 1\] = -?\d+\.\d{3}$/,
      );
      await page.getByRole('button', { name: 'Sample', exact: true }).click();
      const items = page.getByTestId('samples').locator('li');
      await expect.poll(() => items.count()).toBe(20);
      const marks = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-mark')));
      expect(marks.every((m) => m === 'new' || m === 'train' || m === 'held-out')).toBe(true);
      await app.screenshot('mlp-trained');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('restores a URL with state, runs the LR finder and uses its suggestion', async () => {
    const app = await openApp('#/mlp?n-embd=2&n-hidden=50&lr=0.05&sched=constant&train=200&seed=7');
    try {
      const page = app.page;
      await page.getByTestId('mlp-info').waitFor();
      // The model controls come from the family's schema: inputs named by CLI flag.
      expect(await page.locator('input[name="n-embd"]').inputValue()).toBe('2');
      expect(await page.locator('input[name="n-hidden"]').inputValue()).toBe('50');
      expect(await page.locator('input[name="lr"]').inputValue()).toBe('0.05');
      expect(await page.locator('input[name="train"]').inputValue()).toBe('200');
      expect(await page.locator('select[name="sched"]').inputValue()).toBe('constant');
      const info = await page.getByTestId('mlp-info').textContent();
      // 28·2 + 6·50 + 50 + 50·28 + 28 parameters; only 200 training words.
      expect(info).toContain('1,834 parameters');
      expect(info).toContain('200 train');
      await page.getByRole('button', { name: 'Find a learning rate' }).click();
      await page.getByTestId('lr-suggestion').waitFor({ timeout: 20_000 });
      const finder = page.locator('section[aria-labelledby="mlp-finder"]');
      // Observable Plot drew the sweep (a line) and marked the suggestion (a rule and its label).
      const figure = finder.getByRole('figure');
      expect(await figure.locator('svg path').count()).toBeGreaterThan(0);
      expect(await figure.locator('svg').textContent()).toContain('suggested');
      const use = finder.getByRole('button', { name: /^Use / });
      const label = (await use.textContent()) ?? '';
      await use.click();
      const suggested = label.replace('Use ', '');
      await expect
        .poll(() => page.evaluate(() => location.hash))
        .toContain(`lr=${Number(suggested)}`);
      expect(await page.locator('input[name="lr"]').inputValue()).toBe(String(Number(suggested)));
      await app.screenshot('mlp-lr-finder');
      // Reset to defaults clears the URL's parameters.
      await page.getByRole('button', { name: 'Reset to defaults' }).click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/mlp');
      expect(await page.locator('input[name="n-embd"]').inputValue()).toBe('10');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  // Issue 9: lr 5–10 trained on at loss 60–110 with no warning; 1e4 advised 1000, which diverged too.
  it('lr 8 pauses with the divergence message and a rate from the LR finder that trains', async () => {
    const app = await openApp('#/mlp?lr=8&sched=constant&n-hidden=50');
    try {
      const page = app.page;
      await page.getByTestId('mlp-info').waitFor();
      await page.getByRole('button', { name: 'Train' }).click();
      const alert = page.getByTestId('divergence');
      await alert.waitFor({ timeout: 10_000 });
      expect(await alert.textContent()).toMatch(
        /^Training diverged at step \d+: the mean loss of the last 20 steps, [\d.]+, is above [\d.]+ .* with learning rate 8; the learning-rate finder suggests [\d.e-]+/,
      );
      expect(Number(await alert.getAttribute('data-step'))).toBe(
        Number(await page.getByTestId('mlp-status').getAttribute('data-step')),
      );
      expect(await status(app)).toBe('diverged');
      expect(await page.getByRole('button', { name: /^(Train|Resume)$/ }).isDisabled()).toBe(true);
      // The blown-up weights are not drawn.
      expect(await page.getByTestId('embedding-hidden').count()).toBe(1);
      await app.screenshot('mlp-diverged');
      // The button applies the suggested rate and starts over; that run trains.
      const use = page.getByTestId('use-suggested-lr');
      const suggested = Number(((await use.textContent()) ?? '').replace('Use ', ''));
      expect(suggested).toBeGreaterThan(0);
      expect(suggested).toBeLessThan(8);
      await use.click();
      await expect.poll(() => status(app)).toBe('paused');
      expect(await alert.count()).toBe(0);
      expect(await page.locator('input[name="lr"]').inputValue()).toBe(String(suggested));
      await page.getByRole('button', { name: 'Train' }).click();
      await expect
        .poll(async () => Number(await page.getByTestId('mlp-status').getAttribute('data-step')), {
          timeout: 20_000,
        })
        .toBeGreaterThan(200);
      expect(await status(app)).not.toBe('diverged');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  // Issue 10: the overfitting link evaluates early and often and marks the uniform guess; the
  // legend shows the latest values without hovering; the samples have a "Next seed".
  it('the overfitting link: dev every 100 steps, the uniform-guess line, live legend, next seed', async () => {
    const app = await openApp('#/mlp?train=500&eval=100&steps=1500&n-hidden=100');
    try {
      const page = app.page;
      await page.getByTestId('mlp-info').waitFor();
      await page.getByRole('button', { name: 'Train' }).click();
      await expect.poll(() => status(app), { timeout: 30_000, interval: 250 }).toBe('done');
      const legend = page.locator('section[aria-labelledby="mlp-loss"] .u-legend');
      const text = (await legend.textContent()) ?? '';
      expect(text).toContain('uniform guess (ln 28)');
      // Not hovered, yet every series shows its latest value (no "--").
      expect(text).not.toContain('--');
      expect(text).toContain('1,500');
      // Dev on the first 4,096 examples, 15 evaluations.
      expect(await page.getByTestId('mlp-numbers').textContent()).toContain('(first 4,096)');
      const dev = Number(await page.getByTestId('dev-loss').textContent());
      const warning = page.getByTestId('worse-than-uniform');
      expect(await warning.isVisible()).toBe(dev > Math.log(28));
      await app.screenshot('mlp-overfitting');
      // Next seed: the URL's sampling seed goes up by one and new samples appear.
      await page.getByRole('button', { name: 'Sample', exact: true }).click();
      const items = page.getByTestId('samples').locator('li');
      await expect.poll(() => items.count()).toBe(20);
      const first = await items.allTextContents();
      await page.getByRole('button', { name: 'Next seed' }).click();
      await expect.poll(() => page.evaluate(() => location.hash)).toContain('sseed=2147483648');
      await expect.poll(() => items.allTextContents()).not.toEqual(first);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('a link with a model value out of range is clamped by the schema, with a note', async () => {
    const app = await openApp('#/mlp?n-hidden=1e9&block-size=2');
    try {
      const page = app.page;
      await page.getByTestId('mlp-info').waitFor();
      expect(await page.getByTestId('clamp-note').textContent()).toContain(
        'n-hidden=1e9 must be a whole number from 1 to 100000: using 100000',
      );
      expect(await page.locator('input[name="n-hidden"]').inputValue()).toBe('100000');
      expect(await page.locator('input[name="block-size"]').inputValue()).toBe('2');
      await page.locator('input[name="n-hidden"]').fill('64');
      await page.locator('input[name="n-hidden"]').press('Tab');
      await expect.poll(() => page.evaluate(() => location.hash)).toContain('n-hidden=64');
      expect(await page.getByTestId('clamp-note').count()).toBe(0);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('an older link (emb, hidden) keeps its settings under the flags', async () => {
    const app = await openApp('#/mlp?emb=2&hidden=50&lr=0.05');
    try {
      const page = app.page;
      await page.getByTestId('mlp-info').waitFor();
      await expect
        .poll(() => page.evaluate(() => location.hash))
        .toBe('#/mlp?n-embd=2&n-hidden=50&lr=0.05');
      expect(await page.locator('input[name="n-embd"]').inputValue()).toBe('2');
      await expect
        .poll(() => page.getByTestId('mlp-info').textContent())
        .toContain('1,834 parameters');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);
});
