import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledBook } from '@llm-playground/data';
import { prepareRun, saveCheckpoint } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { canRunBrowser, openApp } from '../../e2e/harness.js';
import { LmSessionTrainer } from './lm-kind.js';

/** A small GPT on the bundled book: a few steps in seconds. */
const SMALL = 'block-size=16&n-embd=32&n-head=4&n-layer=2&steps=60&eval=30&batch=16';

describe.skipIf(!canRunBrowser)('GPT page in Chromium', () => {
  it('trains on the book, streams a sample, and draws attention heatmaps with real values', async () => {
    const app = await openApp(`#/gpt?${SMALL}&look=Call%20me%20Ishmael.`);
    try {
      const page = app.page;
      const status = page.getByTestId('lm-status');
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('parameters');
      await expect(page.getByTestId('text-source').textContent()).resolves.toContain(
        '1,071,285 characters to train on',
      );
      await page.getByRole('button', { name: 'Train' }).click();
      await expect
        .poll(() => status.getAttribute('data-status'), { timeout: 90_000, interval: 250 })
        .toBe('done');
      expect(await status.getAttribute('data-step')).toBe('60');
      // The sample of the last evaluation, and the losses below ln 83 = 4.42.
      await expect.poll(() => page.getByTestId('eval-sample').getAttribute('data-step')).toBe('60');
      expect((await page.getByTestId('eval-sample').textContent())?.length).toBe(200);
      const losses = (await page.getByTestId('lm-losses').textContent()) ?? '';
      const validation = Number(/validation ([\d.]+)/.exec(losses)?.[1]);
      expect(validation).toBeLessThan(4.0);

      // Streaming generation: the characters arrive in several chunks.
      await page.getByRole('spinbutton', { name: 'Characters' }).fill('300');
      await page.getByRole('spinbutton', { name: 'Characters' }).blur();
      await page.getByRole('button', { name: 'Generate' }).click();
      const output = page.getByTestId('generation');
      const lengths = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const text = (await output.textContent().catch(() => '')) ?? '';
        lengths.add(text.length);
        if ((await output.getAttribute('data-done').catch(() => null)) === 'true') break;
        await page.waitForTimeout(20);
      }
      await expect.poll(() => output.getAttribute('data-done'), { timeout: 30_000 }).toBe('true');
      expect((await output.textContent())?.startsWith('Call me ')).toBe(true);
      expect((await output.textContent())?.length).toBe('Call me '.length + 300);
      expect(lengths.size).toBeGreaterThan(2); // seen while growing

      // Bad prompts: the message, and the model stays.
      await page.locator('textarea[name="prompt"]').fill('Ahab § 😀');
      await page.locator('textarea[name="prompt"]').blur();
      await page.getByRole('button', { name: 'Generate' }).click();
      await expect
        .poll(() => page.getByTestId('generate-error').textContent())
        .toContain("not in the model's vocabulary");
      await page.locator('textarea[name="prompt"]').fill('');
      await page.locator('textarea[name="prompt"]').blur();
      await page.getByRole('button', { name: 'Generate' }).click();
      await expect
        .poll(() => page.getByTestId('generate-error').textContent())
        .toContain('The prompt is empty');
      expect(await status.getAttribute('data-step')).toBe('60');

      // Look inside: 2 layers × 4 heads, 16×16 over the prompt's characters, rows sum to 1.
      await page.getByRole('button', { name: 'Look inside' }).click();
      await expect.poll(() => page.getByTestId('look-inside').count()).toBe(1);
      expect(await page.locator('[data-testid^="heatmap-"]').count()).toBe(8);
      const cells = page.getByTestId('heatmap-1-2').locator('g.heatmap-cells rect');
      expect(await cells.count()).toBe(16 * 16);
      const strip = page.getByTestId('strip-1-2').locator('span');
      const weights = await strip.evaluateAll((spans) =>
        spans.map((s) => Number(s.getAttribute('data-weight'))),
      );
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      // Hover the 3rd character: its row attends only to the first three.
      await page.getByTestId('query-chars').locator('button').nth(2).hover();
      const third = await strip.evaluateAll((spans) =>
        spans.map((s) => Number(s.getAttribute('data-weight'))),
      );
      expect(third.slice(3).every((w) => w === 0)).toBe(true);
      expect(third.slice(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(await page.getByTestId('topk').locator('tr').count()).toBe(16);
      expect(await page.getByTestId('residual-norms').locator('path').count()).toBeGreaterThan(2);
      await app.screenshot('gpt-look-inside');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 240_000);

  it('trains on a 300-token BPE: its training time, the loss per character, a streamed sample', async () => {
    const app = await openApp(`#/gpt?${SMALL}&tokens=bpe&vocab=300&look=Call%20me`);
    try {
      const page = app.page;
      const status = page.getByTestId('lm-status');
      await expect.poll(() => status.textContent(), { timeout: 120_000 }).toContain('parameters');
      const bpeLine = (await page.getByText(/BPE of 300 tokens trained in/).textContent()) ?? '';
      const factor = Number(/([\d.]+) tokens per character/.exec(bpeLine)?.[1]);
      expect(factor).toBeGreaterThan(0.4);
      expect(factor).toBeLessThan(0.7);
      await page.getByRole('button', { name: 'Train' }).click();
      await expect
        .poll(() => status.getAttribute('data-status'), { timeout: 90_000, interval: 250 })
        .toBe('done');
      // Loss per token below ln 300 = 5.70, and per character = per token × tokens/char.
      const losses = (await page.getByTestId('lm-losses').textContent()) ?? '';
      const perToken = Number(/validation ([\d.]+) per token/.exec(losses)?.[1]);
      const perChar = Number(/= ([\d.]+) per character/.exec(losses)?.[1]);
      expect(perToken).toBeLessThan(5.5);
      expect(perChar).toBeCloseTo(perToken * factor, 2);

      await page.getByRole('spinbutton', { name: 'Characters' }).fill('150');
      await page.getByRole('spinbutton', { name: 'Characters' }).blur();
      await page.locator('textarea[name="prompt"]').fill('Ahab 😀 ');
      await page.locator('textarea[name="prompt"]').blur();
      await page.getByRole('button', { name: 'Generate' }).click();
      const output = page.getByTestId('generation');
      await expect.poll(() => output.getAttribute('data-done'), { timeout: 30_000 }).toBe('true');
      const generated = (await output.textContent()) ?? '';
      expect(generated.startsWith('Ahab 😀 ')).toBe(true);
      expect(generated.length).toBeGreaterThan('Ahab 😀 '.length + 100); // 150 tokens
      // Look inside: the heatmap's labels are the BPE's tokens (fewer than the characters).
      await page.getByRole('button', { name: 'Look inside' }).click();
      await expect.poll(() => page.getByTestId('look-inside').count()).toBe(1);
      const labels = await page.getByTestId('query-chars').locator('button').allTextContents();
      expect(labels.join('')).toBe('Call␣me');
      expect(labels.length).toBeLessThan('Call me'.length);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 300_000);

  it('opens a checkpoint written by the CLI, saves it back, and refuses another family', async () => {
    // What `lmp train --model gpt --steps 7` writes (prepareRun + saveCheckpoint), in Node.
    const dir = mkdtempSync(join(tmpdir(), 'lmp-gpt-'));
    const { text } = await bundledBook();
    const run = prepareRun({
      family: 'gpt',
      text,
      rawConfig: { blockSize: 16, nEmbd: 16, nHead: 2, nLayer: 1 },
      run: { steps: 7 },
    });
    const trainer = run.createTrainer();
    trainer.run();
    const { config, tokenizer, model } = run;
    saveCheckpoint(dir, { config, tokenizer, model, step: 7, trainerState: trainer.state() });
    // An RNN's checkpoint, saved by the RNN page's trainer.
    const rnn = new LmSessionTrainer({
      family: 'rnn',
      words: ['emma', 'olivia', 'ava', 'isabella'],
      settings: {
        model: { nEmbd: 4, nEmbd2: 4 },
        lr: 1e-3,
        steps: 1,
        batchSize: 2,
        seed: 1,
        evalEvery: 10,
      },
    });
    const rnnFile = join(dir, 'rnn.safetensors');
    writeFileSync(
      rnnFile,
      (rnn.call('save', {}).value as { 'model.safetensors': Uint8Array })['model.safetensors'],
    );

    const app = await openApp(`#/gpt?${SMALL}`);
    try {
      const page = app.page;
      const status = page.getByTestId('lm-status');
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('parameters');
      await page.getByRole('button', { name: 'Step 100' }).click();
      await expect.poll(() => status.getAttribute('data-step'), { timeout: 60_000 }).toBe('60');
      const input = page.locator('input[name="checkpoint"]');
      // Another family: the message, and the model (at step 60) stays.
      await input.setInputFiles(rnnFile);
      await expect
        .poll(() => page.getByTestId('file-error').textContent())
        .toBe(
          'Not opened: this checkpoint is a rnn model; the GPT page opens gpt checkpoints The current model is kept.',
        );
      expect(await status.getAttribute('data-step')).toBe('60');
      // The CLI's checkpoint (model.safetensors alone carries checkpoint.json).
      await input.setInputFiles(join(dir, 'model.safetensors'));
      await expect
        .poll(() => page.getByTestId('file-message').textContent())
        .toContain('Opened model.safetensors: a gpt model with');
      await expect.poll(() => status.getAttribute('data-step')).toBe('7');
      expect(await status.textContent()).toContain(
        `${model.numParameters().toLocaleString('en-US')} parameters`,
      );
      // Saved back: the same weights as the CLI's file, byte for byte (step and state unchanged).
      const downloads: Promise<import('playwright-core').Download>[] = [];
      page.on('download', (d) => downloads.push(Promise.resolve(d)));
      await page.getByRole('button', { name: 'Save the model' }).click();
      await expect.poll(() => downloads.length).toBe(2);
      const saved = await Promise.all(downloads);
      const weights = saved.find((d) => d.suggestedFilename() === 'model.safetensors');
      const path = await weights?.path();
      expect(
        readFileSync(path as string).equals(readFileSync(join(dir, 'model.safetensors'))),
      ).toBe(true);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 240_000);

  it('bad input: heads that do not divide n_embd, a text too short, a binary file; nothing lost', async () => {
    const app = await openApp(`#/gpt?${SMALL.replace('n-head=4', 'n-head=3')}`);
    try {
      const page = app.page;
      // PyTorch's words, and the heads used instead (32 = 2 × 16).
      await expect
        .poll(() => page.getByTestId('clamp-note').textContent())
        .toContain('n-head=3: embed_dim must be divisible by num_heads');
      const status = page.getByTestId('lm-status');
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('parameters');
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await expect.poll(() => status.getAttribute('data-step')).toBe('1');
      await page.getByText('Train on your own text').click();
      await page.locator('textarea[name="own-text"]').fill('Call me Ishmael.');
      await page.getByRole('button', { name: 'Train on the pasted text' }).click();
      await expect
        .poll(() => page.getByTestId('text-problem').textContent())
        .toContain('pasted text has 16 characters: its validation part');
      await page.locator('input[name="text-file"]').setInputFiles({
        name: 'whale.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from([0x43, 0x61, 0x00, 0xff, 0x6c]),
      });
      await expect
        .poll(() => page.getByTestId('text-problem').textContent())
        .toContain('whale.bin is not UTF-8 text');
      // The book's model is still there, at its step.
      expect(await status.getAttribute('data-step')).toBe('1');
      expect(await page.getByTestId('text-source').textContent()).toContain('Moby Dick');
      // A text long enough: a new model on it.
      const text = 'It is not down in any map; true places never are.\n'.repeat(20);
      await page.locator('textarea[name="own-text"]').fill(text);
      await page.getByRole('button', { name: 'Train on the pasted text' }).click();
      await expect
        .poll(() => page.getByTestId('text-source').textContent())
        .toContain(`pasted text: ${Math.floor(0.9 * text.length)} characters to train on`);
      await expect.poll(() => status.getAttribute('data-step')).toBe('0');
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 240_000);
});
