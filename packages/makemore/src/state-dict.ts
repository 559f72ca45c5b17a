/** Shared helpers for the models' `stateDict`/`loadStateDict`. */
import { noGrad, type Tensor } from '@llm-playground/tensor';

/**
 * Copies `state` into `own` (same keys, same shapes), worded like PyTorch's `load_state_dict`
 * error so that searches find the same answers.
 */
export function loadInto(
  modelName: string,
  own: Record<string, Tensor>,
  state: Record<string, Tensor>,
): void {
  const problems: string[] = [];
  const missing = Object.keys(own).filter((k) => !(k in state));
  const unexpected = Object.keys(state).filter((k) => !(k in own));
  if (missing.length > 0) {
    problems.push(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}.`);
  }
  if (unexpected.length > 0) {
    problems.push(
      `Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}.`,
    );
  }
  for (const [key, target] of Object.entries(own)) {
    const source = state[key];
    if (source === undefined) continue;
    const same =
      source.shape.length === target.shape.length &&
      source.shape.every((d, i) => d === target.shape[i]);
    if (!same) {
      problems.push(
        `size mismatch for ${key}: copying a param with shape [${source.shape.join(', ')}] from checkpoint, the shape in current model is [${target.shape.join(', ')}].`,
      );
    }
  }
  if (problems.length > 0) {
    throw new RangeError(
      `Error(s) in loading state_dict for ${modelName}:\n\t${problems.join('\n\t')}`,
    );
  }
  noGrad(() => {
    for (const [key, target] of Object.entries(own)) target.copy_(state[key]);
  });
}

/** Detached views of the named tensors (they share storage, as PyTorch's `state_dict()` does). */
export function detachedState(named: [string, Tensor][]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of named) out[name] = t.detach();
  return out;
}
