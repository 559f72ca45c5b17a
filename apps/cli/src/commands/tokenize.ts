/**
 * `lmp tokenize train|encode|decode`: the "let's build the GPT tokenizer" lecture in the terminal.
 * `train` learns byte-level BPE merges on a file (minbpe's BasicTokenizer with `--basic`, else the
 * RegexTokenizer with GPT-4's or GPT-2's split pattern) and writes minbpe's `tokenizer.model` and
 * `tokenizer.vocab`; `encode` and `decode` read them back. `--compare gpt2|cl100k` puts the real
 * tokenizers beside ours: the first tokens of each, their counts and the compression ratio (UTF-8
 * bytes per token). The tokenizer package's errors become one line: a mistake in the flags (vocab
 * size, a special token not allowed, an unknown id) exits 2, bad data (an empty text, a text too
 * short for the merges, a corrupt `.model` file) exits 1.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BasicTokenizer,
  bytesRepr,
  DisallowedSpecialTokenError,
  GPT2_SPLIT_PATTERN,
  GPT4_SPLIT_PATTERN,
  loadPretrained,
  loadTokenizer,
  RegexTokenizer,
  type Tokenizer,
  TokenizerError,
} from '@llm-playground/tokenizer';
import {
  type CommandSpec,
  type OptionValues,
  readNumber,
  readOutputPath,
  readString,
  switchOption,
  valueOption,
} from '../command.js';
import { UsageError } from '../errors.js';
import { type CliIO, resolvePath } from '../io.js';
import { formatCount } from './makemore-common.js';

/** The reference tokenizers `--compare` accepts, by their short names. */
const COMPARE_NAMES = { gpt2: 'gpt2', cl100k: 'cl100k_base' } as const;
/** How many tokens of each tokenizer `--compare` shows. */
const SHOWN_TOKENS = 24;

const INPUT = { ...valueOption('input', 'FILE', "the text to read ('-' for stdin)"), short: 'i' };
const FROM = {
  ...valueOption(
    'from',
    'DIR',
    'the folder written by lmp tokenize train, or a .model or .json file (required)',
  ),
  short: 'f',
};
const COMPARE = valueOption(
  'compare',
  'gpt2|cl100k',
  "also tokenize with GPT-2's or GPT-4's tokenizer: tokens, counts, bytes per token side by side",
);

/**
 * Runs `body`, turning the tokenizer package's errors into the CLI's: what the user asked for
 * (`usage`: a vocabulary size, a special token, an id) → `UsageError` (exit 2), the rest keeps
 * its message and exits 1.
 */
async function withTokenizerErrors<T>(command: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof DisallowedSpecialTokenError) {
      throw new UsageError(
        `${error.message.split('\n')[0]} Pass --allowed-special all to encode it as the special token, or none to encode it as text`,
        command,
      );
    }
    if (error instanceof TokenizerError && /^(vocabSize|invalid token id)/.test(error.message)) {
      throw new UsageError(error.message, command);
    }
    throw error;
  }
}

/** The bytes of `-i FILE` (stdin for `-`), or the UTF-8 of `--text`; one of them is required. */
async function readInputBytes(values: OptionValues, io: CliIO, command: string) {
  const input = readString(values, 'input');
  const text = readString(values, 'text');
  if (input !== undefined && text !== undefined) {
    throw new UsageError('give either -i FILE or --text S, not both', command);
  }
  if (text !== undefined) return new TextEncoder().encode(text);
  if (input === undefined) throw new UsageError('-i FILE (or --text S) is required', command);
  const path = input === '-' ? '/dev/stdin' : resolvePath(io, input);
  return new Uint8Array(
    await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${path}: ${error.code ?? error.message}`);
    }),
  );
}

/** Text when the bytes are UTF-8 (special tokens can be found in it), else the bytes themselves. */
function asTextIfUtf8(bytes: Uint8Array): string | Uint8Array {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return bytes;
  }
}

function readCompare(values: OptionValues, command: string) {
  const name = readString(values, 'compare');
  if (name === undefined) return undefined;
  const full = COMPARE_NAMES[name as keyof typeof COMPARE_NAMES];
  if (full === undefined) {
    throw new UsageError(`--compare must be gpt2 or cl100k, got '${name}'`, command);
  }
  return full;
}

/**
 * Lines comparing our tokenizer with a pretrained one on `text`: per tokenizer its vocabulary, token
 * count, UTF-8 bytes per token, then its first tokens separated by `|`.
 *
 * @example
 * await compareLines(ours, 'ours (tok)', 'cl100k_base', 'hello world');
 * // tokenizer          vocab  tokens  bytes/token ...
 */
export async function compareLines(
  ours: Tokenizer,
  oursName: string,
  reference: 'gpt2' | 'cl100k_base',
  text: string | Uint8Array,
): Promise<string[]> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text).length : text.length;
  const theirs = await loadPretrained(reference);
  const rows = [
    { name: oursName, tokenizer: ours },
    { name: reference, tokenizer: theirs },
  ].map(({ name, tokenizer }) => {
    const ids = tokenizer.encodeOrdinary(text);
    const ratio = ids.length === 0 ? 0 : bytes / ids.length;
    const shown = ids.slice(0, SHOWN_TOKENS).map((id) => tokenizer.renderToken(id));
    const more = ids.length > SHOWN_TOKENS ? '|…' : '';
    return { name, vocab: tokenizer.vocabSize, count: ids.length, ratio, shown, more };
  });
  const width = Math.max(9, ...rows.map((row) => row.name.length)) + 2;
  return [
    `${formatCount(bytes)} UTF-8 bytes`,
    `${'tokenizer'.padEnd(width)}${'vocab'.padStart(8)}${'tokens'.padStart(10)}${'bytes/token'.padStart(13)}`,
    ...rows.map(
      (row) =>
        `${row.name.padEnd(width)}${formatCount(row.vocab).padStart(8)}${formatCount(row.count).padStart(10)}${row.ratio.toFixed(2).padStart(13)}`,
    ),
    ...rows.map((row) => `${row.name}: |${row.shown.join('|')}${row.more}|`),
  ];
}

/** `lmp tokenize train`. */
export const tokenizeTrainCommand: CommandSpec = {
  name: 'tokenize train',
  summary: 'learn byte-pair merges on a text and write tokenizer.model/.vocab',
  description:
    "Trains a byte-level BPE tokenizer (minbpe's) on -i FILE until the vocabulary has --vocab-size tokens (the 256 bytes plus vocab-size − 256 merges), printing a line per tenth of the merges (--verbose: every merge), then writes DIR/tokenizer.model and DIR/tokenizer.vocab in minbpe's formats. The text is first split by GPT-4's pattern (--pattern gpt2: GPT-2's) so merges never cross a word boundary; --basic merges across the whole text.",
  options: [
    INPUT,
    valueOption('vocab-size', 'N', 'tokens in the vocabulary, > 256 (required)'),
    {
      ...valueOption('output', 'DIR', 'folder to write tokenizer.model and .vocab into'),
      short: 'o',
    },
    switchOption('basic', "BasicTokenizer: no split pattern (minbpe's basic.py)"),
    valueOption('pattern', 'gpt2|gpt4', 'the split pattern of the RegexTokenizer', 'gpt4'),
    switchOption('verbose', 'print every merge'),
    COMPARE,
  ],
  examples: [
    'lmp tokenize train -i book.txt --vocab-size 512 -o tok',
    'lmp tokenize train -i book.txt --vocab-size 1024 -o tok --pattern gpt2 --compare gpt2',
    'lmp tokenize train -i book.txt --vocab-size 300 -o tok-basic --basic --verbose',
  ],
  run: (values, io) => withTokenizerErrors('tokenize train', () => runTrain(values, io)),
};

async function runTrain(values: OptionValues, io: CliIO): Promise<number> {
  const command = 'tokenize train';
  if (values['vocab-size'] === undefined) {
    throw new UsageError('--vocab-size N is required (an integer > 256)', command);
  }
  const vocabSize = readNumber(values, 'vocab-size', 0, { integer: true, min: 257 }, command);
  const output = readString(values, 'output');
  if (output === undefined) throw new UsageError('-o DIR is required', command);
  const patternName = readString(values, 'pattern') ?? 'gpt4';
  if (patternName !== 'gpt2' && patternName !== 'gpt4') {
    throw new UsageError(`--pattern must be gpt2 or gpt4, got '${patternName}'`, command);
  }
  if (values.basic === true && values.pattern !== undefined) {
    throw new UsageError('--basic uses no split pattern: drop --pattern or --basic', command);
  }
  const compare = readCompare(values, command);
  const bytes = await readInputBytes(values, io, command);
  const text = asTextIfUtf8(bytes);
  const tokenizer: Tokenizer =
    values.basic === true
      ? new BasicTokenizer()
      : new RegexTokenizer(patternName === 'gpt2' ? GPT2_SPLIT_PATTERN : GPT4_SPLIT_PATTERN);
  const numMerges = vocabSize - 256;
  const every = values.verbose === true ? 1 : Math.max(1, Math.ceil(numMerges / 10));
  const kind = values.basic === true ? 'BasicTokenizer' : `RegexTokenizer (${patternName} split)`;
  io.stderr.write(
    `training a ${kind} on ${formatCount(bytes.length)} bytes: ${formatCount(numMerges)} merges\n`,
  );
  const started = performance.now();
  tokenizer.train(text, vocabSize, {
    verbose: (merge) => {
      if (merge.index % every !== 0 && merge.index !== numMerges) return;
      io.stderr.write(
        `merge ${merge.index}/${numMerges}: (${merge.pair[0]}, ${merge.pair[1]}) -> ${merge.id} (${bytesRepr(merge.bytes)}) had ${merge.count} occurrences\n`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const directory = resolvePath(io, output);
  await mkdir(directory, { recursive: true });
  await tokenizer.save(join(directory, 'tokenizer'));
  const ids = tokenizer.encodeOrdinary(text);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  out(`trained ${formatCount(numMerges)} merges in ${seconds.toFixed(2)} s`);
  out(
    `${formatCount(bytes.length)} bytes -> ${formatCount(ids.length)} tokens (${(bytes.length / ids.length).toFixed(2)} bytes/token)`,
  );
  out(`wrote ${join(directory, 'tokenizer.model')} and tokenizer.vocab`);
  if (compare) {
    for (const line of await compareLines(tokenizer, `ours (${output})`, compare, text)) out(line);
  }
  return 0;
}

async function openTokenizer(values: OptionValues, io: CliIO, command: string) {
  const from = readString(values, 'from');
  if (from === undefined) {
    throw new UsageError(
      '--from DIR is required (a folder written by lmp tokenize train)',
      command,
    );
  }
  return { tokenizer: await loadTokenizer(resolvePath(io, from)), name: from };
}

/** `lmp tokenize encode`. */
export const tokenizeEncodeCommand: CommandSpec = {
  name: 'tokenize encode',
  summary: 'text → token ids with a trained tokenizer',
  description:
    'Encodes -i FILE (or --text S) with the tokenizer in --from DIR and prints the ids separated by spaces (--json: a JSON array). Special tokens in the text are an error unless --allowed-special all (encode them as special tokens) or none (encode them as ordinary text). --compare gpt2|cl100k prints, instead of the ids, our tokens and those of the real tokenizer side by side with their compression ratios.',
  options: [
    FROM,
    INPUT,
    valueOption('text', 'S', 'the text to encode, given on the command line'),
    valueOption('allowed-special', 'all|none', 'special tokens in the text', 'an error'),
    switchOption('json', 'print the ids as a JSON array'),
    COMPARE,
  ],
  examples: [
    "lmp tokenize encode --from tok --text 'hello world'",
    'lmp tokenize encode --from tok -i book.txt --json > ids.json',
    'lmp tokenize encode --from tok -i book.txt --compare cl100k',
  ],
  run: (values, io) => withTokenizerErrors('tokenize encode', () => runEncode(values, io)),
};

async function runEncode(values: OptionValues, io: CliIO): Promise<number> {
  const command = 'tokenize encode';
  const allowed = readString(values, 'allowed-special') ?? 'none_raise';
  if (allowed !== 'all' && allowed !== 'none' && allowed !== 'none_raise') {
    throw new UsageError(`--allowed-special must be all or none, got '${allowed}'`, command);
  }
  const compare = readCompare(values, command);
  const { tokenizer, name } = await openTokenizer(values, io, command);
  const text = asTextIfUtf8(await readInputBytes(values, io, command));
  const ids = tokenizer.encode(text, allowed);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  if (compare) {
    for (const line of await compareLines(tokenizer, `ours (${name})`, compare, text)) out(line);
  } else {
    out(values.json === true ? JSON.stringify(ids) : ids.join(' '));
  }
  return 0;
}

/** `lmp tokenize decode`. */
export const tokenizeDecodeCommand: CommandSpec = {
  name: 'tokenize decode',
  summary: 'token ids → text with a trained tokenizer',
  description:
    "Decodes --ids '1,2,3' (or the ids in -i FILE, '-' for stdin: numbers separated by commas, spaces or newlines, or a JSON array) with the tokenizer in --from DIR and prints the text, U+FFFD where the bytes are not UTF-8. -o FILE writes the exact bytes instead.",
  options: [
    FROM,
    valueOption('ids', 'LIST', "the ids, separated by commas or spaces: '258,100,258'"),
    INPUT,
    { ...valueOption('output', 'FILE', 'write the decoded bytes to FILE'), short: 'o' },
  ],
  examples: [
    "lmp tokenize decode --from tok --ids '258,100,258,97,99'",
    'lmp tokenize encode --from tok -i book.txt | lmp tokenize decode --from tok -i -',
  ],
  run: (values, io) => withTokenizerErrors('tokenize decode', () => runDecode(values, io)),
};

async function runDecode(values: OptionValues, io: CliIO): Promise<number> {
  const command = 'tokenize decode';
  const given = readString(values, 'ids');
  if (given !== undefined && values.input !== undefined) {
    throw new UsageError('give either --ids LIST or -i FILE, not both', command);
  }
  const listText =
    given ??
    (values.input === undefined
      ? undefined
      : new TextDecoder('utf-8', { ignoreBOM: true }).decode(
          await readInputBytes(values, io, command),
        ));
  if (listText === undefined) throw new UsageError('--ids LIST (or -i FILE) is required', command);
  const ids = parseIds(listText, command);
  const { tokenizer } = await openTokenizer(values, io, command);
  const output = readOutputPath(readString(values, 'output'), 'output', io, command);
  if (output !== undefined) {
    const bytes = tokenizer.decodeBytes(ids);
    await writeFile(output, bytes);
    io.stdout.write(`wrote ${formatCount(bytes.length)} bytes to ${output}\n`);
  } else {
    io.stdout.write(`${tokenizer.decode(ids)}\n`);
  }
  return 0;
}

/**
 * Token ids from text: numbers separated by commas, spaces or newlines, optionally in `[ ]`.
 *
 * @example
 * parseIds('[258, 100,258\n97 99]', 'tokenize decode'); // [258, 100, 258, 97, 99]
 */
export function parseIds(text: string, command: string): number[] {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  const parts = body.split(/[\s,]+/).filter((part) => part !== '');
  const ids = parts.map((part) => {
    if (!/^\d+$/.test(part)) {
      throw new UsageError(`token ids must be non-negative integers, got '${part}'`, command);
    }
    return Number(part);
  });
  if (ids.length === 0) throw new UsageError('no token ids given', command);
  return ids;
}

/** The `lmp tokenize` group's commands. */
export const TOKENIZE_COMMANDS: CommandSpec[] = [
  tokenizeTrainCommand,
  tokenizeEncodeCommand,
  tokenizeDecodeCommand,
];
