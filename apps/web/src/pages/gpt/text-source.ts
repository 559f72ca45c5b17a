/**
 * The GPT page's text: the bundled book (loaded in the worker, never on the main thread) or the
 * learner's own (pasted or uploaded), kept in a module-level signal so it survives a visit to
 * another page (the session's identity). A text is checked before it replaces the one in use,
 * so a bad one leaves the current model training: empty, a NUL character (a binary file), or too
 * short for the block size (each part of the 90/10 split needs blockSize + 1 characters).
 */
import { signal } from '@preact/signals';

export interface OwnText {
  text: string;
  /** 'pasted text' or the file's name. */
  label: string;
}

/** null: the bundled book. */
export const ownText = signal<OwnText | null>(null);

/**
 * Why `text` cannot be trained on with `blockSize`, or null.
 *
 * @example
 * ```ts
 * textProblem('', 32, 'pasted text'); // 'pasted text is empty: …'
 * textProblem('hello world', 32, 'a.txt'); // 'a.txt has 11 characters: …'
 * textProblem('x'.repeat(400), 32, 'a.txt'); // null
 * ```
 */
export function textProblem(text: string, blockSize: number, label: string): string | null {
  if (text.length === 0) return `${label} is empty: paste or upload a text to train on.`;
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return `${label} has a NUL character at position ${nul}: is it a binary file? Upload plain text (UTF-8).`;
  }
  // makemore's split: the first ⌊0.9·n⌋ characters train, the rest validate; each part must
  // be longer than a window (textData's rule).
  const n = Array.from(text).length;
  const validation = n - Math.floor(0.9 * n);
  if (validation <= blockSize) {
    return `${label} has ${n} characters: its validation part (the last 10%, ${validation}) must be longer than the block size ${blockSize}. Use a longer text (over ${10 * (blockSize + 1)} characters) or a block size below ${validation}.`;
  }
  return null;
}
