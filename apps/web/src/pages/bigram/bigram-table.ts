/**
 * The framework-free logic of the bigram counts page: the count matrix of a word list as heatmap
 * cells, one row's probability distribution, the negative log-likelihood of the data and of one
 * typed word (with each bigram's probability), and seeded sampling. It wraps `BigramCounts` and
 * `sample` from `@llm-playground/makemore`, so the page shows exactly what the library computes.
 */
import { Generator } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import { BigramCounts, sample } from '@llm-playground/makemore';

/** One cell of the V×V heatmap: the pair `itos[row] + itos[col]` and how often it occurs. */
export interface BigramCell {
  row: number;
  col: number;
  /** The two characters, e.g. `'an'` (`'.a'` = a word starts with a; `'a.'` = it ends with a). */
  pair: string;
  count: number;
}

/** The count model of one word list, ready for the page. */
export interface BigramTable {
  tokenizer: CharTokenizer;
  /** The count model (its `counts` are the lecture's `N`). */
  model: BigramCounts;
  /** Vocabulary size: 27 for a–z plus the boundary `.`. */
  V: number;
  itos: readonly string[];
  /** V·V cells in row-major order (row = first character, column = the one that follows). */
  cells: BigramCell[];
  /** The largest count (the top of the colour scale). */
  maxCount: number;
  /** Number of bigrams in the data: Σ N. */
  total: number;
  /** The words that were counted. */
  words: readonly string[];
}

/**
 * Counts every bigram of `'.' + word + '.'` over `words` and lays the counts out as heatmap cells.
 *
 * @example
 * ```ts
 * const table = buildBigramTable(['emma', 'ava']);
 * table.itos.join(''); // '.aemv'
 * table.cells.length; // 25
 * table.cells.find((c) => c.pair === 'a.')?.count; // 2
 * ```
 */
export function buildBigramTable(words: readonly string[]): BigramTable {
  const tokenizer = CharTokenizer.fromWords(words);
  const model = BigramCounts.fromWords(words, tokenizer, { smoothing: 0 });
  const V = tokenizer.vocabSize;
  const N = model.counts.data;
  const cells: BigramCell[] = new Array(V * V);
  let maxCount = 0;
  let total = 0;
  for (let row = 0; row < V; row++) {
    for (let col = 0; col < V; col++) {
      const count = N[row * V + col];
      cells[row * V + col] = {
        row,
        col,
        pair: tokenizer.itos[row] + tokenizer.itos[col],
        count,
      };
      if (count > maxCount) maxCount = count;
      total += count;
    }
  }
  return { tokenizer, model, V, itos: tokenizer.itos, cells, maxCount, total, words };
}

/** Checks the add-k pseudo-count (0 … any finite number). */
function checkSmoothing(smoothing: number, op: string): void {
  if (!(smoothing >= 0) || !Number.isFinite(smoothing)) {
    throw new RangeError(
      `Argument 'smoothing' passed to '${op}' must be a finite number ≥ 0, got ${smoothing}`,
    );
  }
}

/** One bar of a row's distribution: P(next | current) = (N + k) / Σ_j (N + k). */
export interface NextProbability {
  next: string;
  count: number;
  p: number;
}

/**
 * The probability distribution of the character after `itos[row]`, with add-k smoothing `k`
 * (the lecture's `P[ix]`, float32 as torch computes it).
 *
 * @example
 * ```ts
 * const table = buildBigramTable(['ab', 'ac']);
 * rowDistribution(table, 1, 0).map((d) => [d.next, d.p]); // [['.', 0], ['a', 0], ['b', 0.5], ['c', 0.5]]
 * rowDistribution(table, 1, 1)[2].p; // ≈ 2 / 6
 * ```
 */
export function rowDistribution(
  table: BigramTable,
  row: number,
  smoothing: number,
): NextProbability[] {
  checkSmoothing(smoothing, 'rowDistribution');
  const { V } = table;
  if (!Number.isInteger(row) || row < 0 || row >= V) {
    throw new RangeError(
      `Argument 'row' passed to 'rowDistribution' must be an integer in [0, ${V - 1}], got ${row}`,
    );
  }
  const P = table.model.probabilities(smoothing).data;
  const N = table.model.counts.data;
  const out: NextProbability[] = [];
  for (let col = 0; col < V; col++) {
    out.push({ next: table.itos[col], count: N[row * V + col], p: P[row * V + col] });
  }
  return out;
}

/** One bigram of a scored word. */
export interface ScoredBigram {
  pair: string;
  count: number;
  /** P(second | first) with the chosen smoothing. */
  p: number;
  /** −log p (Infinity when p = 0). */
  nll: number;
}

/** `wordNll`'s answer: the word's bigrams, or why it cannot be scored. */
export type WordScore =
  | { ok: true; bigrams: ScoredBigram[]; logLikelihood: number; nll: number }
  | { ok: false; error: string };

/**
 * The negative log-likelihood of one word, bigram by bigram: −(1/n) Σ log P(c_{t+1} | c_t) over
 * the n = length + 1 bigrams of `'.' + word + '.'`. A pair never seen in the data has P = 0 and
 * makes the NLL infinite unless smoothing k > 0.
 *
 * @example
 * ```ts
 * const table = buildBigramTable(['ab', 'ba']);
 * const score = wordNll(table, 'ab', 0);
 * score.ok && score.bigrams.map((b) => [b.pair, b.p]); // [['.a', 0.5], ['ab', 0.5], ['b.', 0.5]]
 * score.ok && score.nll; // ≈ 0.6931 (= log 2)
 * wordNll(table, 'aa', 0).ok && wordNll(table, 'aa', 0).nll; // Infinity
 * wordNll(table, 'ax', 0); // { ok: false, error: "'x' is not in the vocabulary …" }
 * ```
 */
export function wordNll(table: BigramTable, word: string, smoothing: number): WordScore {
  checkSmoothing(smoothing, 'wordNll');
  const { V, tokenizer } = table;
  const chars = Array.from(word);
  if (chars.length === 0) return { ok: false, error: 'Type a word to score it.' };
  const ids: number[] = [0];
  for (const char of chars) {
    if (char === tokenizer.boundary) {
      return {
        ok: false,
        error: `'${char}' is the boundary token that marks the start and end of a word; leave it out.`,
      };
    }
    try {
      ids.push(tokenizer.stoi(char));
    } catch {
      return {
        ok: false,
        error: `'${char}' is not in the vocabulary (${tokenizer.itos.slice(1).join('')}): the model has never seen it.`,
      };
    }
  }
  ids.push(0);
  const P = table.model.probabilities(smoothing).data;
  const N = table.model.counts.data;
  const bigrams: ScoredBigram[] = [];
  let logLikelihood = 0;
  for (let t = 0; t + 1 < ids.length; t++) {
    const index = ids[t] * V + ids[t + 1];
    const p = P[index];
    const logP = Math.log(p);
    logLikelihood += logP;
    bigrams.push({
      pair: tokenizer.itos[ids[t]] + tokenizer.itos[ids[t + 1]],
      count: N[index],
      p,
      nll: -logP,
    });
  }
  return { ok: true, bigrams, logLikelihood, nll: -logLikelihood / bigrams.length };
}

/**
 * The average NLL of every bigram of the data with add-k smoothing (the lecture's 2.4540 on
 * names.txt unsmoothed, 2.4546 with k = 1).
 *
 * @example
 * ```ts
 * const table = buildBigramTable(['ab', 'abb']);
 * datasetNll(table, 0).nll; // ≈ 0.3934
 * datasetNll(table, 0).count; // 7
 * ```
 */
export function datasetNll(
  table: BigramTable,
  smoothing: number,
): { nll: number; count: number; logLikelihood: number } {
  checkSmoothing(smoothing, 'datasetNll');
  return table.model.nll(table.words, { smoothing });
}

/**
 * Samples `count` words with `Generator(seed)`, drawing each next character from P with add-k
 * smoothing `smoothing` (the lecture's loop: `torch.multinomial(p, 1, replacement=True)`).
 * On names.txt with seed 2147483647 the first five are mor, axx, minaymoryles, kondlaisah,
 * anchshizarie.
 *
 * @example
 * ```ts
 * sampleNames(buildBigramTable(bundledNames().words), { seed: 2147483647, count: 3, smoothing: 1 });
 * // ['mor', 'att', 'minevistyaer']
 * ```
 */
export function sampleNames(
  table: BigramTable,
  options: { seed: number; count: number; smoothing: number },
): string[] {
  checkSmoothing(options.smoothing, 'sampleNames');
  // A model that shares the counts but carries the chosen smoothing, so `sample` draws from the
  // same float32 rows as the lecture's `P[ix]`.
  const model = new BigramCounts(
    { kind: 'bigram', vocabSize: table.V, blockSize: 1, smoothing: options.smoothing },
    { tokenizer: table.tokenizer, counts: table.model.counts },
  );
  return sample(model, table.tokenizer, {
    count: options.count,
    generator: new Generator(options.seed),
  }).words;
}
