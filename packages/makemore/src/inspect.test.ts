// Looking inside: attention weights equal the model's own, residual norms and hidden states
// recomputed by hand in float64 from the weights, top-k = softmax of the logits, eval mode, errors.
import { Generator } from '@llm-playground/core';
import { CharTokenizer, DataError } from '@llm-playground/data';
import { noGrad, Tensor } from '@llm-playground/tensor';
import { RegexTokenizer } from '@llm-playground/tokenizer';
import { describe, expect, it } from 'vitest';
import { FamilyMismatchError } from './errors.js';
import { familyConfig } from './families/catalog.js';
import type { GPT } from './families/gpt/gpt.js';
import { GPT_ARCHITECTURES } from './families/gpt/schema.js';
import { createModel } from './families/registry.js';
import type { RNN } from './families/rnn/rnn.js';
import type { Transformer } from './families/transformer/transformer.js';
import { hiddenStates, inspectAttention } from './inspect.js';
import { BpeTextTokenizer } from './text-tokenizer.js';

const TEXT = 'Call me Ishmael. Some years ago, never mind how long precisely.\n';
const tokenizer = CharTokenizer.fromText(TEXT);
const V = tokenizer.vocabSize;
const build = <T>(kind: string, settings: Record<string, unknown>) =>
  createModel(familyConfig(kind, { blockSize: 8, ...settings }, { vocabSize: V }), {
    generator: new Generator(42),
  }) as T;
const ids = (text: string) => new Tensor(tokenizer.encodeText(text), [1, [...text].length]);
const rowOf = (t: Tensor, row: number, width: number) =>
  Array.from(t.data.subarray(row * width, (row + 1) * width), Number);
const norm = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0));
/** softmax in float64 of each position's logits `[1, T, V]`. */
const softmaxRows = (logits: Tensor) =>
  Array.from({ length: logits.shape[1] }, (_, t) => {
    const row = rowOf(logits, t, V);
    const max = Math.max(...row);
    const e = row.map((x) => Math.exp(x - max));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });

describe('inspectAttention', () => {
  it('gpt blocks: weights are the model’s own (causal, rows sum to 1), norms and top-k by hand, in eval mode', () => {
    const model = build<GPT>('gpt', { nEmbd: 16, nHead: 2, nLayer: 2, dropout: 0.5 });
    model.train();
    const prompt = 'Call me';
    const view = inspectAttention(model, tokenizer, prompt, { topK: 3 });
    expect(model.training).toBe(true); // restored
    expect(view).toMatchObject({ kind: 'gpt', droppedCharacters: 0, blockSize: 8 });
    expect(view.tokens).toEqual([...prompt]);
    expect(view.residualLabels).toEqual(['embeddings', 'block 0', 'block 1']);
    expect(view.layers.map((l) => l.label)).toEqual(['block 0', 'block 1']);
    const own = model.attentionWeights(ids(prompt));
    view.layers.forEach((layer, l) => {
      expect(layer.heads).toEqual((own[l].tolist() as number[][][][])[0]);
      expect(layer.heads.length).toBe(2);
      for (const head of layer.heads) {
        head.forEach((row, q) => {
          expect(row.length).toBe(7);
          expect(row.slice(q + 1).every((w) => w === 0)).toBe(true);
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        });
      }
    });
    // the embeddings by hand: ||wte[id_t] + wpe[t]||, then each block's output
    model.eval();
    const x = ids(prompt);
    const C = 16;
    const embeddings = Array.from(x.data, (id, t) => {
      const token = rowOf(model.tokenEmbeddingTable.weight, id, C);
      const position = rowOf(model.positionEmbeddingTable!.weight, t, C);
      return norm(token.map((v, c) => v + position[c]));
    });
    view.residualNorms[0].forEach((n, t) => {
      expect(n).toBeCloseTo(embeddings[t], 5);
    });
    let stream = noGrad(() =>
      model.tokenEmbeddingTable
        .forward(x)
        .add(
          model.positionEmbeddingTable!.forward(
            new Tensor(Int32Array.from([0, 1, 2, 3, 4, 5, 6]), [7]),
          ),
        ),
    );
    model.blocks!.forEach((block, l) => {
      stream = noGrad(() => block.forward(stream));
      const want = Array.from({ length: 7 }, (_, t) => norm(rowOf(stream, t, C)));
      view.residualNorms[l + 1].forEach((n, t) => {
        expect(n).toBeCloseTo(want[t], 5);
      });
    });
    // top-k: softmax(logits) at each position, most likely first
    const probs = softmaxRows(noGrad(() => model.forward(x)));
    view.topK.forEach((row, t) => {
      expect(row.length).toBe(3);
      const best = probs[t].map((p, id) => [p, id]).sort((a, b) => b[0] - a[0]);
      expect(row.map((c) => c.id)).toEqual(best.slice(0, 3).map(([, id]) => id));
      row.forEach((c) => {
        expect(c.p).toBeCloseTo(probs[t][c.id], 6);
        expect(c.token).toBe(tokenizer.itos[c.id]);
      });
    });
  });

  it('every rung of the ladder: one layer of one head, of nHead heads, none for the bigram', () => {
    const expected: Record<string, [string[], number[], string[]]> = {
      bigram: [[], [], ['embeddings']],
      'one-head': [['head'], [1], ['embeddings', 'head']],
      'multi-head': [['heads'], [4], ['embeddings', 'heads']],
      'feed-forward': [['heads'], [4], ['embeddings', 'heads', 'feed-forward']],
      blocks: [['block 0'], [4], ['embeddings', 'block 0']],
    };
    for (const architecture of GPT_ARCHITECTURES) {
      const model = build<GPT>('gpt', { architecture, nEmbd: 16, nHead: 4, nLayer: 1 });
      const view = inspectAttention(model, tokenizer, 'me', { topK: 100 });
      const [labels, heads, stages] = expected[architecture];
      expect(
        view.layers.map((l) => l.label),
        architecture,
      ).toEqual(labels);
      expect(view.layers.map((l) => l.heads.length)).toEqual(heads);
      expect(view.residualLabels).toEqual(stages);
      expect(view.residualNorms.map((r) => r.length)).toEqual(stages.map(() => 2));
      expect(view.topK[1].length).toBe(V); // capped at the vocabulary
      expect(view.topK[1].reduce((s, c) => s + c.p, 0)).toBeCloseTo(1, 5);
    }
    // the bigram's one stage is its table's rows, which are its logits
    const bigram = build<GPT>('gpt', { architecture: 'bigram' });
    const view = inspectAttention(bigram, tokenizer, 'C');
    expect(view.residualNorms[0][0]).toBeCloseTo(
      norm(rowOf(bigram.tokenEmbeddingTable.weight, tokenizer.encodeText('C')[0], V)),
      5,
    );
    expect(view.topK[0].length).toBe(5);
  });

  it("transformer: each block's heads, equal to the model's attentionWeights", () => {
    const model = build<Transformer>('transformer', { nEmbd: 16, nHead: 2, nLayer: 3 });
    const view = inspectAttention(model, tokenizer, 'Ishmael');
    expect(view.kind).toBe('transformer');
    expect(view.residualLabels).toEqual(['embeddings', 'block 0', 'block 1', 'block 2']);
    const own = noGrad(() => model.attentionWeights(ids('Ishmael')));
    expect(view.layers.map((l) => l.heads)).toEqual(
      own.map((w) => (w.tolist() as number[][][][])[0]),
    );
    const probs = softmaxRows(noGrad(() => model.forward(ids('Ishmael'))));
    expect(view.topK[6][0].p).toBeCloseTo(Math.max(...probs[6]), 6);
  });

  it('a BPE model: tokens are the rendered BPE tokens, ids its encoding, top-k over its vocabulary', () => {
    const bpe = new BpeTextTokenizer(new RegexTokenizer());
    bpe.bpe.train(TEXT.repeat(4), 300);
    const model = createModel(
      familyConfig('gpt', { blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 1 }, { vocabSize: 300 }),
      { generator: new Generator(42) },
    ) as GPT;
    const prompt = 'Call me Ishmael, Bob! Some years ago, never mind how long precisely. 😉';
    const all = Array.from(bpe.encodeText(prompt));
    expect(all.length).toBeGreaterThan(8);
    expect(all.length).toBeLessThan([...prompt].length); // merged
    const view = inspectAttention(model, bpe, prompt, { topK: 4 });
    const kept = all.slice(-8);
    expect(view.ids).toEqual(kept);
    expect(view.tokens).toEqual(kept.map((id) => bpe.itos[id]));
    expect(view.droppedCharacters).toBe(all.length - 8); // NOTE: tokens, for a BPE
    const logits = noGrad(() => model.forward(new Tensor(Int32Array.from(kept), [1, 8])));
    const p = Array.from(logits.softmax(-1).data.subarray(7 * 300, 8 * 300), Number);
    const best = p.indexOf(Math.max(...p));
    expect(view.topK[7][0]).toMatchObject({ id: best, token: bpe.itos[best] });
    expect(view.topK[7][0].p).toBeCloseTo(p[best], 6);
  });

  it('keeps the last blockSize characters of a long prompt and says how many it dropped', () => {
    const model = build<GPT>('gpt', { nEmbd: 16, nHead: 2, nLayer: 1 });
    const long = inspectAttention(model, tokenizer, 'Call me Ishmael.');
    expect(long.droppedCharacters).toBe(8);
    expect(long.tokens.join('')).toBe('Ishmael.');
    expect(long.layers).toEqual(inspectAttention(model, tokenizer, 'Ishmael.').layers);
  });

  it('refuses an empty prompt, unknown characters, other families and a bad topK', () => {
    const model = build<GPT>('gpt', { nEmbd: 16, nHead: 2, nLayer: 1 });
    expect(() => inspectAttention(model, tokenizer, '')).toThrow(
      "Argument 'prompt' passed to 'inspectAttention' must hold at least one character",
    );
    expect(() => inspectAttention(model, tokenizer, 'Call me Zed!')).toThrow(DataError);
    expect(() => inspectAttention(model, tokenizer, 'Zed!')).toThrow(
      "Unknown characters 'Z', '!' (not in the vocabulary of 24 characters)",
    );
    expect(() => inspectAttention(model, tokenizer, 'me', { topK: 0 })).toThrow(
      "Argument 'topK' passed to 'inspectAttention' must be an integer ≥ 1, got 0",
    );
    const rnn = build<RNN>('rnn', { nEmbd: 4, nEmbd2: 6 });
    expect(() => inspectAttention(rnn, tokenizer, 'me')).toThrow(FamilyMismatchError);
    expect(() => inspectAttention(rnn, tokenizer, 'me')).toThrow(
      'inspectAttention: this is a rnn model; inspectAttention reads gpt and transformer models (for rnn and gru use hiddenStates)',
    );
    expect(() => hiddenStates(model, tokenizer, 'me')).toThrow(
      'hiddenStates: this is a gpt model; hiddenStates reads rnn and gru models (for gpt and transformer use inspectAttention)',
    );
  });
});

describe('hiddenStates', () => {
  /** y = W·x + b for a Linear's weight `[out, in]`, in float64. */
  const linear = (layer: { weight: Tensor; bias?: Tensor | null }, x: number[]) => {
    const [out, inputs] = layer.weight.shape;
    return Array.from({ length: out }, (_, o) => {
      let sum = layer.bias ? layer.bias.data[o] : 0;
      for (let i = 0; i < inputs; i++) sum += layer.weight.data[o * inputs + i] * x[i];
      return sum;
    });
  };
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

  it('rnn: h_t = tanh(W·[x_t, h_{t−1}] + b) from the start state, stepped by hand', () => {
    const model = build<RNN>('rnn', { nEmbd: 4, nEmbd2: 6 });
    const view = hiddenStates(model, tokenizer, 'Some', { topK: 2 });
    expect(view).toMatchObject({ kind: 'rnn', tokens: ['S', 'o', 'm', 'e'], droppedCharacters: 0 });
    expect(view.start).toEqual([0, 0, 0, 0, 0, 0]);
    const cell = model.cell as unknown as { xhToH: { weight: Tensor; bias: Tensor } };
    let h = view.start;
    tokenizer.encodeText('Some').forEach((id, t) => {
      h = linear(cell.xhToH, [...rowOf(model.wte.weight, id, 4), ...h]).map(Math.tanh);
      view.states[t].forEach((v, j) => {
        expect(v).toBeCloseTo(h[j], 6);
      });
      const logits = linear(model.lmHead, h);
      const z = logits.reduce((s, v) => s + Math.exp(v), 0);
      expect(view.topK[t][0].p).toBeCloseTo(Math.exp(Math.max(...logits)) / z, 6);
    });
  });

  it('gru: r, h̄, z and (1 − z)·h + z·h̄ stepped by hand; a long prompt is cropped', () => {
    const model = build<RNN>('gru', { nEmbd: 4, nEmbd2: 6 });
    const cell = model.cell as unknown as Record<
      'xhToZ' | 'xhToR' | 'xhToHbar',
      { weight: Tensor; bias: Tensor }
    >;
    const prompt = 'never mind';
    const view = hiddenStates(model, tokenizer, prompt);
    expect(view.droppedCharacters).toBe(2);
    expect(view.tokens.join('')).toBe('ver mind');
    let h = view.start;
    tokenizer.encodeText('ver mind').forEach((id, t) => {
      const x = rowOf(model.wte.weight, id, 4);
      const r = linear(cell.xhToR, [...x, ...h]).map(sigmoid);
      const hbar = linear(cell.xhToHbar, [...x, ...h.map((v, j) => r[j] * v)]).map(Math.tanh);
      const z = linear(cell.xhToZ, [...x, ...h]).map(sigmoid);
      h = h.map((v, j) => (1 - z[j]) * v + z[j] * hbar[j]);
      view.states[t].forEach((v, j) => {
        expect(v).toBeCloseTo(h[j], 6);
      });
    });
  });
});
