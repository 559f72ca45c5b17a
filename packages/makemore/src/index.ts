export {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type Checkpoint,
  loadCheckpoint,
  saveCheckpoint,
  WEIGHTS_FILE,
} from './checkpoint.js';
export * from './portable.js';
export { readSafetensors, writeSafetensors } from './safetensors-file.js';
