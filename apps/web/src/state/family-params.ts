/**
 * A model family's config schema (makemore's `ConfigField`s) as page parameters: the URL keys are
 * the CLI flags (`#/mlp?n-hidden=300` is `lmp train --n-hidden 300`), the ranges are the schema's,
 * and the values a page trains with go through `familyConfig(…, { mode: 'clamp', onAdjust })`, so
 * a link with a value out of range is clamped and the page can say so. A new family needs no new
 * code here or in the controls (`ui/schema-controls.tsx`).
 */
import {
  type ConfigField,
  type ConfigSchema,
  type ConfigValue,
  familyConfig,
  flagOf,
  getFamilyInfo,
  type ModelConfig,
} from '@llm-playground/makemore/schemas';
import type { ParamSpec } from './url-state.js';

/** Longest string a `string` field accepts from a URL. */
const MAX_STRING = 200;

/** The URL parameter of one field: its flag, its type and range. */
export function paramSpecOf(field: ConfigField): ParamSpec {
  switch (field.type) {
    case 'int':
    case 'float':
      return {
        type: 'number',
        default: field.default as number,
        min: field.min ?? -Number.MAX_VALUE,
        max: field.max ?? Number.MAX_VALUE,
        integer: field.type === 'int',
        log: field.scale === 'log',
      };
    case 'enum':
      return { type: 'enum', default: field.default as string, values: field.choices ?? [] };
    case 'boolean':
      return { type: 'boolean', default: field.default as boolean };
    case 'string':
      return { type: 'string', default: field.default as string, maxLength: MAX_STRING };
  }
}

/**
 * The URL parameters of a schema, keyed by flag.
 *
 * @example
 * ```ts
 * familyParamSpecs(getFamilyInfo('mlp').schema)['n-hidden'];
 * // { type: 'number', default: 200, min: 1, max: 100000, integer: true, log: true }
 * ```
 */
export function familyParamSpecs(schema: ConfigSchema): Record<string, ParamSpec> {
  return Object.fromEntries(schema.map((field) => [flagOf(field), paramSpecOf(field)]));
}

/** Page values keyed by flag → raw config values keyed by field name (missing ones left out). */
export function byFieldName(
  schema: ConfigSchema,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of schema) {
    const value = values[flagOf(field)];
    if (value !== undefined && value !== null) out[field.name] = value;
  }
  return out;
}

/** A value a link asked for and the value used instead. */
export interface Adjustment {
  flag: string;
  given: string;
  used: ConfigValue;
  /** One line for the page: "n-hidden=1e9 is out of range (1 to 100000): using 100000". */
  message: string;
}

function rangeOf(field: ConfigField): string {
  if (field.type === 'enum') return `one of ${(field.choices ?? []).join(', ')}`;
  if (field.type === 'boolean') return 'true or false';
  const parts = [
    field.min !== undefined ? String(field.min) : '',
    field.max !== undefined ? String(field.max) : '',
  ];
  const kind = field.type === 'int' ? 'a whole number' : 'a number';
  return parts[0] && parts[1] ? `${kind} from ${parts[0]} to ${parts[1]}` : kind;
}

/**
 * The family's config for a page: `familyConfig` in clamp mode over `raw` (keyed by flag: the
 * URL's strings or the page's values), and what it had to change.
 *
 * @example
 * ```ts
 * const { config, adjustments } = pageConfig('mlp', { 'n-hidden': '1e9' }, 28);
 * config.nHidden; // 100000
 * adjustments[0].message; // 'n-hidden=1e9 must be a whole number from 1 to 100000: using 100000'
 * ```
 */
export function pageConfig(
  family: string,
  raw: Readonly<Record<string, unknown>>,
  vocabSize: number,
): { config: ModelConfig; adjustments: Adjustment[] } {
  const { schema, constrain } = getFamilyInfo(family);
  const adjustments: Adjustment[] = [];
  const rule: { field: ConfigField; given: number }[] = [];
  const config = familyConfig(family, byFieldName(schema, raw), {
    vocabSize,
    mode: 'clamp',
    source: `${family} settings`,
    onAdjust: (field, given, used) => {
      const flag = flagOf(field);
      const value = Number(given);
      // In range, yet changed: a rule across settings (n_embd a multiple of n_head) moved it.
      if (inRange(field, value)) rule.push({ field, given: value });
      adjustments.push({
        flag,
        given: String(given),
        used,
        message: `${flag}=${String(given)} must be ${rangeOf(field)}: using ${String(used)}`,
      });
    },
  });
  for (const { field, given } of rule) {
    const problem = constrain?.({ ...config, [field.name]: given });
    const adjustment = adjustments.find((a) => a.flag === flagOf(field));
    if (problem && adjustment) {
      adjustment.message = `${adjustment.flag}=${adjustment.given}: ${problem.message}: using ${String(adjustment.used)}`;
    }
  }
  return { config, adjustments };
}

/** Whether `value` is a valid number for `field` (its type and range). */
function inRange(field: ConfigField, value: number): boolean {
  if (field.type !== 'int' && field.type !== 'float') return false;
  if (!Number.isFinite(value) || (field.type === 'int' && !Number.isInteger(value))) return false;
  return value >= (field.min ?? -Infinity) && value <= (field.max ?? Infinity);
}

/** The raw strings of a schema's flags in URL parameters (for `pageConfig`'s notes). */
export function rawFlags(schema: ConfigSchema, params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of schema) {
    const value = params.get(flagOf(field));
    if (value !== null) out[flagOf(field)] = value;
  }
  return out;
}

/**
 * The values of an older link under today's keys (`moved` maps an old key to its new one), or
 * null when it has none; a key already present under its new name is left alone.
 *
 * @example
 * ```ts
 * movedParams(new URLSearchParams('emb=2&lr=0.05'), { emb: 'n-embd' }); // { 'n-embd': '2' }
 * ```
 */
export function movedParams(
  params: URLSearchParams,
  moved: Readonly<Record<string, string>>,
): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [old, key] of Object.entries(moved)) {
    const value = params.get(old);
    if (value !== null && !params.has(key)) out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : null;
}
