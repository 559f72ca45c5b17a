/**
 * `lmp generate --from DIR --prompt "Call me"`: continue a text with a saved sequence model (the
 * GPT family and any model whose forward gives logits at every position), streaming each
 * character to stdout as it is drawn. makemore's `generate`: crop the context to the block size,
 * softmax of the last position's logits / `--temperature` (only the `--top-k` largest when
 * given), one seeded `multinomial` draw per character.
 */
import { Generator } from '@llm-playground/core';
import { DataError } from '@llm-playground/data';
import {
  BpeTextTokenizer,
  type Checkpoint,
  type GenerateModel,
  generate,
} from '@llm-playground/makemore';
import { noGrad, tensor } from '@llm-playground/tensor';
import { type CommandSpec, type OptionValues, readNumber, valueOption } from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import {
  BACKEND_OPTIONS,
  type BackendOptions,
  readBackendOptions,
  withBackend,
} from './backend-flag.js';
import { FROM_OPTION, openCheckpoint, readFrom, readSeed } from './makemore-common.js';

const COMMAND = 'generate';

/** The seed of "let's build GPT" (`torch.manual_seed(1337)`), also nanoGPT's. */
export const GENERATE_SEED = 1337;

/** Options of `lmp generate` as parsed from its flags. */
export interface GenerateCommandOptions extends BackendOptions {
  from: string;
  prompt: string;
  maxNewTokens: number;
  temperature: number;
  topK?: number;
  seed: number;
}

/**
 * Reads the command's flags, with a `UsageError` for any bad value.
 *
 * @example
 * parseGenerateOptions({ from: 'lmp-out/gpt', prompt: 'Call me' }).maxNewTokens; // 500
 */
export function parseGenerateOptions(values: OptionValues): GenerateCommandOptions {
  return {
    from: readFrom(values, COMMAND),
    prompt: values.prompt === undefined ? '' : String(values.prompt),
    maxNewTokens: readNumber(values, 'max-new-tokens', 500, { integer: true, min: 0 }, COMMAND),
    temperature: readNumber(values, 'temperature', 1, { min: 0 }, COMMAND),
    topK:
      values['top-k'] === undefined
        ? undefined
        : readNumber(values, 'top-k', 0, { integer: true, min: 1 }, COMMAND),
    seed: readSeed(values, GENERATE_SEED, COMMAND),
    ...readBackendOptions(values, COMMAND),
  };
}

/**
 * Runs `lmp generate` with parsed options; returns the exit code. The prompt is printed first,
 * then each new character as it comes, then a final newline if the text does not end with one.
 * An empty prompt starts from token 0 (for a text model the smallest character, a book's newline,
 * as the lecture's `torch.zeros((1, 1))`; for a names model the boundary `.`), which is not printed.
 */
export async function runGenerate(options: GenerateCommandOptions, io: CliIO): Promise<number> {
  return withBackend(options, io, async () => {
    streamText(openCheckpoint(options.from, io), options, io);
    return 0;
  });
}

/**
 * Continues `options.prompt` with a loaded checkpoint's model, writing the prompt and then each
 * character to stdout as it is drawn (`lmp generate`, and `lmp sample` on a text model).
 */
export function streamText(
  checkpoint: Checkpoint,
  options: Omit<GenerateCommandOptions, keyof BackendOptions>,
  io: CliIO,
): void {
  const { tokenizer, model, config } = checkpoint;
  let promptIds: Int32Array;
  try {
    // An empty prompt starts from token 0 (a book's newline), or a BPE's newline byte.
    const start = tokenizer instanceof BpeTextTokenizer ? tokenizer.encodeText('\n') : [0];
    promptIds =
      options.prompt === '' ? Int32Array.from(start) : tokenizer.encodeText(options.prompt);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    throw new UsageError(
      `--prompt: ${error.message.replace(/ — .*$/, '')}; the model knows ${JSON.stringify(tokenizer.itos.join(''))}`,
      COMMAND,
    );
  }
  checkSequenceModel(model as unknown as Partial<GenerateModel>, config.kind, options.from);
  io.stdout.write(options.prompt);
  let last = options.prompt.at(-1) ?? '\n';
  // A BPE token can end inside a character: decode its bytes with a streaming decoder, which
  // holds back an incomplete UTF-8 sequence until the next token completes it.
  const decoder = new TextDecoder();
  const textOf = (id: number) =>
    tokenizer instanceof BpeTextTokenizer
      ? decoder.decode(tokenizer.decodeBytes([id]), { stream: true })
      : tokenizer.itos[id];
  generate(model as unknown as GenerateModel, promptIds, {
    maxNewTokens: options.maxNewTokens,
    temperature: options.temperature,
    ...(options.topK === undefined ? {} : { topK: options.topK }),
    generator: new Generator(options.seed),
    blockSize: config.blockSize,
    onToken: (id) => {
      const text = textOf(id);
      if (text === '') return;
      last = text;
      io.stdout.write(last);
    },
  });
  const rest = decoder.decode(); // U+FFFD for a character left incomplete at the end
  if (rest !== '') {
    last = rest;
    io.stdout.write(rest);
  }
  if (last !== '\n') io.stdout.write('\n');
}

/**
 * Throws unless `model.forward` maps one token `[1, 1]` to logits `[1, 1, V]`: a model that
 * predicts only the next token from a fixed context (the MLP, the WaveNet) cannot continue a text.
 */
function checkSequenceModel(model: Partial<GenerateModel>, kind: string, from: string): void {
  let problem = 'it has no forward(ids)';
  if (typeof model.forward === 'function') {
    try {
      const shape = noGrad(() => model.forward!(tensor([[0]])).shape);
      if (shape.length === 3 && shape[0] === 1 && shape[1] === 1) return;
      problem = `logits [${shape.join(', ')}] for ids [1, 1]`;
    } catch (error) {
      problem = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    }
  }
  throw new Error(
    `the ${kind} model in ${from} predicts only the next character from a fixed context (${problem}), it cannot continue a text — use lmp sample --from ${from} for it, or train a sequence model (gpt, transformer)`,
  );
}

/** The command-table entry for `lmp generate`. */
export const generateCommand: CommandSpec = {
  name: COMMAND,
  summary: 'continue a text with a trained sequence model (GPT), streaming',
  description:
    'Continues --prompt with the model saved by lmp train in --from, one character at a time: the last ' +
    'block-size characters go in, softmax(logits / --temperature) of the last position (only the --top-k ' +
    'largest when given) gives the next character, which is printed as soon as it is drawn. Every prompt ' +
    "character must be in the model's vocabulary (the error lists those that are not). An empty prompt " +
    "starts from token 0 — a book's newline, as the lecture's torch.zeros((1, 1)) — which is not printed. " +
    "The default seed is the lecture's 1337.",
  options: [
    FROM_OPTION,
    {
      name: 'prompt',
      type: 'string',
      short: 'p',
      valueName: 'TEXT',
      defaultText: "'' (start from token 0)",
      description: 'the text to continue',
    },
    {
      name: 'max-new-tokens',
      type: 'string',
      short: 'n',
      valueName: 'N',
      defaultText: '500',
      description: 'how many characters to generate',
    },
    {
      name: 'temperature',
      type: 'string',
      short: 't',
      valueName: 'T',
      defaultText: '1',
      description: 'below 1: safer, more repetitive; above 1: wilder; 0: always the most likely',
    },
    valueOption('top-k', 'K', 'sample only among the K most likely next characters', 'all'),
    valueOption('seed', 'N', 'seed of the sampling generator', String(GENERATE_SEED)),
    ...BACKEND_OPTIONS,
  ],
  examples: [
    'lmp generate --from lmp-out/gpt --prompt "Call me" -n 500',
    'lmp generate --from lmp-out/gpt --prompt "The whale" -n 200 --temperature 0.8 --top-k 10 --seed 7',
    'lmp generate --from lmp-out/gpt -n 1000 > sample.txt',
  ],
  run: (values, io) => runGenerate(parseGenerateOptions(values), io),
};
