/**
 * The browser build of `@llm-playground/tokenizer` (picked by bundlers through the `browser`
 * export condition): the same exports, but `loadTokenizer` and `Tokenizer.save`, which need Node's
 * file system, explain themselves instead of pulling `node:fs` into a page (tsup's browser build
 * replaces `node:fs/promises` and `node:path` with stubs that throw the same message).
 */

import { TokenizerError } from './errors.js';
import type { Tokenizer } from './tokenizer.js';

export * from './index.js';

/** The message of every Node-only function in a browser. */
export const NODE_ONLY_MESSAGE =
  'needs Node.js (it reads or writes files); in a browser use toModelFile() or toJSON() and tokenizerFromModelFile(text) or tokenizerFromJSON(json)';

/** Node only: in a browser, read the file yourself and call `tokenizerFromModelFile`/`tokenizerFromJSON`. */
export async function loadTokenizer(_path: string): Promise<Tokenizer> {
  throw new TokenizerError(`loadTokenizer ${NODE_ONLY_MESSAGE}`);
}
