/**
 * The backprop page's worker: builds the lecture's fixed batch once, then checks the learner's
 * boxes on each `{ type: 'check', sources }` (see `check-client.ts` for the protocol). Learner
 * code runs here only, so an endless loop freezes this worker, which the page terminates.
 */
import type { BatchInfo, CheckerMessage, Matrix } from './check-client.js';
import { checkBoxes, type FixedBatch, fixedBatch } from './evaluator.js';

const post = (message: CheckerMessage, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

let batch: FixedBatch | null = null;
try {
  batch = fixedBatch();
  const { params, steps } = batch;
  const shapes: BatchInfo['shapes'] = {};
  for (const [name, t] of [...Object.entries(steps), ...Object.entries(params)])
    shapes[name] = [...t.shape];
  post({ type: 'ready', info: { loss: steps.loss.item(), itos: [...batch.itos], shapes } });
} catch (error) {
  post({ type: 'failed', message: `could not build the batch: ${(error as Error).message}` });
}

self.onmessage = (event: MessageEvent<{ type: 'check'; sources: Record<string, string> }>) => {
  if (!batch) return post({ type: 'failed', message: 'the batch could not be built' });
  const { results, passed } = checkBoxes(batch, event.data.sources, (id) =>
    post({ type: 'running', id }),
  );
  // The picture shows exercise 2's dlogits when it passed, else exercise 1's.
  const dlogits = passed.get('ex2-logits') ?? passed.get('logits');
  let matrix: Matrix | null = null;
  if (dlogits) {
    const [rows, cols] = dlogits.shape;
    matrix = { rows, cols, values: Float32Array.from(dlogits.contiguous().data) };
  }
  post({ type: 'results', results, dlogits: matrix }, matrix ? [matrix.values.buffer] : []);
};
