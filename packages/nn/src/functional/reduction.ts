import { ConfigError } from '../errors.js';

/** How a loss combines per-element values: their mean (default), their sum, or none (one per element). */
export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction(reduction: unknown, op: string): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ConfigError(`${op}: ${String(reduction)} is not a valid value for reduction`);
  }
  return reduction;
}
