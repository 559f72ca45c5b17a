/**
 * The session kind of the GPT page (`gpt`: the family trained on a text, the bundled book by
 * default) and of the RNN page (`zoo`: makemore.py's `rnn`, `gru`, `transformer`, `bow` on the
 * word list). Both are the CLI's run — makemore's `prepareRun` (clamp mode), its `Trainer` — with
 * the page's evaluation (an estimate on evenly spaced windows or words, so an evaluation costs a
 * few steps, not seconds) and a sample at every evaluation (text: 200 characters from a fixed
 * seed, so the learner sees the same draw get more English-like; names: eight names).
 *
 * Calls (`call(name, args)`), each answering `{ error }` for bad input instead of throwing (the
 * run goes on, nothing is lost): `generate` / `generate-more` (streaming: a chunk of characters
 * per call, the page asks for the next one), `inspect` (attention, residual norms, top-k),
 * `hidden` (an RNN's or GRU's hidden state over time), `save` (the CLI's checkpoint as two files)
 * and `load` (a checkpoint replaces the model and restarts the charts: `restarted`).
 */
import { Generator } from '@llm-playground/core';
import {
  BpeTextTokenizer,
  type ConfigValue,
  evaluate,
  generate,
  type LanguageModel,
  type ModelTokenizer,
  type PreparedRun,
  prepareRun,
  requireCharTokenizer,
  sample,
  type Trainer,
} from '@llm-playground/makemore';
import { GPT4_SPLIT_PATTERN, RegexTokenizer } from '@llm-playground/tokenizer';
import type {
  Packed,
  ProgressEvent,
  RunStatus,
  Stop,
  TrainerKind,
} from '../../session/protocol.js';
import { TrainerSession } from '../../session/trainer-session.js';
import { checkpointFiles, hiddenOf, inspectModel, openCheckpoint } from './lm-inspect.js';

/** The page's settings: the family's model config by field name, and the run's. */
export interface LmSettings {
  model: Readonly<Record<string, ConfigValue>>;
  lr: number;
  steps: number;
  batchSize: number;
  /** Seeds the weights and then the minibatches (the CLI's `--seed`). */
  seed: number;
  evalEvery: number;
  /** `gpt`: train on a byte-level BPE of this many ids (GPT-4 split), trained on the text first. */
  bpeVocabSize?: number;
}

export interface LmInit {
  /** `gpt` on a text; `rnn`, `gru`, `transformer`, `bow` on words. */
  family: string;
  settings: LmSettings;
  /** The text (`gpt`); null: the bundled book (loaded in the worker). */
  text?: string | null;
  /** Where the text came from, for the info line. */
  textLabel?: string;
  words?: readonly string[];
}

export interface LmInfo {
  family: string;
  config: Record<string, ConfigValue>;
  vocabSize: number;
  /** The tokens, `itos`. */
  chars: string[];
  /** Tokens per character of the validation text (1 for characters): loss/char = loss/token × this. */
  tokensPerCharacter: number;
  /** Seconds the BPE took to train (a BPE run only). */
  bpeSeconds?: number;
  numParameters: number;
  /** Characters (text) or words (word list) to train on and to validate. */
  train: number;
  dev: number;
  source: string;
  /** Set when the model came from a checkpoint file. */
  loadedFrom?: string;
}

/** An evaluation: estimated train and validation loss, and a sample of that moment. */
export interface LmEvaluation {
  step: number;
  train: number;
  dev: number;
  /** The validation loss per character: `dev` × tokens per character (= `dev` for characters). */
  devPerCharacter: number;
  /** Text: 200 characters from the fixed seed; words: eight names joined by spaces. */
  sample: string;
}

/** A chunk of a streamed generation. */
export interface GenerateChunk {
  /** The generation this chunk belongs to (a new `generate` call starts a new one). */
  id: number;
  /** The new characters (the prompt is not repeated). */
  text: string;
  done: boolean;
}

/** What a call answers with bad input. */
export interface CallError {
  error: string;
}

/** Windows (text) or words the evaluations estimate the loss on. */
export const EVAL_EXAMPLES = 128;
/** Characters of the sample at each evaluation. */
export const SAMPLE_CHARS = 200;
/** A streamed generation sends its characters in chunks that each take about this long. */
const CHUNK_MS = 30;
/** A browser tab refuses models whose weights, gradients and optimizer state pass this. */
const MAX_MODEL_BYTES = 1e9;

let book: { text: string; source: string } | null = null;

/** Loads the bundled book (the `gpt` kind does before its first trainer). */
export async function preloadBook(): Promise<void> {
  if (book) return;
  const { bundledBook } = await import('@llm-playground/data');
  const { text, title } = await bundledBook();
  book = { text, source: title ?? 'the bundled book' };
}

/** The message of an error (for `{ error }` answers). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class LmSessionTrainer extends TrainerSession {
  info!: LmInfo;
  run!: PreparedRun;
  protected trainer!: Trainer;
  private settings: LmSettings;
  private readonly text?: string;
  private readonly source: string;
  private generation: {
    id: number;
    ids: Int32Array;
    remaining: number;
    generator: Generator;
    temperature: number;
    topK: number;
    decoder: TextDecoder;
  } | null = null;
  private nextGeneration = 1;
  /** The last BPE trained (a change of rate or steps does not train it again). */
  private bpe: { vocabSize: number; tokenizer: RegexTokenizer; seconds: number } | null = null;

  constructor(private readonly init: LmInit) {
    super();
    this.settings = { ...init.settings };
    if (init.family === 'gpt') {
      const text = init.text ?? book?.text;
      if (text === undefined) throw new Error('The bundled book is not loaded: call preloadBook()');
      this.text = text;
      this.source = init.text ? (init.textLabel ?? 'your text') : (book?.source ?? 'the book');
    } else {
      this.source = `${init.words?.length ?? 0} words`;
    }
    this.build();
  }

  get model(): LanguageModel {
    return this.run.model;
  }

  get tokenizer(): ModelTokenizer {
    return this.run.tokenizer;
  }

  /** The BPE of `settings.bpeVocabSize` ids trained on the text (cached), or undefined: characters. */
  private trainedBpe(): RegexTokenizer | undefined {
    const vocabSize = this.settings.bpeVocabSize;
    if (!vocabSize || this.text === undefined) return undefined;
    if (this.bpe?.vocabSize !== vocabSize) {
      const started = performance.now();
      const tokenizer = new RegexTokenizer(GPT4_SPLIT_PATTERN);
      tokenizer.train(this.text, vocabSize);
      this.bpe = { vocabSize, tokenizer, seconds: (performance.now() - started) / 1000 };
    }
    return this.bpe.tokenizer;
  }

  /** A fresh model (or the checkpoint's, `resume`), its data and its trainer. */
  private build(resume?: ReturnType<typeof openCheckpoint>, loadedFrom?: string): void {
    const s = this.settings;
    const text = this.text !== undefined;
    const bpe = resume ? undefined : this.trainedBpe();
    const run = prepareRun({
      family: this.init.family,
      rawConfig: s.model,
      mode: 'clamp',
      ...(text ? { text: this.text, tokenizer: bpe } : { words: this.init.words }),
      seed: s.seed,
      // A checkpoint continues its saved run (steps, rate, schedule); the page's otherwise.
      run: resume
        ? { batchSize: s.batchSize }
        : { lr: s.lr, steps: s.steps, batchSize: s.batchSize },
      maxBytes: MAX_MODEL_BYTES,
      resume: resume ?? undefined,
    });
    const { model, data } = run;
    // The page's estimate: evenly spaced windows (text) or words, not the whole split.
    (run.task as { evaluate?: unknown }).evaluate = () => ({
      train: evaluate(model, data.train, { maxExamples: EVAL_EXAMPLES }),
      dev: data.dev.length > 0 ? evaluate(model, data.dev, { maxExamples: EVAL_EXAMPLES }) : NaN,
    });
    this.run = run;
    this.clearRecords();
    this.generation = null;
    this.trainer = run.createTrainer({
      evalEvery: s.evalEvery,
      onEval: this.onEval,
      onStep: this.onStep,
    });
    const split = run.splitFingerprint;
    this.info = {
      family: run.family.name,
      config: model.config as unknown as Record<string, ConfigValue>,
      vocabSize: run.tokenizer.vocabSize,
      chars: [...run.tokenizer.itos],
      tokensPerCharacter: run.tokensPerCharacter,
      ...(bpe && this.bpe ? { bpeSeconds: this.bpe.seconds } : {}),
      numParameters: model.numParameters(),
      train: split.train,
      dev: split.dev,
      source: this.source,
      ...(loadedFrom ? { loadedFrom } : {}),
    };
  }

  protected override toEvent(evaluation: {
    step: number;
    metrics: Record<string, number>;
  }): LmEvaluation {
    return {
      step: evaluation.step,
      train: evaluation.metrics.train,
      dev: evaluation.metrics.dev,
      devPerCharacter: evaluation.metrics.dev * this.run.tokensPerCharacter,
      sample: this.evaluationSample(),
    };
  }

  /** The same draw at every evaluation (seed 1337): what changed is the model. */
  private evaluationSample(): string {
    const generator = new Generator(1337);
    if (this.text === undefined) {
      const names = sample(this.model, this.tokenizer, { count: 8, generator, maxLength: 40 });
      return names.words.join(' ');
    }
    // From a newline: the char vocabulary's id 0, the byte 10 of a BPE.
    const start = this.tokenizer instanceof BpeTextTokenizer ? 10 : 0;
    const ids = generate(this.model as never, [start], { maxNewTokens: SAMPLE_CHARS, generator });
    return this.tokenizer.decode(ids.subarray(1));
  }

  snapshot(): Packed<null> {
    return { value: null };
  }

  /**
   * Any change of settings starts over; the same settings change nothing. Settings the data
   * cannot take (a block size longer than the text) throw, and the current model stays.
   */
  configure(config: unknown): 'live' | 'restart' {
    if (JSON.stringify(config) === JSON.stringify(this.settings)) return 'live';
    const previous = {
      settings: this.settings,
      run: this.run,
      trainer: this.trainer,
      info: this.info,
    };
    this.settings = { ...(config as LmSettings) };
    try {
      this.build();
    } catch (error) {
      Object.assign(this, previous);
      throw error;
    }
    return 'restart';
  }

  reset(): void {
    this.build();
  }

  call(name: string, args: unknown): Packed {
    try {
      return this.answer(name, args);
    } catch (error) {
      return { value: { error: messageOf(error) } satisfies CallError };
    }
  }

  private answer(name: string, args: unknown): Packed {
    const a = (args ?? {}) as Record<string, unknown>;
    switch (name) {
      case 'generate':
        return { value: this.startGeneration(a) };
      case 'generate-more':
        return { value: this.continueGeneration(Number(a.id)) };
      case 'inspect':
        return { value: inspectModel(this.model, this.tokenizer, String(a.prompt ?? ''), a) };
      case 'hidden':
        return {
          value: hiddenOf(
            this.model,
            requireCharTokenizer(this.tokenizer, 'the RNN page'),
            String(a.prompt ?? ''),
          ),
        };
      case 'save': {
        const files = checkpointFiles(this.run, this.trainer);
        return { value: files, transfer: [files['model.safetensors'].buffer as ArrayBuffer] };
      }
      case 'load': {
        const files = a.files as Record<string, string | Uint8Array>;
        const checkpoint = openCheckpoint(files, this.init.family);
        const previous = { run: this.run, trainer: this.trainer, info: this.info };
        try {
          this.build(checkpoint, String(a.fileName ?? 'a checkpoint'));
        } catch (error) {
          // Nothing lost: the model being trained stays.
          Object.assign(this, previous);
          throw new Error(
            `the checkpoint's model cannot train on this page's data: ${messageOf(error)}`,
          );
        }
        return { value: { loaded: this.info }, restarted: true };
      }
    }
    throw new RangeError(
      `The language-model trainer has no '${name}': expected generate, generate-more, inspect, hidden, save or load`,
    );
  }

  /** Starts a generation from `prompt` and returns its first chunk. */
  private startGeneration(a: Record<string, unknown>): GenerateChunk {
    const prompt = String(a.prompt ?? '');
    if (prompt.length === 0) {
      throw new RangeError(
        'The prompt is empty: type at least one character to continue (a newline starts a fresh paragraph)',
      );
    }
    const ids = encodePrompt(this.tokenizer, prompt);
    this.generation = {
      id: this.nextGeneration++,
      ids,
      remaining: Math.max(0, Math.floor(Number(a.maxNewTokens ?? 500))),
      generator: new Generator(Number(a.seed ?? 1337)),
      temperature: Number(a.temperature ?? 1),
      topK: Number(a.topK ?? 0) > 0 ? Number(a.topK) : Number.POSITIVE_INFINITY,
      decoder: new TextDecoder(),
    };
    return this.continueGeneration(this.generation.id);
  }

  /** The next chunk: tokens until ~30 ms passed or the generation is done. */
  private continueGeneration(id: number): GenerateChunk {
    const g = this.generation;
    if (!g || g.id !== id) return { id, text: '', done: true };
    const started = performance.now();
    const fresh: number[] = [];
    while (g.remaining > 0 && performance.now() - started < CHUNK_MS) {
      const out = generate(this.model as never, g.ids.subarray(-this.model.config.blockSize), {
        maxNewTokens: 1,
        temperature: g.temperature,
        topK: g.topK,
        generator: g.generator,
      });
      const next = out[out.length - 1];
      const grown = new Int32Array(g.ids.length + 1);
      grown.set(g.ids);
      grown[g.ids.length] = next;
      g.ids = grown.length > 4096 ? grown.slice(-2048) : grown;
      fresh.push(next);
      g.remaining--;
    }
    if (g.remaining === 0) this.generation = null;
    const tokenizer = this.tokenizer;
    // A BPE token can end inside a character: the decoder keeps its bytes for the next chunk.
    const text =
      tokenizer instanceof BpeTextTokenizer
        ? g.decoder.decode(tokenizer.decodeBytes(fresh), { stream: g.remaining > 0 })
        : tokenizer.decode(fresh);
    return { id, text, done: g.remaining === 0 };
  }
}

/**
 * The ids of a prompt, or an error naming the characters the model does not know (a byte-level
 * BPE knows every text).
 *
 * @example
 * ```ts
 * encodePrompt(CharTokenizer.fromText('abc\n'), 'cab'); // Int32Array [3, 1, 2]
 * encodePrompt(CharTokenizer.fromText('abc\n'), 'cAb!'); // throws: 'A', '!' are not in the vocabulary …
 * ```
 */
export function encodePrompt(tokenizer: ModelTokenizer, prompt: string): Int32Array {
  if (tokenizer instanceof BpeTextTokenizer) return tokenizer.encodeText(prompt);
  const known = new Set(tokenizer.itos);
  const unknown = [...new Set(Array.from(prompt).filter((c) => !known.has(c)))];
  if (unknown.length > 0) {
    const shown = unknown.map((c) => JSON.stringify(c)).join(', ');
    throw new RangeError(
      `${shown} ${unknown.length === 1 ? 'is' : 'are'} not in the model's vocabulary of ${tokenizer.vocabSize} characters (those of its training text): remove or replace ${unknown.length === 1 ? 'it' : 'them'}`,
    );
  }
  return Int32Array.from(Array.from(prompt), (c) => tokenizer.stoi(c));
}

export const gptKind: TrainerKind<LmInit> = { create: (init) => new LmSessionTrainer(init) };

/** What the pages show of a progress event. */
export interface LmProgress {
  status: RunStatus;
  step: number;
  steps: number;
  firstStep: number;
  losses: Float32Array;
  evaluations: LmEvaluation[];
  stepsPerSecond: number;
  divergence?: Stop;
}

export function toLmProgress(event: ProgressEvent): LmProgress {
  const losses = event.slice.series.loss;
  return {
    status: event.status,
    step: event.step,
    steps: Number(event.extra.steps),
    firstStep: event.slice.firstStep,
    losses: losses instanceof Float32Array ? losses : Float32Array.from(losses ?? []),
    evaluations: event.slice.events as LmEvaluation[],
    stepsPerSecond: event.stats.stepsPerSecond,
    divergence: event.stop?.reason === 'diverged' ? event.stop : undefined,
  };
}
