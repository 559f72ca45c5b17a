/**
 * The GPT and RNN pages' look inside, in the worker (where the model lives): makemore's
 * introspection (attention of every head of every layer, the residual stream's norm per layer,
 * the top-k next characters; an RNN's hidden state over time) and its browser checkpoints (the
 * CLI's `checkpoint.json` + `model.safetensors`), as plain data for the page.
 */
import type { CharTokenizer } from '@llm-playground/data';
import {
  type AttentionInspection,
  type Checkpoint,
  CheckpointError,
  type CheckpointFiles,
  checkpointFromFiles,
  checkpointToFiles,
  expectFamily,
  type HiddenStateInspection,
  hiddenStates,
  inspectAttention,
  type LanguageModel,
  type ModelTokenizer,
  type PreparedRun,
  type Trainer,
} from '@llm-playground/makemore';

export type Inspection = AttentionInspection;
export type HiddenStates = HiddenStateInspection;

/** Attention, residual norms and top-k for `prompt` (gpt and transformer models). */
export function inspectModel(
  model: LanguageModel,
  tokenizer: ModelTokenizer,
  prompt: string,
  options: { topK?: unknown },
): Inspection {
  return inspectAttention(model, tokenizer, prompt, { topK: Number(options.topK ?? 5) });
}

/**
 * An RNN's or GRU's hidden state after each character of a name: the name is read after the
 * boundary `.`, as in training (makemore.py's x = [0, w…]).
 */
export function hiddenOf(
  model: LanguageModel,
  tokenizer: CharTokenizer,
  name: string,
): HiddenStates {
  const boundary = tokenizer.itos[0];
  return hiddenStates(model, tokenizer, name.startsWith(boundary) ? name : boundary + name);
}

/**
 * The CLI's checkpoint of the run now (`checkpoint.json` and a self-sufficient
 * `model.safetensors`, byte for byte what `lmp train` writes), with the trainer's state so that
 * `lmp train --resume` continues it.
 */
export function checkpointFiles(run: PreparedRun, trainer: Trainer): CheckpointFiles {
  return checkpointToFiles({
    config: run.model.config,
    tokenizer: run.tokenizer,
    model: run.model,
    step: trainer.step,
    trainerState: trainer.state(),
  });
}

/** The page that opens a family's checkpoints, for the mismatch message. */
function openerOf(family: string): string {
  return family === 'gpt' ? 'the GPT page' : `the RNN page with model ${family}`;
}

/**
 * A checkpoint from the files the learner chose: `model.safetensors` alone (it carries its
 * checkpoint.json) or with `checkpoint.json` (older checkpoints), checked as `loadCheckpoint`
 * checks a folder, and of `family` (else "this checkpoint is a wavenet model; the GPT page opens
 * gpt checkpoints").
 */
export function openCheckpoint(
  files: Partial<Record<string, string | Uint8Array>>,
  family: string,
): Checkpoint {
  const weights = files['model.safetensors'];
  const json = files['checkpoint.json'];
  if (!(weights instanceof Uint8Array)) {
    throw new CheckpointError(
      'choose the model.safetensors file of a checkpoint (with its checkpoint.json if it was saved before December 2026)',
    );
  }
  const checkpoint = checkpointFromFiles(
    json === undefined ? weights : { 'model.safetensors': weights, 'checkpoint.json': json },
  );
  return expectFamily(checkpoint, [family], openerOf(family));
}
