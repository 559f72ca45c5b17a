/**
 * `lmp eval --from DIR [-i FILE]`: the mean negative log-likelihood of a saved model. Without `-i`,
 * on the train/dev/test split it was trained with (the same words, shuffled with the same seed);
 * with `-i`, on every word of that file. A text model (gpt): on its text's 90/10 split, the text
 * re-read from where it was trained (or `-i`; text-model.ts).
 */
import { buildContexts, splitWords } from '@llm-playground/data';
import {
  compareDataFingerprint,
  dataFingerprint,
  evaluate,
  requireCharTokenizer,
} from '@llm-playground/makemore';
import { type CommandSpec, type OptionValues, readString } from '../command.js';
import type { CliIO } from '../io.js';
import {
  BACKEND_OPTIONS,
  type BackendOptions,
  backendIfNotJs,
  readBackendOptions,
  withBackend,
} from './backend-flag.js';
import {
  checkNoBoundary,
  FROM_OPTION,
  formatCount,
  formatLoss,
  INPUT_LIMIT_OPTIONS,
  INPUT_OPTION,
  type InputLimits,
  loadInput,
  openCheckpoint,
  readFrom,
  readInputLimits,
} from './makemore-common.js';
import { evalText, trainsOnText } from './text-model.js';
import { SPLIT_SEED } from './train.js';

const COMMAND = 'eval';

/** Options of `lmp eval` as parsed from its flags. */
export interface EvalCommandOptions extends BackendOptions {
  from: string;
  input?: string;
  inputLimits?: InputLimits;
}

/**
 * Reads the command's flags, with a `UsageError` for any bad value.
 *
 * @example
 * parseEvalOptions({ from: 'lmp-out/mlp' }); // { from: 'lmp-out/mlp', input: undefined }
 */
export function parseEvalOptions(values: OptionValues): EvalCommandOptions {
  return {
    from: readFrom(values, COMMAND),
    input: readString(values, 'input'),
    inputLimits: readInputLimits(values, COMMAND),
    ...readBackendOptions(values, COMMAND),
  };
}

/**
 * Runs `lmp eval` with parsed options, writing to `io`; returns the exit code.
 *
 * @example
 * await runEval({ from: 'lmp-out/mlp' }, { stdout: process.stdout, stderr: process.stderr });
 */
export async function runEval(options: EvalCommandOptions, io: CliIO): Promise<number> {
  return withBackend(options, io, (backend) => evaluateCheckpoint(options, io, backend));
}

async function evaluateCheckpoint(
  options: EvalCommandOptions,
  io: CliIO,
  backend: string,
): Promise<number> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const checkpoint = openCheckpoint(options.from, io);
  const { model, tokenizer } = checkpoint;
  const { blockSize, kind } = checkpoint.config;
  const header = [`${kind} at step ${formatCount(checkpoint.step)} from ${options.from}`];
  out([...header, ...backendIfNotJs(backend)].join(', '));
  if (trainsOnText(checkpoint)) return evalText(checkpoint, options, io);
  const chars = requireCharTokenizer(tokenizer, 'lmp eval');
  if (options.input !== undefined) {
    const list = await loadInput(options.input, io, options.inputLimits);
    out(list.summary);
    checkNoBoundary(list.words, chars, options.input);
    const data = buildContexts(list.words, chars, blockSize);
    out(`loss ${formatLoss(evaluate(model, data))} on all ${formatCount(data.length)} examples`);
    return 0;
  }
  const list = await loadInput(checkpoint.metadata.input || undefined, io, options.inputLimits);
  out(list.summary);
  const seed = Number(checkpoint.metadata.split_seed ?? SPLIT_SEED);
  const split = splitWords(list.words, { seed });
  // The words behind the checkpoint may have changed since (a list that grew is re-split): say
  // what the numbers below then mean.
  const comparison = compareDataFingerprint(
    checkpoint.data,
    dataFingerprint(list.words, {
      seed,
      fractions: checkpoint.data?.split?.fractions ?? [0.8, 0.9],
      train: split.train.length,
      dev: split.dev.length,
      test: split.test.length,
    }),
  );
  if (!comparison.same) io.stderr.write(`lmp: warning: ${comparison.message}\n`);
  for (const name of ['train', 'dev', 'test'] as const) {
    const data = buildContexts(split[name], chars, blockSize);
    const loss = data.length === 0 ? '–' : formatLoss(evaluate(model, data));
    out(`${`${name}`.padEnd(5)} ${loss}  (${formatCount(data.length)} examples)`);
  }
  return 0;
}

/** The command-table entry for `lmp eval`. */
export const evalCommand: CommandSpec = {
  name: COMMAND,
  summary: 'loss of a trained model on its train/dev/test split or on a file',
  description:
    'Prints the mean negative log-likelihood per character of the model saved in --from: on the train, dev ' +
    'and test split it was trained with (its word list, shuffled with the same seed), or with -i on every ' +
    'word of FILE. A model trained on a text (gpt) is evaluated on that text, its first 90% (train) and ' +
    'the rest (dev), in windows of its block size, re-read from where lmp train read it (or -i FILE|URL ' +
    'when it moved; a different text gets a warning). Characters the model has never seen are an error.',
  options: [
    FROM_OPTION,
    {
      ...INPUT_OPTION,
      defaultText: 'the split of the training words (or text)',
      description:
        "evaluate on every word of this list instead (a text model: on this text's split)",
    },
    ...INPUT_LIMIT_OPTIONS,
    ...BACKEND_OPTIONS,
  ],
  examples: [
    'lmp eval --from lmp-out/mlp',
    'lmp eval --from lmp-out/mlp -i more-names.txt',
    'lmp eval --from lmp-out/gpt   # train/dev loss on the text it was trained on',
    'lmp eval --from lmp-out/gpt -i moved/book.txt',
  ],
  run: (values, io) => runEval(parseEvalOptions(values), io),
};
