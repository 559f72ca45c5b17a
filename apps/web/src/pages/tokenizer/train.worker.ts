/**
 * The tokenizer page's worker: trains a BPE on `{ type: 'train', … }` (see `train-run.ts`), so a
 * 1.2 MB book trains without freezing the page. One request at a time; the page starts a new
 * worker to stop a run.
 */
import { type TrainMessage, type TrainRequest, trainBpe } from './train-run.js';

const post = (message: TrainMessage) => (self as unknown as Worker).postMessage(message);

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  void trainBpe(event.data, post, async () => {
    const { bundledBook } = await import('@llm-playground/data');
    return bundledBook();
  });
};
