/**
 * The backprop page's evaluator: runs the learner's boxes (JavaScript bodies over the tensor API,
 * see `exercises.ts`) on one fixed batch and checks each against autograd with makemore's `cmp`.
 * Runs in the page's worker (`check.worker.ts`), never on the main thread, and in Node for tests.
 *
 * Each box gets fresh copies of the forward tensors, so a box that writes into one in place cannot
 * spoil the next. The gradients a box receives are the ones checked before it: the learner's when
 * that box passed (✓ or ≈), autograd's otherwise, so one slip does not turn every line below red.
 * Errors come back as a message and the line of the box it happened on — from the stack frame
 * that the box's `//# sourceURL` names, or, for a syntax error (V8 gives no position), from the
 * first prefix of the box that fails to compile with the same message.
 */
import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import {
  BACKPROP_INTERMEDIATE_NAMES,
  BACKPROP_PARAMETER_NAMES,
  BACKPROP_SEED,
  type BackpropMlpParameters,
  cmp,
  cmpMark,
  type ForwardSteps,
  forwardSteps,
  initBackpropMlp,
  MinibatchSampler,
} from '@llm-playground/makemore';
import * as T from '@llm-playground/tensor';
import { isTensor, noGrad, type Tensor } from '@llm-playground/tensor';
import { API_NAMES, EXERCISE_LINES } from './exercises.js';

/** The tensor API a box can call, by the names in `API_NAMES`. */
// biome-ignore lint/performance/noDynamicNamespaceImportAccess: the checker's worker loads all of tensor anyway
const BOX_API = Object.fromEntries(API_NAMES.map((name) => [name, T[name]]));

/** The lecture's setup: one minibatch of 32, its forward pass, and autograd's gradients. */
export interface FixedBatch {
  params: BackpropMlpParameters;
  steps: ForwardSteps;
  Xb: Tensor;
  Yb: Tensor;
  n: number;
  itos: readonly string[];
}

/**
 * The lecture's batch on `words` (default: the bundled names): split with seed 42, contexts of 3,
 * `initBackpropMlp` (n_hidden 64) and the first minibatch of 32 from `Generator(2147483647)`,
 * forward in steps and `loss.backward()`.
 */
export function fixedBatch(words: readonly string[] = bundledNames().words): FixedBatch {
  const tokenizer = CharTokenizer.fromWords(words);
  const train = buildContexts(splitWords(words).train, tokenizer, 3);
  const g = new Generator(BACKPROP_SEED);
  const params = initBackpropMlp({ vocabSize: tokenizer.vocabSize, generator: g });
  const sampler = new MinibatchSampler(train, 32);
  sampler.next(g);
  const { X: Xb, Y: Yb } = sampler;
  const steps = forwardSteps(params, Xb, Yb);
  steps.loss.backward();
  return { params, steps, Xb, Yb, n: Xb.shape[0], itos: tokenizer.itos };
}

/** An error in a box: the message and the box's line (1-based), when known. */
export interface BoxError {
  line: number | null;
  message: string;
}

/** The check of one box. */
export interface BoxResult {
  id: string;
  /** `empty`: nothing to check (autograd's gradient is passed on). */
  status: 'empty' | 'checked' | 'error';
  mark?: '✓' | '≈' | '✗';
  exact?: boolean;
  approximate?: boolean;
  maxDiff?: number;
  /** The shape the gradient must have, and, when it differs, the one returned. */
  shape: number[];
  gotShape?: number[];
  error?: BoxError;
}

/** The forward tensor or parameter of that name. */
function tensorOf(batch: FixedBatch, name: string): Tensor {
  const { params, steps } = batch;
  return name in params
    ? params[name as keyof BackpropMlpParameters]
    : steps[name as keyof ForwardSteps];
}

const SOURCE_URL = 'backprop-box-';
let headerLines: number | null = null;

/** Lines the engine puts before a `new Function` body (V8: 2), measured once. */
function bodyOffset(): number {
  if (headerLines !== null) return headerLines;
  headerLines = 2;
  try {
    new Function(`throw new Error('probe');\n//# sourceURL=${SOURCE_URL}probe`)();
  } catch (error) {
    const match = new RegExp(`${SOURCE_URL}probe:(\\d+):`).exec(String((error as Error).stack));
    if (match) headerLines = Number(match[1]) - 1;
  }
  return headerLines;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : `threw ${String(error)}`;
}

/** The first line at which the box stops compiling with the same message as the whole box. */
function syntaxErrorLine(names: string[], source: string, message: string): number | null {
  const lines = source.split('\n');
  for (let k = 1; k <= lines.length; k++) {
    try {
      new Function(...names, lines.slice(0, k).join('\n'));
    } catch (error) {
      if (messageOf(error) === message) return k;
    }
  }
  return null;
}

/** Compiles and runs one box; the gradient it returned or the error. */
export function runBox(
  id: string,
  source: string,
  scope: Record<string, unknown>,
): { value: Tensor } | { error: BoxError } {
  const names = Object.keys(scope);
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = new Function(...names, `${source}\n//# sourceURL=${SOURCE_URL}${id}`) as typeof fn;
  } catch (error) {
    const message = messageOf(error);
    return { error: { line: syntaxErrorLine(names, source, message), message } };
  }
  try {
    const value = noGrad(() => fn(...Object.values(scope)));
    if (isTensor(value)) return { value };
    return {
      error: {
        line: null,
        message: `returned ${value === undefined ? 'nothing' : typeof value}, not a Tensor: end the box with return <the gradient>`,
      },
    };
  } catch (error) {
    const match = new RegExp(`${SOURCE_URL}${id}:(\\d+):`).exec(String((error as Error)?.stack));
    const line = match ? Number(match[1]) - bodyOffset() : null;
    return { error: { line, message: messageOf(error) } };
  }
}

/**
 * Fresh copies of everything a box sees: forward tensors, parameters, batch, API, and `grads` as
 * `d<name>`.
 */
export function scopeOf(batch: FixedBatch, grads: Map<string, Tensor>): Record<string, unknown> {
  const scope: Record<string, unknown> = { ...BOX_API, Xb: batch.Xb.clone(), Yb: batch.Yb.clone() };
  scope.n = batch.n;
  noGrad(() => {
    for (const name of [...BACKPROP_INTERMEDIATE_NAMES, 'loss', ...BACKPROP_PARAMETER_NAMES])
      scope[name] = tensorOf(batch, name).detach().clone();
    for (const [name, grad] of grads) scope[`d${name}`] = grad.clone();
  });
  return scope;
}

/**
 * Checks the boxes (`sources` by line id; a missing or blank one is `empty`) of every exercise
 * line, in order. `onStart(id)` is called before a box runs (the worker reports it, so a timeout
 * can name the box). Returns each line's result and the gradients that passed, by id.
 */
export function checkBoxes(
  batch: FixedBatch,
  sources: Readonly<Record<string, string>>,
  onStart?: (id: string) => void,
): { results: BoxResult[]; passed: Map<string, Tensor> } {
  const results: BoxResult[] = [];
  const passed = new Map<string, Tensor>();
  const reference = (name: string) => tensorOf(batch, name).grad as Tensor;
  let grads = new Map<string, Tensor>();
  let exercise = 0;
  for (const line of EXERCISE_LINES) {
    if (line.exercise !== exercise) {
      exercise = line.exercise;
      grads = new Map((line.given ?? []).map((name) => [name, reference(name)]));
    }
    const target = tensorOf(batch, line.target);
    const source = sources[line.id] ?? '';
    const result: BoxResult = { id: line.id, status: 'empty', shape: [...target.shape] };
    results.push(result);
    let gradient = reference(line.target);
    if (source.trim() !== '') {
      onStart?.(line.id);
      const run = runBox(line.id, source, scopeOf(batch, grads));
      if ('error' in run) {
        Object.assign(result, { status: 'error', error: run.error });
      } else {
        const row = cmp(line.target, run.value, target);
        const mark = cmpMark(row);
        const { exact, approximate, maxDiff } = row;
        Object.assign(result, { status: 'checked', mark, exact, approximate, maxDiff });
        if (!row.shapeOk) result.gotShape = [...run.value.shape];
        if (mark !== '✗') {
          gradient = run.value;
          passed.set(line.id, run.value);
        }
      }
    }
    grads.set(line.target, gradient);
  }
  return { results, passed };
}
