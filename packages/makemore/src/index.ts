export { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
export { exportCheckpoint } from './export/export-checkpoint.js';
export {
  compareDataFingerprint,
  type DataComparison,
  type DataFingerprint,
  dataFingerprint,
  type SplitFingerprint,
} from './fingerprint.js';
export {
  checkOutputDirectory,
  checkOutputFile,
  describeExistingCheckpoint,
  type ExistingCheckpoint,
  OutputDirectoryError,
} from './output-directory.js';
export * from './portable.js';
export { readSafetensors, writeSafetensors } from './safetensors-file.js';
