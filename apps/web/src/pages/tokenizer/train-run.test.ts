import { bundledBook } from '@llm-playground/data';
import { tokenizerFromJSON } from '@llm-playground/tokenizer';
import { describe, expect, it } from 'vitest';
import { exactCurve } from './token-view.js';
import { type MergeRow, type TrainMessage, trainBpe } from './train-run.js';

async function run(request: Parameters<typeof trainBpe>[0], batchMs = 50) {
  const messages: TrainMessage[] = [];
  await trainBpe(request, (message) => messages.push(message), bundledBook, batchMs);
  return messages;
}

describe('trainBpe (the worker, without the Worker)', () => {
  it("trains minbpe's example: merge rows with their bytes, the JSON, the exact curve", async () => {
    const messages = await run({
      type: 'train',
      kind: 'basic',
      vocabSize: 259,
      text: 'aaabdaaabac',
    });
    expect(messages[0]).toEqual({ type: 'started', bytes: 11, source: 'your text' });
    const rows = messages.flatMap((m) => (m.type === 'merges' ? m.rows : [])) as MergeRow[];
    expect(rows).toEqual([
      { rank: 1, pair: [97, 97], id: 256, count: 4, bytes: [97, 97] },
      { rank: 2, pair: [256, 97], id: 257, count: 2, bytes: [97, 97, 97] },
      { rank: 3, pair: [257, 98], id: 258, count: 2, bytes: [97, 97, 97, 98] },
    ]);
    const done = messages.at(-1);
    if (done?.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
    expect(done.curve).toEqual([11, 9, 7, 5]);
    const tokenizer = tokenizerFromJSON(done.json);
    expect(tokenizer.encode('aaabdaaabac')).toEqual([258, 100, 258, 97, 99]);
    // <|endoftext|> right after the merges; the .model file records it.
    expect(tokenizer.encode('a<|endoftext|>', 'all')).toEqual([97, 259]);
    expect(tokenizer.toModelFile().split('\n').slice(0, 4)).toEqual([
      'minbpe v1',
      '',
      '1',
      '<|endoftext|> 259',
    ]);
  });

  it('says what was wrong: an empty text, a vocabulary of 256, too few pairs', async () => {
    const empty = await run({ type: 'train', kind: 'regex', vocabSize: 300, text: '' });
    expect(empty.at(-1)).toEqual({
      type: 'failed',
      message: 'cannot train on an empty text: pass some text to learn merges from',
    });
    const small = await run({ type: 'train', kind: 'regex', vocabSize: 256, text: 'hello' });
    expect(small.at(-1)).toMatchObject({
      type: 'failed',
      message: expect.stringContaining('vocabSize must be an integer greater than 256'),
    });
    const short = await run({ type: 'train', kind: 'basic', vocabSize: 300, text: 'abc' });
    expect(short.at(-1)).toMatchObject({
      type: 'failed',
      message: expect.stringContaining('cannot learn 44 merges'),
    });
  });

  it('trains 512 on the bundled book, streaming the merges in batches', async () => {
    const messages = await run({ type: 'train', kind: 'regex', vocabSize: 512, text: null }, 0);
    const { text } = await bundledBook();
    const done = messages.at(-1);
    if (done?.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(done)}`);
    const rows = messages.flatMap((m) => (m.type === 'merges' ? m.rows : []));
    expect(messages.filter((m) => m.type === 'merges').length).toBeGreaterThan(1);
    expect(rows.map((row) => row.rank)).toEqual(Array.from({ length: 256 }, (_, i) => i + 1));
    const tokenizer = tokenizerFromJSON(done.json);
    const ids = tokenizer.encodeOrdinary(text);
    expect(done.curve.at(-1)).toBe(ids.length);
    expect(done.curve).toEqual(exactCurve(ids, tokenizer.merges));
    expect(done.bytes).toBe(new TextEncoder().encode(text).length);
    // Each merge saves tokens: the curve falls, most at first.
    for (let m = 1; m < done.curve.length; m++)
      expect(done.curve[m]).toBeLessThan(done.curve[m - 1]);
    expect(done.bytes / ids.length).toBeGreaterThan(2);
  }, 30_000);
});
