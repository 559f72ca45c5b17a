/**
 * `lmp eval` and `lmp sample` on a model that trains on a text (the gpt family): its loss on the
 * text's own 90/10 split, re-read from where `lmp train` read it (or `-i`), and a sample that is
 * a generated text rather than a list of names.
 */
import { DataError, loadText } from '@llm-playground/data';
import {
  BpeTextTokenizer,
  type Checkpoint,
  ConfigError,
  dataFingerprint,
  evaluate,
  getFamily,
  textData,
  tokensPerCharacter,
} from '@llm-playground/makemore';
import type { CliIO } from '../io.js';
import type { EvalCommandOptions } from './eval.js';
import { streamText } from './generate.js';
import { formatCount, formatLoss, resolveInput } from './makemore-common.js';
import type { SampleCommandOptions } from './sample.js';
import { lossPerCharacterLine } from './train.js';

/** How many characters `lmp sample` writes for a text model (`lmp generate`'s default). */
export const TEXT_SAMPLE_CHARACTERS = 500;

/**
 * True when the checkpoint's family trains on a text (windows of characters), not on words.
 *
 * @example
 * trainsOnText(openCheckpoint('lmp-out/gpt', io)); // true
 */
export function trainsOnText(checkpoint: Checkpoint): boolean {
  // A loaded checkpoint's family is registered: createModel built its model.
  return getFamily(checkpoint.config.kind).trainsOn(checkpoint.config).examples === 'text';
}

/**
 * `lmp eval` on a text model: the mean loss per character of the text's training and validation
 * parts (the first 90% and the rest, in non-overlapping windows of the block size: the numbers
 * `lmp train` printed at the end). The text is `-i`, else the one the checkpoint records; a text
 * other than the one trained on (its fingerprint differs) gives a warning.
 */
export async function evalText(
  checkpoint: Checkpoint,
  options: EvalCommandOptions,
  io: CliIO,
): Promise<number> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const source = options.input ?? (checkpoint.metadata.input || undefined);
  const book = await loadText(resolveInput(source, io), options.inputLimits);
  out(book.summary);
  const recorded = checkpoint.data;
  if (recorded !== undefined && recorded.sha256 !== dataFingerprint([book.text]).sha256) {
    io.stderr.write(
      `lmp: warning: ${book.source} is not the text this checkpoint was trained on (its fingerprint differs): its 90/10 split differs too, so the losses below are not those of training; pass the original text with -i\n`,
    );
  }
  const { blockSize } = checkpoint.config;
  let data: ReturnType<typeof textData>;
  try {
    data = textData(book.text, checkpoint.tokenizer, blockSize);
  } catch (error) {
    if (error instanceof DataError) {
      throw new Error(
        `${book.source}: ${error.message.replace(/ — .*$/, '')}: the model cannot read it; evaluate it on the text it was trained on (or one written with the same characters)`,
      );
    }
    if (error instanceof ConfigError) {
      const why = error.message.replace(/^.* is too large for the text: /, '').split('; ')[0];
      throw new Error(
        `the model's block size ${blockSize} is too large for ${book.source}: ${why}; evaluate it on a longer text`,
      );
    }
    throw error;
  }
  const unit = checkpoint.tokenizer instanceof BpeTextTokenizer ? 'tokens' : 'characters';
  let devLoss = Number.NaN;
  for (const [name, part] of [
    ['train', data.train],
    ['dev', data.dev],
  ] as const) {
    const loss = evaluate(checkpoint.model, part);
    if (name === 'dev') devLoss = loss;
    out(`${name.padEnd(5)} ${formatLoss(loss)}  (${formatCount(part.length + blockSize)} ${unit})`);
  }
  out(lossPerCharacterLine(devLoss, tokensPerCharacter(checkpoint.tokenizer, data.dev.X)));
  return 0;
}

/**
 * `lmp sample` on a text model: `TEXT_SAMPLE_CHARACTERS` characters of generated text from token 0,
 * under a heading that says how to continue a prompt instead (`lmp generate`).
 */
export function sampleText(
  checkpoint: Checkpoint,
  options: SampleCommandOptions,
  io: CliIO,
): number {
  io.stdout.write(
    `${checkpoint.config.kind} at step ${formatCount(checkpoint.step)} continues a text: ${TEXT_SAMPLE_CHARACTERS} ${checkpoint.tokenizer instanceof BpeTextTokenizer ? 'tokens' : 'characters'} (seed ${options.seed}); lmp generate --from ${options.from} --prompt "…" -n N continues a prompt\n`,
  );
  streamText(checkpoint, { ...options, prompt: '', maxNewTokens: TEXT_SAMPLE_CHARACTERS }, io);
  return 0;
}
