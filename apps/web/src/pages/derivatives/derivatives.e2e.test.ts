import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';

/** The machine is shared: give re-renders time under load. */
const POLL = { timeout: 10_000 };

describe.skipIf(!canRunBrowser)('derivatives page (built app in Chromium)', () => {
  it('draws the chain graph; Forward, Backward and stepping fill data and grads (a.grad = 6)', async () => {
    const app = await openApp('#/derivatives');
    try {
      const { page } = app;
      const graph = page.locator('.graph-host svg');
      await graph.waitFor({ timeout: 15_000 });
      // Before Forward, computed nodes show '?'; the leaf a shows its data.
      const node = (id: number) =>
        page.locator('.graph-host g.node', { has: page.locator(`title:text-is("v${id}")`) });
      await expect.poll(() => node(0).textContent(), POLL).toContain('data 2.0000');
      await expect.poll(() => node(6).textContent(), POLL).toContain('data ?');

      await page.getByRole('button', { name: 'Forward', exact: true }).click();
      await expect.poll(() => node(6).textContent(), POLL).toContain('data -8.0000');
      await expect.poll(() => node(6).textContent(), POLL).toContain('grad 0.0000');

      // One node at a time: the seed, then L = d*f (d and f receive), highlighted.
      const step = page.getByRole('button', { name: /^Step backward/ });
      await step.click();
      await step.click();
      const explanation = page.getByTestId('step-explanation');
      await expect
        .poll(() => explanation.textContent())
        .toContain('∂L/∂d × L.grad = -2.0000 × 1.0000 = -2.0000');
      await expect.poll(() => page.locator('.graph-host g.node.gv-active').count(), POLL).toBe(2); // L and its op node
      await expect.poll(() => page.locator('.graph-host g.node.gv-target').count(), POLL).toBe(2); // d and f
      await app.screenshot('derivatives-stepping');

      await page.getByRole('button', { name: 'Backward', exact: true }).click();
      await expect.poll(() => page.getByTestId('grad-a').textContent(), POLL).toBe('6.0000');
      await expect.poll(() => node(0).textContent(), POLL).toContain('grad 6.0000');
      await expect.poll(() => page.locator('.lab-table .ok').count(), POLL).toBe(7); // every nudge check agrees

      // Drag a leaf: a = 3 → L = -2·(3·-3 + 10) = -2, grads recomputed in place.
      await page.getByRole('spinbutton', { name: 'a', exact: true }).fill('3');
      await expect.poll(() => node(6).textContent(), POLL).toContain('data -2.0000');
      await expect.poll(() => page.getByTestId('grad-b').textContent(), POLL).toBe('-6.0000');
      await app.screenshot('derivatives-backward');

      // The README preset: g = 24.7041, dg/da = 138.8338.
      await page.getByRole('button', { name: "micrograd's README" }).click();
      await page.locator('.graph-host svg').waitFor();
      await page.getByRole('button', { name: 'Backward', exact: true }).click();
      await expect.poll(() => page.getByTestId('grad-a').textContent(), POLL).toBe('138.8338');
      await expect.poll(() => page.getByTestId('grad-b').textContent(), POLL).toBe('645.5773');
      expect(page.url()).toContain('preset=readme');

      // A syntax error names the column.
      await page.locator('#expr-editor').fill('a = 2; b = a * ; c = b');
      await page.getByRole('button', { name: /^Build graph/ }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain("expected a number, a name or '(', got ';' at column 16");
      await app.screenshot('derivatives-error');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);
});
