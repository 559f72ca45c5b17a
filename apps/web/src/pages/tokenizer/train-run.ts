/**
 * Training a BPE for the tokenizer page, the worker's side without the Worker (unit-tested in
 * Node): `trainBpe(request, post)` trains with the package's `verbose` callback and posts the
 * merges in batches (at most one message per `batchMs`, so the page's table and curve grow while
 * training runs), then the tokenizer as JSON and the exact compression curve of its training text.
 */
import {
  BasicTokenizer,
  GPT4_SPLIT_PATTERN,
  RegexTokenizer,
  type TokenizerJSON,
} from '@llm-playground/tokenizer';
import { exactCurve } from './token-view.js';

/** The special token every trained tokenizer gets, with the id after its merges. */
export const END_OF_TEXT = '<|endoftext|>';

export interface TrainRequest {
  type: 'train';
  /** `basic`: BPE on the whole text's bytes; `regex`: inside GPT-4's split pattern's pieces. */
  kind: 'basic' | 'regex';
  vocabSize: number;
  /** The text to train on; `null` trains on the bundled book. */
  text: string | null;
}

/** One row of the merge table. */
export interface MergeRow {
  /** 1-based merge number (the token's id is 255 + rank). */
  rank: number;
  pair: [number, number];
  id: number;
  count: number;
  bytes: number[];
}

export type TrainMessage =
  | { type: 'started'; bytes: number; source: string }
  | { type: 'merges'; rows: MergeRow[] }
  | {
      type: 'done';
      json: TokenizerJSON;
      /** Tokens of the training text after 0, 1, … merges (exact; the last is its encoding). */
      curve: number[];
      bytes: number;
      ms: number;
    }
  | { type: 'failed'; message: string };

/** Trains as `request` says; `loadBook` gives the bundled book's text. */
export async function trainBpe(
  request: TrainRequest,
  post: (message: TrainMessage) => void,
  loadBook: () => Promise<{ text: string; title: string }>,
  batchMs = 50,
): Promise<void> {
  try {
    const { text, title } =
      request.text === null ? await loadBook() : { text: request.text, title: 'your text' };
    const bytes = new TextEncoder().encode(text);
    post({ type: 'started', bytes: bytes.length, source: title });
    const tokenizer =
      request.kind === 'basic' ? new BasicTokenizer() : new RegexTokenizer(GPT4_SPLIT_PATTERN);
    const start = performance.now();
    let rows: MergeRow[] = [];
    let lastPost = start;
    // The string (the text is valid UTF-8 from a textarea or the book): the same merges as its bytes.
    tokenizer.train(text, request.vocabSize, {
      verbose: (merge) => {
        rows.push({
          rank: merge.index,
          pair: merge.pair,
          id: merge.id,
          count: merge.count,
          bytes: [...merge.bytes],
        });
        const now = performance.now();
        if (now - lastPost >= batchMs) {
          post({ type: 'merges', rows });
          rows = [];
          lastPost = now;
        }
      },
    });
    if (rows.length > 0) post({ type: 'merges', rows });
    // GPT's end-of-text token right after the merges, so the page can show how it is treated.
    tokenizer.registerSpecialTokens({ [END_OF_TEXT]: request.vocabSize });
    const curve = exactCurve(tokenizer.encodeOrdinary(text), tokenizer.merges);
    post({
      type: 'done',
      json: tokenizer.toJSON(),
      curve,
      bytes: bytes.length,
      ms: performance.now() - start,
    });
  } catch (error) {
    post({ type: 'failed', message: (error as Error).message });
  }
}
