/**
 * The learner's boxes on the backprop page, kept in localStorage so a reload does not lose them.
 * A box never edited starts from `starterSource` (the worked example in the first box, else
 * empty). Storage that is missing, full or holds something else is ignored, never thrown.
 */
import { EXERCISE_LINES } from './exercises.js';

export const PROGRESS_KEY = 'llm-playground:backprop:v1';

/** The starting text of a box: `dlogprobs` is the page's worked example. */
export function starterSource(id: string): string {
  return id === 'logprobs' ? (EXERCISE_LINES[0]?.solution ?? '') : '';
}

/** `localStorage`, or undefined where reading it throws (storage disabled). */
function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Every box's text: the stored one where there is one, else the starter. */
export function loadProgress(storage: Storage | undefined = defaultStorage()) {
  const sources: Record<string, string> = {};
  let stored: unknown = null;
  try {
    stored = JSON.parse(storage?.getItem(PROGRESS_KEY) ?? 'null');
  } catch {
    stored = null; // another app's value or a broken one: start over
  }
  for (const { id } of EXERCISE_LINES) {
    const text = (stored as Record<string, unknown> | null)?.[id];
    sources[id] = typeof text === 'string' ? text : starterSource(id);
  }
  return sources;
}

/** Saves every box's text; false when the storage refused (full, or disabled). */
export function saveProgress(
  sources: Readonly<Record<string, string>>,
  storage: Storage | undefined = defaultStorage(),
): boolean {
  try {
    storage?.setItem(PROGRESS_KEY, JSON.stringify(sources));
    return storage !== undefined;
  } catch {
    return false;
  }
}
