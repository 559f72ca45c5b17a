import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp, plotXToClient } from '../../e2e/harness.js';

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
      // Issue 10: the nudge check sits beside each grad (not in a table below the graph).
      await expect.poll(() => node(0).textContent(), POLL).toContain('grad 6.0000 ✓');
      await expect
        .poll(() => page.locator('.graph-host text.gv-check-agree').count(), POLL)
        .toBe(7); // every nudge check agrees
      expect(await page.locator('table[aria-label^="Nodes"]').count()).toBe(0);
      // Hovering a value shows the numbers behind its check; so does focusing it (Tab).
      await node(0).hover();
      const tip = page.getByTestId('graph-tip');
      await expect.poll(() => tip.textContent(), POLL).toContain('a: data 2.0000, grad 6.0000');
      expect(await tip.textContent()).toContain('(L(a + h) − L) / h = 6.000000 with h = 1e-6');
      expect(await tip.textContent()).toContain('✓ backprop and nudge agree to 4 digits');
      await app.screenshot('derivatives-tip');
      await node(6).focus();
      await expect.poll(() => tip.textContent(), POLL).toContain('L: data -8.0000, grad 1.0000');
      // A coarse h: (L(e + h) − L)/h is exact for this linear L (✓ still), and the mark updates.
      await page.getByLabel('nudge h').selectOption('0.01');
      await expect.poll(() => node(0).textContent(), POLL).toContain('grad 6.0000 ✓');

      // Drag a leaf: a = 3 → L = -2·(3·-3 + 10) = -2, grads recomputed in place.
      await page.getByRole('spinbutton', { name: 'a', exact: true }).fill('3');
      await expect.poll(() => node(6).textContent(), POLL).toContain('data -2.0000');
      await expect.poll(() => node(1).textContent(), POLL).toContain('grad -6.0000');
      // Issue 10: the moved input is kept in the URL.
      await expect.poll(() => page.evaluate(() => location.hash), POLL).toContain('leaves=a%3A3');
      await app.screenshot('derivatives-backward');

      // The README preset: g = 24.7041, dg/da = 138.8338.
      await page.getByRole('button', { name: "micrograd's README" }).click();
      await page.locator('.graph-host svg').waitFor();
      await page.getByRole('button', { name: 'Backward', exact: true }).click();
      const labelled = (name: string) =>
        page.locator('.graph-host g.node').filter({ has: page.locator(`text:text-is("${name}")`) });
      await expect.poll(() => labelled('a').textContent(), POLL).toContain('grad 138.8338');
      await expect.poll(() => labelled('b').textContent(), POLL).toContain('grad 645.5773');
      // h = 1e-2 is coarse for this curved graph: some checks read ≈, none ✗.
      expect(await page.locator('.graph-host text.gv-check-close').count()).toBeGreaterThan(0);
      expect(await page.locator('.graph-host text.gv-check-differ').count()).toBe(0);
      expect(page.url()).toContain('preset=readme');

      // A syntax error names the column.
      await page.locator('#expr-editor').fill('a = 2; b = a * ; c = b');
      await page.getByRole('button', { name: /^Build graph/ }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain("expected a number, a name or '(', got ';' at column 16");
      // Issue 10: the previous graph is gone, so Forward/Backward cannot run on it.
      expect(await page.getByRole('button', { name: 'Forward', exact: true }).count()).toBe(0);
      expect(await page.locator('.graph-host svg').count()).toBe(0);
      await app.screenshot('derivatives-error');

      // Issue 10: inf and NaN are explained; −inf against −inf is not "≠".
      await page.locator('#expr-editor').fill('a = 1000; b = -exp(a); L = b * 2');
      await page.getByRole('button', { name: /^Build graph/ }).click();
      await page.getByRole('button', { name: 'Forward', exact: true }).click();
      await page.getByRole('button', { name: 'Backward', exact: true }).click();
      await expect
        .poll(() => page.getByTestId('non-finite-note').textContent(), POLL)
        .toContain('overflowed');
      expect(await page.getByTestId('non-finite-note').textContent()).toContain(
        'NaN ("not a number")',
      );
      await expect.poll(() => node(3).textContent(), POLL).toContain('data -inf');
      // Before the fix every non-finite check read "≠"; now a NaN nudge (−inf − (−inf)) reads "?".
      expect(await page.locator('.graph-host text.gv-check-differ').count()).toBe(0);
      expect(await page.locator('.graph-host text.gv-check-unknown').count()).toBeGreaterThan(0);
      await app.screenshot('derivatives-inf');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('a link with input values opens the same graph with those inputs (issue 10)', async () => {
    const app = await openApp('#/derivatives?leaves=a:3,b:-2');
    try {
      const { page } = app;
      await page.locator('.graph-host svg').waitFor({ timeout: 15_000 });
      expect(await page.getByRole('spinbutton', { name: 'a', exact: true }).inputValue()).toBe('3');
      expect(await page.getByRole('spinbutton', { name: 'b', exact: true }).inputValue()).toBe(
        '-2',
      );
      await page.getByRole('button', { name: 'Forward', exact: true }).click();
      // L = (3·−2 + 10)·−2 = −8.
      await expect
        .poll(
          () =>
            page
              .locator('.graph-host g.node', { has: page.locator('title:text-is("v6")') })
              .textContent(),
          POLL,
        )
        .toContain('data -8.0000');
      // Another preset starts from its own values.
      await page.getByRole('button', { name: '2-input tanh neuron' }).click();
      await expect.poll(() => page.evaluate(() => location.hash), POLL).not.toContain('leaves=');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('the nudge plot has axes with ticks (issue 10); its point drags and steps with the arrows', async () => {
    const app = await openApp('#/derivatives');
    try {
      const plot = app.page.getByTestId('nudge-plot');
      await plot.waitFor();
      // Observable Plot's axes (its minus sign is U+2212).
      expect(await plot.locator('[aria-label="x-axis tick label"] text').allTextContents()).toEqual(
        ['−4', '−2', '0', '2', '4'],
      );
      expect(await plot.locator('[aria-label="y-axis tick label"] text').allTextContents()).toEqual(
        ['0', '20', '40', '60', '80', '100'],
      );
      // The point drags along f (x through the plot's x scale): x = 2 gives f'(2) = 8.
      const svg = plot.locator('svg');
      const box = (await svg.boundingBox())!;
      const xOf = await plotXToClient(svg);
      await app.page.mouse.move(xOf(2), box.y + box.height / 2);
      await app.page.mouse.down();
      await app.page.mouse.up();
      const exact = app.page.getByTestId('nudge-exact');
      await expect.poll(() => exact.textContent()).toBe('8.000000000');
      await expect.poll(() => app.page.evaluate(() => location.hash)).toContain('x=2');
      // And the arrow keys: → adds 0.1 (f'(2.1) = 8.6).
      await app.page.getByRole('slider', { name: /drag the point along f/ }).focus();
      await app.page.keyboard.press('ArrowRight');
      await expect.poll(() => exact.textContent()).toBe('8.600000000');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);

  it('a 979-value MLP opens collapsed, a neuron per box; a click expands and collapses one (issue 10)', async () => {
    const app = await openApp('#/derivatives?preset=mlp');
    try {
      const { page } = app;
      const svg = page.locator('.graph-host svg');
      await svg.waitFor({ timeout: 20_000 });
      const boxes = page.locator('.graph-host g.node.gv-group');
      await expect.poll(() => boxes.count(), POLL).toBe(33);
      expect(await page.locator('.graph-host g.node').count()).toBe(35); // and x1, x2
      expect(await page.getByTestId('graph-collapse-status').textContent()).toContain(
        '979 values, each neuron collapsed into one box (33 neurons)',
      );
      // 339 inputs: the first 8 in the source's order (x1, x2, then layer 1's weights), the rest
      // behind "All 339 inputs".
      expect(await page.locator('.leaf-inputs label .mono').allTextContents()).toEqual([
        'x1',
        'x2',
        'w1_0_0',
        'w1_0_1',
        'b1_0',
        'w1_1_0',
        'w1_1_1',
        'b1_1',
      ]);
      expect(await page.getByText('All 339 inputs (331 more)').count()).toBe(1);
      await page.getByRole('button', { name: 'Backward', exact: true }).click();
      const box = (name: string) => boxes.filter({ has: page.locator(`text:text-is("${name}")`) });
      // The box shows the neuron's output: its data and grad, with the nudge check.
      await expect.poll(() => box('score').textContent(), POLL).toContain('grad 1.0000 ✓');
      expect(await box('h2_3').textContent()).toContain('relu(Σ w·x + b), 16 inputs');
      await app.screenshot('derivatives-mlp-collapsed');
      // Expand h2_3: its 16 weights, products and sums appear in a cluster.
      await box('h2_3').click();
      await expect.poll(() => page.locator('.graph-host g.cluster').count(), POLL).toBe(1);
      await expect.poll(() => page.locator('.graph-host g.node').count(), POLL).toBe(34 + 50 + 33);
      expect(await page.locator('.graph-host text.gv-check-differ').count()).toBe(0);
      await app.screenshot('derivatives-mlp-expanded');
      // Its button collapses it again; Enter on a focused box expands one; its cluster's label
      // collapses it.
      await page.getByRole('button', { name: 'Collapse h2_3' }).click();
      await expect.poll(() => page.locator('.graph-host g.cluster').count(), POLL).toBe(0);
      await expect.poll(() => page.locator('.graph-host g.node').count(), POLL).toBe(35);
      await box('h1_0').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.graph-host g.node').count(), POLL).toBe(34 + 8 + 5);
      await page.getByRole('button', { name: 'Fit', exact: true }).click();
      await page.locator('.graph-host g.cluster text').first().click();
      await expect.poll(() => page.locator('.graph-host g.node').count(), POLL).toBe(35);
      // Every value: the full graph, still zoomable.
      await page.getByRole('button', { name: 'Show every value (979)' }).click();
      await expect
        .poll(() => page.locator('.graph-host g.node').count(), { timeout: 30_000 })
        .toBe(979 + 640); // every value and the op node of each of the 640 computed ones
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('the collapsed MLP at 390 px: the page does not scroll sideways', async () => {
    const app = await openApp('#/derivatives?preset=mlp', { width: 390, height: 844 });
    try {
      const { page } = app;
      await page.locator('.graph-host g.node.gv-group').first().waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Backward', exact: true }).click();
      await app.screenshot('phone-derivatives-mlp');
      // At 1:1 on the output end (as micrograd draws it, rightmost): expand the score's neuron.
      await page
        .locator('.graph-host g.node.gv-group')
        .filter({ has: page.locator('text:text-is("score")') })
        .click();
      await expect.poll(() => page.locator('.graph-host g.cluster').count(), POLL).toBe(1);
      await app.screenshot('phone-derivatives-mlp-expanded');
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBeLessThanOrEqual(0);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 40_000);

  it('a large graph zooms and pans: buttons, wheel, drag, keyboard (issue 10)', async () => {
    const app = await openApp('#/derivatives?preset=readme');
    try {
      const { page } = app;
      const host = page.locator('.graph-host.graph-zoom');
      await host.locator('svg').waitFor({ timeout: 15_000 });
      const zoom = page.getByTestId('graph-zoom');
      const percent = async () => Number(/^(\d+)%/.exec((await zoom.textContent()) ?? '')?.[1]);
      const transform = () =>
        host.locator('svg').evaluate((svg) => (svg as SVGElement).style.transform);
      // Opens at actual size on the output end: the last node (g) is in view.
      await expect.poll(percent, POLL).toBe(100);
      await page.getByRole('button', { name: 'Fit', exact: true }).click();
      await expect.poll(percent, POLL).toBeLessThan(100);
      const fitted = await percent();
      // Keyboard: + zooms in, 0 fits again, 1 is actual size.
      await host.focus();
      await page.keyboard.press('+');
      await expect.poll(percent, POLL).toBeGreaterThan(fitted);
      await page.keyboard.press('0');
      await expect.poll(percent, POLL).toBe(fitted);
      await page.keyboard.press('1');
      await expect.poll(percent, POLL).toBe(100);
      // The wheel zooms about the pointer; the page does not scroll.
      const box = (await host.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const scrollBefore = await page.evaluate(() => window.scrollY);
      await page.mouse.wheel(0, 400);
      await expect.poll(percent, POLL).toBeLessThan(100);
      expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
      // Dragging pans; the arrows pan too.
      const before = await transform();
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 30, { steps: 4 });
      await page.mouse.up();
      await expect.poll(transform, POLL).not.toBe(before);
      const dragged = await transform();
      await host.focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(transform, POLL).not.toBe(dragged);
      await app.screenshot('derivatives-zoom');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 30_000);
});
