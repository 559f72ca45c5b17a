import { bundledNames } from '@llm-playground/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, canRunBrowser, openApp } from '../../e2e/harness.js';
import { buildBigramTable, sampleNames } from './bigram-table.js';

/** The counts, computed here from the same bundled names with a plain Map. */
function expectedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of bundledNames().words) {
    const chars = ['.', ...Array.from(word), '.'];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = chars[i] + chars[i + 1];
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  }
  return counts;
}

/** Every heatmap cell as [pair, printed pair, printed count]. */
function readCells(app: AppSession) {
  // Plot draws the cells, the pairs and the counts as three marks, each in the cells' order.
  return app.page.$eval('svg.matrix-heatmap', (svg) => {
    const pairs = [...svg.querySelectorAll('.cell-pair text')];
    const counts = [...svg.querySelectorAll('.cell-count text')];
    return [...svg.querySelectorAll('rect[data-pair]')].map((rect, i) => [
      rect.getAttribute('data-pair'),
      pairs[i]?.textContent,
      counts[i]?.textContent,
    ]);
  });
}

describe.skipIf(!canRunBrowser)('bigram counts page in Chromium', () => {
  let app: AppSession;
  beforeAll(async () => {
    app = await openApp('#/bigram');
  });
  afterAll(() => app?.close());

  it('shows one cell per pair of the vocabulary, each with its pair and the right count', async () => {
    const cells = await readCells(app);
    const vocabulary = ['.', '-', ...'abcdefghijklmnopqrstuvwxyz'];
    expect(cells).toHaveLength(vocabulary.length ** 2); // 28 × 28: '-' occurs in the names
    const expected = expectedCounts();
    const byPair = new Map(cells.map(([pair, text, count]) => [pair, { text, count }]));
    for (const a of vocabulary) {
      for (const b of vocabulary) {
        const cell = byPair.get(a + b);
        expect(cell?.text).toBe(a + b);
        expect(cell?.count, a + b).toBe(String(expected.get(a + b) ?? 0));
      }
    }
    // A few by name, as in the lecture's picture.
    expect(byPair.get('e.')?.count).toBe('1928');
    expect(byPair.get('an')?.count).toBe(String(expected.get('an')));
    expect(byPair.get('qq')?.count).toBe('0');
    await app.screenshot('bigram-counts');
  });

  it('the smoothing slider changes the data NLL, and k = 0 makes andrejq impossible', async () => {
    const nll = app.page.getByTestId('dataset-nll');
    expect(await nll.textContent()).toBe('2.4232');
    expect(await app.page.getByTestId('word-nll').textContent()).not.toBe('∞');
    const slider = app.page.getByLabel('add-k smoothing');
    await slider.focus();
    await app.page.keyboard.press('Home');
    await expect.poll(() => nll.textContent()).toBe('2.4187');
    expect(await app.page.getByTestId('word-nll').textContent()).toBe('∞');
    expect(await app.page.getByRole('status').filter({ hasText: '“jq”' }).textContent()).toMatch(
      /“jq”.* never occurs? in the data, so with k = 0 (its|their) probability is 0 and −log 0 = ∞/,
    );
    await app.screenshot('bigram-andrejq-k0');
    await app.page.keyboard.press('End');
    await expect.poll(() => nll.textContent()).not.toBe('2.4187');
    expect(Number(await nll.textContent())).toBeGreaterThan(2.4232);
    // The URL follows once the slider rests (writes are deferred while dragging).
    await expect.poll(() => app.page.evaluate(() => location.hash)).toContain('k=10');
  });

  it('clicking or focusing a row shows its distribution', async () => {
    await app.page.locator('rect[data-pair="b."]').click();
    await expect
      .poll(() => app.page.getByRole('heading', { level: 2, name: /What follows/ }).textContent())
      .toBe("What follows 'b'");
    await app.page.keyboard.press('ArrowDown');
    await expect
      .poll(() => app.page.getByRole('heading', { level: 2, name: /What follows/ }).textContent())
      .toBe("What follows 'c'");
    expect(await app.page.evaluate(() => location.hash)).toContain('row=c');
    await app.screenshot('bigram-row-c');
    expect(app.errors).toEqual([]);
  });
});

describe.skipIf(!canRunBrowser)('bigram counts page state in the URL', () => {
  it('restores k, seed, count, row and word from the URL', async () => {
    const app = await openApp('#/bigram?k=0&seed=42&n=3&row=a&word=emma');
    try {
      expect(await app.page.getByTestId('dataset-nll').textContent()).toBe('2.4187');
      expect(await app.page.getByLabel('add-k smoothing').inputValue()).toBe('0');
      expect(await app.page.getByRole('textbox', { name: 'word' }).inputValue()).toBe('emma');
      expect(
        await app.page.getByRole('heading', { level: 2, name: /What follows/ }).textContent(),
      ).toBe("What follows 'a'");
      const expected = sampleNames(buildBigramTable(bundledNames().words), {
        seed: 42,
        count: 3,
        smoothing: 0,
      });
      expect(await app.page.getByTestId('samples').locator('li').allTextContents()).toEqual(
        expected,
      );
      // "Reset to defaults" clears the URL.
      await app.page.getByRole('button', { name: 'Reset to defaults' }).click();
      await expect.poll(() => app.page.getByTestId('dataset-nll').textContent()).toBe('2.4232');
      expect(await app.page.evaluate(() => location.hash)).toBe('#/bigram');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
