// Internal: not exported from the package.

/** Shared argument checks for `sampleBatch` and `BatchSampler`. */
export function checkSizes(op: string, datasetSize: number, batchSize: number): void {
  if (!Number.isInteger(datasetSize) || datasetSize < 1) {
    throw new RangeError(
      `Argument 'datasetSize' passed to '${op}' must be a positive integer, got ${datasetSize}`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Argument 'batchSize' passed to '${op}' must be a positive integer, got ${batchSize}`,
    );
  }
}
