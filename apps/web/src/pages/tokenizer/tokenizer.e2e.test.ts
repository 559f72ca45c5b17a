import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';

const LECTURE = 'hello123!!!? (안녕하세요!) 😉';
const ISHMAEL =
  'Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world.\n';
const POLL = { timeout: 30_000 };

describe.skipIf(!canRunBrowser)('the tokenizer page (built app in Chromium)', () => {
  it('colours GPT-2 and GPT-4 tokens, shows the ids, trains a BPE and offers its files', async () => {
    const app = await openApp('#/tokenizer?tok=gpt2');
    try {
      const { page } = app;
      const ids = page.getByTestId('tok-ids');
      const text = page.getByRole('textbox', { name: 'Text' });
      await text.fill(LECTURE);
      // GPT-2 splits Hangul and the emoji into byte tokens: 22 ids.
      await expect
        .poll(() => ids.textContent(), POLL)
        .toBe(
          '31373, 10163, 10185, 30, 357, 168, 243, 230, 167, 227, 243, 47991, 246, 168, 226, 116, 168, 248, 242, 8133, 30325, 231',
        );
      await page.locator('select[name="tok"]').selectOption('cl100k_base');
      await expect
        .poll(() => ids.textContent(), POLL)
        .toBe('15339, 4513, 12340, 30, 320, 31495, 230, 75265, 243, 92245, 16715, 57037');
      await expect(page.getByTestId('tok-counts').textContent()).resolves.toBe(
        '23 characters · 36 UTF-8 bytes · 12 tokens · 3.00 bytes per token',
      );
      // The coloured spans read back as the text (spaces shown as ·); 안 is two tokens in one span.
      const spans = page.getByTestId('tok-spans').locator('span');
      expect(await spans.count()).toBe(10);
      expect((await page.getByTestId('tok-spans').textContent())?.replaceAll('·', ' ')).toBe(
        LECTURE,
      );
      expect(await spans.nth(5).getAttribute('data-ids')).toBe('31495 230');
      // 안 is EC 95 88 in UTF-8: the first token has two of its bytes, the second one.
      expect(await spans.nth(5).getAttribute('title')).toMatch(
        /^31495: \[236, 149\] .*\n230: \[136\] /,
      );
      await app.screenshot('tokenizer-gpt4');

      // A special token: one token when allowed, tiktoken's error when not.
      await text.fill('hi<|endoftext|>');
      await expect.poll(() => ids.textContent(), POLL).toBe('6151, 100257');
      await page.locator('select[name="special"]').selectOption('none_raise');
      await expect
        .poll(() => page.getByTestId('tok-error').textContent(), POLL)
        .toContain("Encountered text corresponding to disallowed special token '<|endoftext|>'.");

      // Train 44 merges on a text: the merge table and the curve grow, then the text is
      // tokenized with it (its <|endoftext|> is id 300).
      await page.locator('select[name="special"]').selectOption('all');
      await text.fill(`${ISHMAEL.repeat(5)}<|endoftext|>`);
      await page.getByRole('slider', { name: 'vocabulary size' }).fill('300');
      await page.getByRole('button', { name: 'Train' }).click();
      const status = page.getByTestId('train-status');
      await expect.poll(() => status.getAttribute('data-status'), POLL).toBe('done');
      expect(await status.textContent()).toContain('44 merges in');
      const rows = page.getByTestId('merge-table').locator('tbody tr');
      expect(await rows.count()).toBe(44);
      // Latest first: merge 1 is the last row, the most frequent pair of the text.
      const first = await rows.last().locator('td').allTextContents();
      expect(first[0]).toBe('1');
      // (' ', 'm'): 25 times (5 per sentence), the first of the pairs tied at 25.
      expect(first.slice(1)).toEqual(['[ ][m]', '256 [ m]', '25']);
      expect(await page.locator('.tok-train .uplot canvas').count()).toBeGreaterThan(0);
      await expect.poll(() => page.evaluate(() => location.hash), POLL).toContain('tok=trained');
      // 1,148 bytes: 631 tokens after the merges, 621 with <|endoftext|> as one token (id 300).
      await expect.poll(async () => (await ids.textContent())?.endsWith(', 300'), POLL).toBe(true);
      expect((await ids.textContent())?.split(', ')).toHaveLength(621);
      await app.screenshot('tokenizer-trained');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download .model (minbpe)' }).click();
      const file = readFileSync((await (await download).path()) as string, 'utf8').split('\n');
      expect(file.slice(0, 4)).toEqual([
        'minbpe v1',
        "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+",
        '1',
        '<|endoftext|> 300',
      ]);
      expect(file.filter((line) => /^\d+ \d+$/.test(line))).toHaveLength(44);

      // Bad input: an empty text says so; training on it shows the package's error.
      await text.fill('');
      await page.getByText('The text is empty: paste some text to tokenize.').waitFor();
      await page.getByRole('button', { name: 'Train' }).click();
      await expect.poll(() => status.getAttribute('data-status'), POLL).toBe('failed');
      expect(await status.textContent()).toContain(
        'cannot train on an empty text: pass some text to learn merges from',
      );
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('trains on the bundled book in the worker without freezing the page', async () => {
    // tok=trained: no rank table to load on the main thread, so any long task would be training's.
    const app = await openApp('#/tokenizer?tok=trained&source=book&vocab=512&kind=basic');
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Train' }).click();
      const status = page.getByTestId('train-status');
      await expect.poll(() => status.getAttribute('data-status'), { timeout: 90_000 }).toBe('done');
      expect(await status.textContent()).toMatch(/Moby Dick.*bytes: 256 merges in/i);
      expect(await page.getByTestId('merge-table').locator('tbody tr').count()).toBe(256);
      const longTasks = await app.longTasks();
      console.log(`tokenizer page, book training: long tasks ${JSON.stringify(longTasks)} ms`);
      // Training 1.2 MB takes ~0.5 s: on the main thread that would be one task that long.
      expect(Math.max(0, ...longTasks)).toBeLessThan(300);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);
});
