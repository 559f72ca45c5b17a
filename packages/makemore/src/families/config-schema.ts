/**
 * A model family's settings as data: one `ConfigField` per setting (name, type, default, range,
 * help). From the schema come the CLI's flags and `--help` (`flag`, `help`), the web page's
 * controls and URL parameters (`scale`, `min`, `max`, `choices`), and the validation of a
 * checkpoint's config on load — all through `parseConfig`.
 */
import { ConfigError } from '../errors.js';

export type ConfigFieldType = 'int' | 'float' | 'boolean' | 'enum' | 'string';
export type ConfigValue = number | boolean | string;

/** One setting of a family. */
export interface ConfigField {
  /** The key in the model config (camelCase: `nHidden`). */
  name: string;
  type: ConfigFieldType;
  default: ConfigValue;
  /** Smallest allowed value (int, float). */
  min?: number;
  /** Largest allowed value (int, float). */
  max?: number;
  /** The allowed values (enum). */
  choices?: readonly string[];
  /** One line for `--help` and the web control's tooltip. */
  help: string;
  /** The CLI flag without dashes (kebab-case: `n-hidden`); default: `name` in kebab-case. */
  flag?: string;
  /** How a web slider moves over [min, max] (default linear). */
  scale?: 'log' | 'linear';
}

export type ConfigSchema = readonly ConfigField[];
export type ConfigValues = Record<string, ConfigValue>;

export interface ParseConfigOptions {
  /**
   * `strict` (CLI flags, checkpoint configs): any bad or unknown value throws a `ConfigError`
   * naming the field, the value and the allowed range. `clamp` (web URL parameters): values
   * out of range are clamped, unreadable ones replaced by the default, unknown keys ignored.
   */
  mode?: 'strict' | 'clamp';
  /** Names the source in messages (`'mlp config'`, `'checkpoint.json'`); default `'config'`. */
  source?: string;
  /** Clamp mode: called for each value that was changed, so a page can say so. */
  onAdjust?: (field: ConfigField, given: unknown, used: ConfigValue) => void;
}

/** `nHidden` → `n-hidden`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The CLI flag of a field (`--n-hidden` without the dashes). */
export function flagOf(field: ConfigField): string {
  return field.flag ?? kebabCase(field.name);
}

function rangeText(field: ConfigField): string {
  if (field.type === 'enum')
    return `one of ${(field.choices ?? []).map((c) => `'${c}'`).join(', ')}`;
  if (field.type === 'boolean') return 'true or false';
  if (field.type === 'string') return 'a string';
  const kind = field.type === 'int' ? 'an integer' : 'a number';
  const min = field.min ?? Number.NEGATIVE_INFINITY;
  const max = field.max ?? Number.POSITIVE_INFINITY;
  if (Number.isFinite(min) && Number.isFinite(max)) return `${kind} in [${min}, ${max}]`;
  if (Number.isFinite(min)) return `${kind} ≥ ${min}`;
  if (Number.isFinite(max)) return `${kind} ≤ ${max}`;
  return kind;
}

/** Reads one raw value (a string from a flag or URL, or a JSON value); undefined when unreadable. */
function read(field: ConfigField, raw: unknown): ConfigValue | undefined {
  switch (field.type) {
    case 'int':
    case 'float': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : Number.NaN;
      if (!Number.isFinite(n)) return undefined;
      if (field.type === 'int' && !Number.isInteger(n)) return undefined;
      return n;
    }
    case 'boolean':
      if (raw === true || raw === 'true' || raw === '1') return true;
      if (raw === false || raw === 'false' || raw === '0') return false;
      return undefined;
    case 'enum':
      return typeof raw === 'string' && (field.choices ?? []).includes(raw) ? raw : undefined;
    case 'string':
      return typeof raw === 'string' ? raw : undefined;
  }
}

/**
 * Checks that a schema is well formed (the registry calls it when a family is registered).
 *
 * @example
 * ```ts
 * checkSchema([{ name: 'n', type: 'int', default: 0, min: 1, help: 'n' }], 'demo'); // throws ConfigError
 * ```
 */
export function checkSchema(schema: ConfigSchema, owner: string): void {
  const seen = new Set<string>();
  for (const field of schema) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(field.name ?? '')) {
      throw new ConfigError(`${owner}: field name must be camelCase, got '${field.name}'`);
    }
    if (seen.has(field.name))
      throw new ConfigError(`${owner}: field '${field.name}' is defined twice`);
    seen.add(field.name);
    if (field.type === 'enum' && !(field.choices && field.choices.length > 0)) {
      throw new ConfigError(`${owner}: enum field '${field.name}' needs choices`);
    }
    const value = read(field, field.default);
    if (value === undefined || !inRange(field, value)) {
      throw new ConfigError(
        `${owner}: the default of '${field.name}' must be ${rangeText(field)}, got ${JSON.stringify(field.default)}`,
      );
    }
  }
}

function inRange(field: ConfigField, value: ConfigValue): boolean {
  if (typeof value !== 'number') return true;
  return (
    value >= (field.min ?? Number.NEGATIVE_INFINITY) &&
    value <= (field.max ?? Number.POSITIVE_INFINITY)
  );
}

/** Every field at its default. */
export function defaultConfig(schema: ConfigSchema): ConfigValues {
  return Object.fromEntries(schema.map((field) => [field.name, field.default]));
}

/**
 * Validates (`strict`) or clamps (`clamp`) `raw` against `schema` and returns every field's value
 * (defaults for the missing ones). Raw values may be strings (flags, URL parameters) or JSON values.
 *
 * @example
 * ```ts
 * const schema: ConfigSchema = [
 *   { name: 'nHidden', type: 'int', default: 200, min: 1, max: 10_000, help: 'hidden units', scale: 'log' },
 * ];
 * parseConfig(schema, { nHidden: '300' }); // { nHidden: 300 }
 * parseConfig(schema, { nHidden: 1e9 }, { mode: 'clamp' }); // { nHidden: 10000 }
 * // strict: "config: nHidden (--n-hidden) must be an integer in [1, 10000], got 1000000000"
 * parseConfig(schema, { nHidden: 1e9 }); // throws ConfigError
 * ```
 */
export function parseConfig(
  schema: ConfigSchema,
  raw: Readonly<Record<string, unknown>>,
  options: ParseConfigOptions = {},
): ConfigValues {
  const mode = options.mode ?? 'strict';
  const source = options.source ?? 'config';
  if (raw === null || typeof raw !== 'object') {
    throw new ConfigError(`${source} must be an object of settings, got ${JSON.stringify(raw)}`);
  }
  const known = new Set(schema.map((f) => f.name));
  if (mode === 'strict') {
    const unknown = Object.keys(raw).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      throw new ConfigError(
        `${source}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; known: ${[...known].join(', ') || '(none)'}`,
      );
    }
  }
  const out: ConfigValues = {};
  for (const field of schema) {
    const given = raw[field.name];
    if (given === undefined) {
      out[field.name] = field.default;
      continue;
    }
    let value = read(field, given);
    if (value === undefined && mode === 'clamp' && field.type === 'int') {
      const n = typeof given === 'string' ? Number(given) : (given as number);
      if (typeof n === 'number' && Number.isFinite(n)) value = Math.round(n);
    }
    if (value === undefined || !inRange(field, value)) {
      if (mode === 'strict') {
        throw new ConfigError(
          `${source}: ${field.name} (--${flagOf(field)}) must be ${rangeText(field)}, got ${typeof given === 'string' ? `'${given}'` : JSON.stringify(given)}`,
        );
      }
      const used =
        value === undefined
          ? field.default
          : Math.min(
              field.max ?? Number.POSITIVE_INFINITY,
              Math.max(field.min ?? Number.NEGATIVE_INFINITY, value as number),
            );
      options.onAdjust?.(field, given, used);
      out[field.name] = used;
      continue;
    }
    out[field.name] = value;
  }
  return out;
}
