/**
 * Reading tokenizers back: minbpe's `.model` text (strictly: a wrong version line or a bad merge
 * line is an error naming the line), and our JSON form. A `.model` file with an empty pattern
 * line is a BasicTokenizer, else a RegexTokenizer, as minbpe writes them.
 */

import { BasicTokenizer } from './basic-tokenizer.js';
import { ModelFormatError } from './errors.js';
import { RegexTokenizer } from './regex-tokenizer.js';
import type { MergeRule, Tokenizer, TokenizerJSON } from './tokenizer.js';

/**
 * Parses minbpe's `.model` text (`source` names it in errors).
 *
 * @example
 * tokenizerFromModelFile('minbpe v1\n\n0\n97 97\n').encode('aaaa'); // [256, 256]
 */
export function tokenizerFromModelFile(text: string, source = '.model file'): Tokenizer {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const fail = (line: number, what: string) =>
    new ModelFormatError(
      `${source}, line ${line}: ${what}; is this a .model file written by minbpe or this package?`,
    );
  const version = (lines[0] ?? '').trim();
  if (version !== 'minbpe v1')
    throw fail(1, `expected 'minbpe v1', found ${JSON.stringify(version)}`);
  if (lines.length < 3)
    throw fail(lines.length + 1, 'the file ends before the pattern and special-token count');
  const pattern = lines[1].trim();
  const countText = lines[2].trim();
  if (!/^\d+$/.test(countText))
    throw fail(3, `expected the number of special tokens, found ${JSON.stringify(countText)}`);
  const count = Number(countText);
  const specials = new Map<string, number>();
  for (let k = 0; k < count; k++) {
    const line = lines[3 + k];
    const parts = line?.trim().split(/\s+/);
    if (parts?.length !== 2 || !/^\d+$/.test(parts[1])) {
      throw fail(
        4 + k,
        `expected '<special token> <id>', found ${JSON.stringify(line ?? '(end of file)')}`,
      );
    }
    specials.set(parts[0], Number(parts[1]));
  }
  const rules: MergeRule[] = [];
  for (let i = 3 + count; i < lines.length; i++) {
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(lines[i]);
    const id = 256 + rules.length;
    if (!match)
      throw fail(i + 1, `expected a merge '<id> <id>', found ${JSON.stringify(lines[i])}`);
    const pair: [number, number] = [Number(match[1]), Number(match[2])];
    if (pair[0] >= id || pair[1] >= id) {
      throw fail(
        i + 1,
        `merge ${pair[0]} ${pair[1]} uses an id that does not exist yet (the merge makes id ${id})`,
      );
    }
    rules.push({ pair, id });
  }
  const tokenizer = pattern === '' ? new BasicTokenizer() : new RegexTokenizer(pattern);
  tokenizer.setMerges(rules);
  tokenizer.registerSpecialTokens(specials);
  return tokenizer;
}

/** Rebuilds a tokenizer from `toJSON()`'s output (an object or its JSON text). */
export function tokenizerFromJSON(
  json: TokenizerJSON | string,
  source = 'tokenizer JSON',
): Tokenizer {
  let data: TokenizerJSON;
  try {
    data = typeof json === 'string' ? JSON.parse(json) : json;
  } catch (error) {
    throw new ModelFormatError(`${source} is not JSON: ${(error as Error).message}`);
  }
  if (data?.format !== 'llm-playground-bpe' || data.version !== 1) {
    throw new ModelFormatError(
      `${source} is not a tokenizer saved by toJSON() (format 'llm-playground-bpe', version 1)`,
    );
  }
  if (!Array.isArray(data.merges) || data.merges.some((m) => !Array.isArray(m) || m.length !== 3)) {
    throw new ModelFormatError(`${source}: merges must be a list of [left, right, id]`);
  }
  if (data.kind !== 'basic' && (data.kind !== 'regex' || typeof data.pattern !== 'string')) {
    throw new ModelFormatError(
      `${source}: kind must be 'basic', or 'regex' with its split pattern as a string (got kind ${JSON.stringify(data.kind)}, pattern ${typeof data.pattern})`,
    );
  }
  const tokenizer = data.kind === 'basic' ? new BasicTokenizer() : new RegexTokenizer(data.pattern);
  tokenizer.setMerges(
    data.merges.map(([a, b, id]) => ({ pair: [a, b], id })),
    data.byteShuffle,
  );
  tokenizer.registerSpecialTokens(data.specialTokens ?? {});
  return tokenizer;
}

/**
 * Reads a tokenizer from a file (Node only): `*.model` (minbpe) or `*.json` (`toJSON`); a folder
 * or a prefix is tried as `tokenizer.model` inside it / `<prefix>.model`.
 */
export async function loadTokenizer(path: string): Promise<Tokenizer> {
  const { readFile, stat } = await import('node:fs/promises');
  const { join } = await import('node:path');
  let file = path;
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) file = join(path, 'tokenizer.model');
  else if (!info && !/\.(model|json)$/.test(path)) file = `${path}.model`;
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ModelFormatError(
      `cannot read tokenizer ${JSON.stringify(file)}: ${error.code ?? error.message}`,
    );
  });
  return file.endsWith('.json')
    ? tokenizerFromJSON(text, file)
    : tokenizerFromModelFile(text, file);
}
