import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp, plotXToClient } from '../../e2e/harness.js';

/** The machine is shared: give re-renders time under load. */
const POLL = { timeout: 10_000 };

/** The numbers of the output vector `layer(x) = [a, b, …]`. */
function vector(text: string | null): number[] {
  return (/\[(.*)\]/.exec(text ?? '')?.[1] ?? '').split(',').map(Number);
}

describe.skipIf(!canRunBrowser)('the layer page (built app in Chromium)', () => {
  it('shows each neuron and the output vector; the inputs move them (issue 10: step 4 has a page)', async () => {
    const app = await openApp('#/layer');
    try {
      const { page } = app;
      const output = page.getByTestId('layer-output');
      await output.waitFor();
      // Layer(3, 4) with tanh on the lecture's x = [2, 3, −1]: 4 outputs, each tanh of its n.
      const outputs = vector(await output.textContent());
      expect(outputs.length).toBe(4);
      for (let j = 1; j <= 4; j++) {
        const n = Number(await page.getByTestId(`neuron-${j}-n`).textContent());
        const o = Number(await page.getByTestId(`neuron-${j}-o`).textContent());
        expect(o).toBeCloseTo(Math.tanh(n), 3); // both printed to 4 decimals
        expect(outputs[j - 1]).toBe(o);
      }
      await app.screenshot('layer');
      // Move x1: every neuron's n changes by its w₁·Δx (the biases stay).
      const before = await page.getByTestId('neuron-1-n').textContent();
      await page.getByRole('slider', { name: 'x1', exact: true }).fill('-1');
      await expect.poll(() => page.getByTestId('neuron-1-n').textContent(), POLL).not.toBe(before);
      await expect.poll(() => page.evaluate(() => location.hash), POLL).toContain('x1=-1');
      // Two inputs, two neurons, ReLU.
      await page.getByLabel('inputs (nin)').selectOption('2');
      await page.getByRole('slider', { name: 'neurons (nout)' }).fill('2');
      await page.locator('select[name="act"]').selectOption('relu');
      await expect.poll(async () => vector(await output.textContent()).length, POLL).toBe(2);
      expect(await page.getByRole('slider', { name: 'x3', exact: true }).count()).toBe(0);
      for (const value of vector(await output.textContent()))
        expect(value).toBeGreaterThanOrEqual(0);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 40_000);

  it('drag along the activation curve sets the neuron’s n (its bias moves); arrows too', async () => {
    const app = await openApp('#/layer?sel=2');
    try {
      const { page } = app;
      const plot = page.locator('.activation-plot svg');
      await plot.waitFor();
      // n from −6 to 6: where each n is on screen, read from the plot's x axis.
      const box = (await plot.boundingBox())!;
      const xOf = await plotXToClient(plot);
      await page.mouse.move(xOf(-3), box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(xOf(0), box.y + box.height / 3, { steps: 5 });
      await page.mouse.move(xOf(1.5), box.y + box.height / 4, { steps: 5 });
      await page.mouse.up();
      const n2 = page.getByTestId('neuron-2-n');
      await expect.poll(async () => Number(await n2.textContent()), POLL).toBeCloseTo(1.5, 1);
      const o2 = Number(await page.getByTestId('neuron-2-o').textContent());
      expect(o2).toBeCloseTo(Math.tanh(Number(await n2.textContent())), 3);
      // Only neuron 2's bias moved, and the link keeps it.
      await expect.poll(() => page.evaluate(() => location.hash), POLL).toMatch(/bias=2%3A/);
      expect(await page.getByTestId('neuron-1').locator('td').nth(2).textContent()).toBe('0.0000');
      await app.screenshot('layer-dragged');
      // Keyboard: the point is a slider; → adds 0.1 to n.
      const handle = page.getByRole('slider', { name: "neuron 2's pre-activation n" });
      const start = Number(await n2.textContent());
      await handle.focus();
      await page.keyboard.press('ArrowRight');
      await expect
        .poll(async () => Number(await n2.textContent()), POLL)
        .toBeCloseTo(start + 0.1, 3);
      // Reloading the link shows the same layer.
      const hash = await page.evaluate(() => location.hash);
      const again = await openApp(hash);
      try {
        await expect
          .poll(() => again.page.getByTestId('neuron-2-n').textContent(), POLL)
          .toBe(await n2.textContent());
      } finally {
        await again.close();
      }
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 40_000);
});
