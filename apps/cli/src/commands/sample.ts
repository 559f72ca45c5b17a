/**
 * `lmp sample --from DIR`: draw names from a saved model. The lecture's loop: start from the
 * boundary context, softmax of the logits (divided by `--temperature`, optionally keeping the
 * `--top-k` most likely), one `multinomial` draw per character until the boundary comes back.
 * Words of the training data are redrawn unless `--allow-existing`; each sample says whether it is
 * new. A model trained on a text (gpt) writes 500 characters of text instead (text-model.ts).
 */
import { Generator } from '@llm-playground/core';
import { sample } from '@llm-playground/makemore';
import { type CommandSpec, type OptionValues, readNumber, valueOption } from '../command.js';
import type { CliIO } from '../io.js';
import {
  BACKEND_OPTIONS,
  type BackendOptions,
  backendIfNotJs,
  readBackendOptions,
  withBackend,
} from './backend-flag.js';
import {
  FROM_OPTION,
  formatSamples,
  loadInput,
  openCheckpoint,
  readFrom,
  readSeed,
  samplesOption,
} from './makemore-common.js';
import { sampleText, trainsOnText } from './text-model.js';
import { SAMPLE_SEED } from './train.js';

const COMMAND = 'sample';

/** Options of `lmp sample` as parsed from its flags. */
export interface SampleCommandOptions extends BackendOptions {
  from: string;
  count: number;
  temperature: number;
  topK?: number;
  seed: number;
  allowExisting: boolean;
}

/**
 * Reads the command's flags, with a `UsageError` for any bad value.
 *
 * @example
 * parseSampleOptions({ from: 'lmp-out/mlp', samples: '5' }); // { from: 'lmp-out/mlp', count: 5, ... }
 */
export function parseSampleOptions(values: OptionValues): SampleCommandOptions {
  return {
    from: readFrom(values, COMMAND),
    count: readNumber(values, 'samples', 20, { integer: true, min: 1 }, COMMAND),
    temperature: readNumber(values, 'temperature', 1, { min: 0 }, COMMAND),
    topK:
      values['top-k'] === undefined
        ? undefined
        : readNumber(values, 'top-k', 0, { integer: true, min: 1 }, COMMAND),
    seed: readSeed(values, SAMPLE_SEED, COMMAND),
    allowExisting: values['allow-existing'] === true,
    ...readBackendOptions(values, COMMAND),
  };
}

/**
 * Runs `lmp sample` with parsed options, writing to `io`; returns the exit code.
 *
 * @example
 * await runSample(parseSampleOptions({ from: 'lmp-out/mlp' }), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runSample(options: SampleCommandOptions, io: CliIO): Promise<number> {
  return withBackend(options, io, (backend) => sampleCheckpoint(options, io, backend));
}

async function sampleCheckpoint(
  options: SampleCommandOptions,
  io: CliIO,
  backend: string,
): Promise<number> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const checkpoint = openCheckpoint(options.from, io);
  if (trainsOnText(checkpoint)) return sampleText(checkpoint, options, io);
  // The training words tell new samples from old ones; the checkpoint records where they came from.
  const input = checkpoint.metadata.input || undefined;
  let exclude: Set<string> | undefined;
  try {
    exclude = new Set((await loadInput(input, io)).words);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    io.stderr.write(`lmp: warning: cannot tell new names from seen ones: ${reason}\n`);
  }
  const drawn = sample(checkpoint.model, checkpoint.tokenizer, {
    count: options.count,
    temperature: options.temperature,
    ...(options.topK === undefined ? {} : { topK: options.topK }),
    generator: new Generator(options.seed),
    ...(exclude === undefined ? {} : { exclude }),
    allowExisting: options.allowExisting,
  });
  const settings = [
    `${checkpoint.config.kind} at step ${checkpoint.step.toLocaleString('en-US')}`,
    `seed ${options.seed}`,
    ...(options.temperature === 1 ? [] : [`temperature ${options.temperature}`]),
    ...(options.topK === undefined ? [] : [`top-k ${options.topK}`]),
    ...backendIfNotJs(backend),
  ].join(', ');
  for (const line of formatSamples(
    drawn.words,
    exclude === undefined ? undefined : drawn.isNew,
    ` (${settings})`,
  )) {
    out(line);
  }
  if (drawn.gaveUp > 0) {
    out(
      `(${drawn.gaveUp} of them could not be made new in 100 draws: the model mostly repeats its data; --temperature above 1 helps)`,
    );
  }
  return 0;
}

/** The command-table entry for `lmp sample`. */
export const sampleCommand: CommandSpec = {
  name: COMMAND,
  summary: 'sample new names from a trained model',
  description:
    'Draws names from the model saved by lmp train in --from, one character at a time from softmax(logits / ' +
    '--temperature) (only the --top-k most likely when given) until the boundary character. Names of the ' +
    'training data are drawn again unless --allow-existing; each line says new or seen. The default seed is ' +
    "the lecture's sampling seed 2147483647 + 10, which lmp train also uses for its final samples. A model " +
    'trained on a text (gpt) writes 500 characters of text from token 0 instead, as lmp generate does ' +
    '(which also continues a --prompt); -n and --allow-existing do not apply to it.',
  options: [
    FROM_OPTION,
    samplesOption('20', 'number of names'),
    {
      name: 'temperature',
      type: 'string',
      short: 't',
      valueName: 'T',
      defaultText: '1',
      description: 'below 1: safer, more common names; above 1: wilder; 0: always the most likely',
    },
    valueOption('top-k', 'K', 'sample only among the K most likely next characters', 'all'),
    valueOption('seed', 'N', 'seed of the sampling generator', String(SAMPLE_SEED)),
    {
      name: 'allow-existing',
      type: 'boolean',
      description: 'keep samples that are words of the training data',
    },
    ...BACKEND_OPTIONS,
  ],
  examples: [
    'lmp sample --from lmp-out/mlp',
    'lmp sample --from lmp-out/mlp -n 50 --temperature 0.8 --seed 7',
    'lmp sample --from lmp-out/bigram --top-k 5 --allow-existing',
    'lmp sample --from lmp-out/gpt --temperature 0.8   # 500 characters of text',
  ],
  run: (values, io) => runSample(parseSampleOptions(values), io),
};
