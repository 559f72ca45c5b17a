import type { Value } from '@llm-playground/core';

/** A neuron's nonlinearity; `'linear'` means none (micrograd's `nonlin=False`). */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

/**
 * Every supported activation, e.g. to validate a command-line flag.
 *
 * @example
 * ```ts
 * console.log(ACTIVATIONS.join(', ')); // relu, tanh, sigmoid, linear
 * ```
 */
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid', 'linear'];

/**
 * `ReLU`, `Tanh`, `Sigmoid`, `Linear`: the prefix of a neuron's `toString()`.
 *
 * @example
 * ```ts
 * console.log(activationDisplayName.relu); // ReLU
 * ```
 */
export const activationDisplayName: Readonly<Record<Activation, string>> = {
  relu: 'ReLU',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  linear: 'Linear',
};

// Internal helpers (not re-exported from the package index).

export function checkActivation(op: string, name: string, activation: unknown): Activation {
  if (!ACTIVATIONS.includes(activation as Activation)) {
    throw new RangeError(
      `Argument '${name}' passed to '${op}' must be one of ${ACTIVATIONS.join(', ')}, got ${String(activation)}`,
    );
  }
  return activation as Activation;
}

export function activate(x: Value, activation: Activation): Value {
  switch (activation) {
    case 'relu':
      return x.relu();
    case 'tanh':
      return x.tanh();
    case 'sigmoid':
      return x.sigmoid();
    case 'linear':
      return x;
  }
}
