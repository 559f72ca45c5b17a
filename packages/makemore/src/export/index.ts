/** Export to PyTorch (issue 14): the browser-safe export and the Node folder writer. */
export { exportCheckpoint } from './export-checkpoint.js';
export {
  EXPORTABLE_FAMILIES,
  type ExportInput,
  exportToPyTorch,
  type PyTorchExport,
  toPyTorchName,
} from './export-pytorch.js';
