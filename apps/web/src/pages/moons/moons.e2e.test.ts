import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp, plotXToClient } from '../../e2e/harness.js';

/** The machine is shared: give re-renders time under load. */
const POLL = { timeout: 10_000 };

function lossOf(status: string | null): number {
  const match = /loss ([\d.]+)/.exec(status ?? '');
  if (!match) throw new Error(`no loss in status '${status}'`);
  return Number(match[1]);
}

describe.skipIf(!canRunBrowser)('moons page (built app in Chromium)', () => {
  it('trains in the worker: the loss falls, no long tasks, a point shows its graph', async () => {
    const app = await openApp('#/moons?steps=30');
    try {
      const { page } = app;
      const status = page.getByTestId('moons-status');
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await page.waitForFunction(() =>
        /step 1\/30 · loss/.test(
          document.querySelector('[data-testid="moons-status"]')?.textContent ?? '',
        ),
      );
      const firstLoss = lossOf(await status.textContent());
      const longTasksBefore = (await app.longTasks()).length;
      await page.getByRole('button', { name: 'Play' }).click();
      await page.waitForFunction(
        () =>
          /step 30\/30.*done/.test(
            document.querySelector('[data-testid="moons-status"]')?.textContent ?? '',
          ),
        undefined,
        { timeout: 20_000 },
      );
      const lastLoss = lossOf(await status.textContent());
      expect(lastLoss).toBeLessThan(firstLoss * 0.6);
      expect((await app.longTasks()).slice(longTasksBefore)).toEqual([]);
      await app.screenshot('moons-trained');

      await page.getByRole('spinbutton', { name: /^point \(/ }).fill('0');
      await page.getByRole('spinbutton', { name: /^point \(/ }).press('Tab');
      await page.locator('.graph-host svg').waitFor({ timeout: 15_000 });
      await expect
        .poll(() => page.getByTestId('point-summary').textContent())
        .toContain('979 values');
      // 979 values open collapsed (issue 10): one box per neuron (16 + 16 + the score), x1, x2.
      const boxes = page.locator('.graph-host g.node.gv-group');
      await expect.poll(() => boxes.count(), { timeout: 15_000 }).toBe(33);
      expect(await page.locator('.graph-host g.node').count()).toBe(35);
      expect(await page.getByTestId('graph-collapse-status').textContent()).toContain(
        '979 values, each neuron collapsed into one box (33 neurons)',
      );
      await app.screenshot('moons-point-graph');
      // A click expands a neuron into a cluster of its values.
      await boxes.first().click();
      await expect
        .poll(() => page.locator('.graph-host g.cluster').count(), { timeout: 15_000 })
        .toBe(1);
      expect(await page.locator('.graph-host g.node').count()).toBeGreaterThan(35);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('the Losses link restores cross-entropy, shows the losses panel, and training lowers the loss', async () => {
    const app = await openApp('#/moons?loss=cross-entropy&focus=losses&steps=40');
    try {
      const { page } = app;
      expect(await page.locator('select[name="loss"]').inputValue()).toBe('cross-entropy');
      // focus=losses scrolls to the panel and focuses its heading.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.id ?? ''), POLL)
        .toBe('losses-title');
      expect(await page.getByRole('heading', { name: '3. Losses side by side' }).isVisible()).toBe(
        true,
      );
      const panel = page.getByTestId('losses-panel');
      expect(await panel.locator('path[data-curve]').count()).toBe(3);
      // The selected loss is drawn thicker (Plot puts the width on the line's group).
      expect(
        await panel
          .locator('path[data-curve="cross-entropy"]')
          .evaluate((path) => getComputedStyle(path).strokeWidth),
      ).toBe('3.5px');
      expect(await panel.textContent()).toContain(
        'logistic (cross-entropy): log(1 + e^(−m)) (training with it above)',
      );
      const full = await app.screenshot('moons-losses-link');
      await panel.screenshot({ path: full.replace('moons-losses-link', 'moons-losses-panel') });

      const status = page.getByTestId('moons-status');
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await page.waitForFunction(() =>
        /step 1\/40 · loss/.test(
          document.querySelector('[data-testid="moons-status"]')?.textContent ?? '',
        ),
      );
      const firstLoss = lossOf(await status.textContent());
      // Small initial scores: the logistic loss starts near log 2.
      expect(firstLoss).toBeGreaterThan(0.5);
      expect(firstLoss).toBeLessThan(0.75);
      await page.getByRole('button', { name: 'Play' }).click();
      await page.waitForFunction(
        () =>
          /step 40\/40.*done/.test(
            document.querySelector('[data-testid="moons-status"]')?.textContent ?? '',
          ),
        undefined,
        { timeout: 20_000 },
      );
      expect(lossOf(await status.textContent())).toBeLessThan(firstLoss * 0.7);
      await app.screenshot('moons-cross-entropy-trained');

      // Squared error at the default learning rate 1 offers its safer rate.
      await page.locator('select[name="loss"]').selectOption('mse');
      expect(page.url()).toContain('loss=mse');
      await page.getByRole('button', { name: 'Use learning rate 0.1' }).click();
      await expect.poll(() => page.locator('input[name="lr"]').inputValue(), POLL).toBe('0.1');
      expect(await page.getByTestId('lr-hint').count()).toBe(0);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('restores state from the URL; lr 100 pauses with the divergence message and a rate to use', async () => {
    const app = await openApp('#/moons?lr=0.5&seed=3&hidden=8');
    try {
      const { page } = app;
      expect(await page.locator('input[name="lr"]').inputValue()).toBe('0.5');
      expect(await page.locator('input[name="seed"]').inputValue()).toBe('3');
      expect(await page.locator('input[name="hidden"]').inputValue()).toBe('8');
      // Issue 9: lr 100 ended at 1e93, 50% accuracy and "done". The Trainer's rule pauses it with
      // the step, the loss and a rate its LR finder found; the button applies that rate.
      await page.locator('input[name="lr"]').fill('100');
      await page.locator('input[name="lr"]').press('Tab');
      expect(page.url()).toContain('lr=100');
      await page.getByRole('button', { name: 'Play' }).click();
      const alert = page.getByTestId('divergence');
      await alert.waitFor({ timeout: 20_000 });
      expect(await alert.textContent()).toMatch(
        /Training diverged at step \d+: .* with learning rate [\d.]+; the learning-rate finder suggests [\d.e-]+/,
      );
      expect(await page.getByTestId('moons-status').textContent()).not.toContain('done');
      await expect
        .poll(() => page.getByRole('button', { name: 'Play' }).isDisabled(), POLL)
        .toBe(true);
      const use = page.getByTestId('use-suggested-lr');
      const label = (await use.textContent()) ?? '';
      const suggested = Number(label.replace('Use ', ''));
      expect(suggested).toBeGreaterThan(0);
      expect(suggested).toBeLessThan(100);
      await app.screenshot('moons-diverged');
      await use.click();
      await expect
        .poll(() => page.locator('input[name="lr"]').inputValue(), POLL)
        .toBe(String(suggested));
      expect(await page.getByTestId('divergence').count()).toBe(0);
      await page.getByRole('button', { name: 'Reset to defaults' }).click();
      await expect.poll(() => page.locator('input[name="lr"]').inputValue(), POLL).toBe('1');
      expect(page.url()).not.toContain('lr=');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('squared error at lr 1 stops with the divergence message instead of "done"', async () => {
    const app = await openApp('#/moons?loss=mse&lr=1');
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Play' }).click();
      const alert = page.getByTestId('divergence');
      await alert.waitFor({ timeout: 20_000 });
      expect(await alert.textContent()).toMatch(/^Training diverged at step \d+/);
      expect(await page.getByTestId('use-suggested-lr').textContent()).toMatch(/^Use 0\.\d+/);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 40_000);

  // Issue 10: the neuron's sliders were lost on reload; ReLU was clipped at the top at b = 8 and
  // the n marker ran off the plot.
  it('the neuron lives in the URL; ReLU at b = 8 is drawn whole with n inside the plot', async () => {
    const app = await openApp('#/moons?b=8&act=relu&x1=8&w1=8');
    try {
      const page = app.page;
      // n = 8·8 + 0·1 + 8 = 72.
      expect(await page.getByTestId('neuron-n').textContent()).toBe('72.0000');
      expect(await page.getByTestId('neuron-o').textContent()).toBe('72.0000');
      const plot = page.getByTestId('neuron-plot').locator('svg');
      expect(await plot.getAttribute('aria-label')).toContain(
        'relu plotted for n from -79.2 to 79.2',
      );
      const inside = await plot.evaluate((svg) => {
        const box = svg.getBoundingClientRect();
        const marker = svg.querySelector('g.fp-handle circle')!.getBoundingClientRect();
        const path = (svg.querySelector('g.fp-curve path') as SVGPathElement).getBBox();
        return {
          marker:
            marker.left >= box.left - 1 &&
            marker.right <= box.right + 1 &&
            marker.top >= box.top - 1,
          // The curve's top is below the plot's top edge (marginTop 20): nothing clipped.
          pathTop: path.y,
        };
      });
      expect(inside.marker).toBe(true);
      expect(inside.pathTop).toBeGreaterThan(20);
      // The activation select writes to the URL.
      await page.locator('section[aria-labelledby="neuron-title"] select').selectOption('sigmoid');
      await expect.poll(() => page.evaluate(() => location.hash)).toContain('act=sigmoid');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  // Issue 10: the activation plot could not be dragged (spec: draggable).
  it('dragging the neuron along its activation sets n through the bias; arrow keys too', async () => {
    const app = await openApp('#/moons');
    try {
      const page = app.page;
      const plot = page.getByTestId('neuron-plot').locator('svg');
      await plot.waitFor();
      // Lecture 1's neuron: x = (2, 0), w = (−3, 1), so n = −6 + b; the window is n ∈ [−4, 4].
      expect(await page.getByTestId('neuron-n').textContent()).toBe('0.8814');
      const box = (await plot.boundingBox())!;
      const at = await plotXToClient(plot);
      const y = box.y + box.height / 2;
      await page.mouse.move(at(-1), y);
      await page.mouse.down();
      await expect.poll(() => page.getByTestId('neuron-n').textContent()).toBe('-1.0000');
      await page.mouse.move(at(1.5), y, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => page.getByTestId('neuron-n').textContent()).toBe('1.5000');
      expect(await page.getByTestId('neuron-o').textContent()).toBe(Math.tanh(1.5).toFixed(4));
      await expect.poll(() => page.evaluate(() => location.hash)).toContain('b=7.5');
      // Moving the pointer after release does nothing.
      await page.mouse.move(at(-3), y);
      expect(await page.getByTestId('neuron-n').textContent()).toBe('1.5000');

      const point = page.getByRole('slider', { name: /the neuron's n/ });
      await point.focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => page.getByTestId('neuron-n').textContent()).toBe('1.4000');
      await page.keyboard.press('Shift+ArrowLeft');
      await expect.poll(() => page.getByTestId('neuron-n').textContent()).toBe('0.4000');
      await expect.poll(() => page.evaluate(() => location.hash)).toContain('b=6.4');
      // The bias stops at its slider's limit (8): n cannot pass −6 + 8 = 2 here.
      await page.mouse.move(at(3.5), y);
      await page.mouse.down();
      await page.mouse.up();
      await expect.poll(() => page.getByTestId('neuron-n').textContent()).toBe('2.0000');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);
});
