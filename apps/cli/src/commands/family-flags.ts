/**
 * The model flags of `lmp train` and `lmp lr-find`, made from the model families' config schemas:
 * every schema field is a flag (`flagOf(field)`: `nHidden` → `--n-hidden`) with its type, default,
 * range and help, listed in `--help` under a heading per family. A family registered with
 * makemore's `registerFamily` gets its flags here without any change to the CLI — nothing in this
 * file (or any command) names a family.
 */
import {
  ConfigError,
  type ConfigField,
  type ConfigSchema,
  flagOf,
  listFamilies,
  type ModelFamily,
  parseConfig,
} from '@llm-playground/makemore';
import type { OptionGroup, OptionSpec, OptionValues } from '../command.js';
import { UsageError } from '../errors.js';

/** The default family of `lmp train` and `lmp lr-find` when neither `--model` nor a checkpoint says. */
export const DEFAULT_FAMILY = 'mlp';

/** `'int in [1, 100000]'`-style range text for help. */
function rangeText(field: ConfigField): string {
  if (field.type === 'enum') return (field.choices ?? []).join('|');
  if (field.min === undefined && field.max === undefined) return '';
  const low = field.min === undefined ? '' : `${field.min}`;
  const high = field.max === undefined ? '' : `${field.max}`;
  return `${low}..${high}`;
}

/** The `--flag` of one schema field. */
export function fieldOption(field: ConfigField): OptionSpec {
  const range = rangeText(field);
  const placeholder = field.type === 'int' ? 'N' : field.type === 'float' ? 'X' : 'VALUE';
  return {
    name: flagOf(field),
    type: field.type === 'boolean' ? 'boolean' : 'string',
    valueName: field.type === 'enum' ? (field.choices ?? []).join('|') : placeholder,
    defaultText: String(field.default),
    description: `${field.help}${range === '' || field.type === 'enum' ? '' : ` (${field.type} ${range})`}`,
  };
}

/**
 * One help group per registered family: its heading (`mlp — MLP (Bengio et al. 2003)`) and the
 * flags of its schema. Computed on each call, so a family registered later is listed.
 */
export function familyOptionGroups(
  families: readonly ModelFamily[] = listFamilies(),
): OptionGroup[] {
  return families.map((family) => ({
    heading: `--model ${family.name} — ${family.title}${family.trainable ? '' : ' (fitted, not trained)'}`,
    options: family.schema.flatMap((field) => {
      const option = fieldOption(field);
      return isOnByDefault(field) ? [option, negatedOption(field)] : [option];
    }),
  }));
}

/** A boolean field that defaults to true: a switch alone cannot turn it off, `--no-<flag>` does. */
function isOnByDefault(field: ConfigField): boolean {
  return field.type === 'boolean' && field.default === true;
}

/** `--no-batch-norm` for the boolean field `batchNorm` (default true). */
function negatedOption(field: ConfigField): OptionSpec {
  return {
    name: `no-${flagOf(field)}`,
    type: 'boolean',
    description: `turn --${flagOf(field)} off`,
  };
}

/** The names of the registered families, for `--model` (`bigram, bigram-net, mlp`). */
export function familyNames(): string[] {
  return listFamilies().map((family) => family.name);
}

/**
 * Checks `--model NAME` against the registry: `UsageError` listing the known names otherwise.
 *
 * @example
 * readFamilyName('gpt', 'train'); // throws UsageError: --model must be one of bigram, bigram-net, mlp, got 'gpt'
 */
export function readFamilyName(name: string | undefined, command: string): string | undefined {
  if (name !== undefined && !familyNames().includes(name)) {
    throw new UsageError(
      `--model must be one of ${familyNames().join(', ')}, got '${name}'`,
      command,
    );
  }
  return name;
}

/**
 * The model flags given on the command line, by flag name (`{ 'n-hidden': '300' }`): the value of
 * every option that is a schema field of some family. Which family they belong to is decided
 * later (`--model`, or the checkpoint of `--resume`).
 */
export function collectFamilyFlags(values: OptionValues): Record<string, string | boolean> {
  const flags: Record<string, string | boolean> = {};
  for (const family of listFamilies()) {
    for (const field of family.schema) {
      const value = values[flagOf(field)];
      if (value !== undefined) flags[flagOf(field)] = value;
      if (isOnByDefault(field) && values[`no-${flagOf(field)}`] === true)
        flags[flagOf(field)] = false;
    }
  }
  return flags;
}

/**
 * The raw config of `family` from the model flags given (`{ nHidden: '300' }`), validated against
 * its schema (strict). A flag of another family, or a bad value, is a `UsageError` naming the flag:
 * `--block-size is not a setting of the bigram model (its settings: --smoothing)`.
 */
export function familyConfigFromFlags(
  family: ModelFamily,
  flags: Readonly<Record<string, string | boolean>>,
  command: string,
): Record<string, string | boolean> {
  const byFlag = new Map(family.schema.map((field) => [flagOf(field), field]));
  const raw: Record<string, string | boolean> = {};
  for (const [flag, value] of Object.entries(flags)) {
    const field = byFlag.get(flag);
    if (field === undefined) {
      const own = family.schema.map((f) => `--${flagOf(f)}`).join(', ');
      throw new UsageError(
        `--${flag} is not a setting of the ${family.name} model (${own === '' ? 'it has none' : `its settings: ${own}`})`,
        command,
      );
    }
    raw[field.name] = value;
  }
  checkFieldValues(family.schema, raw, family.name, command);
  return raw;
}

/** `parseConfig` in strict mode, its `ConfigError` turned into a `UsageError` naming the flag. */
function checkFieldValues(
  schema: ConfigSchema,
  raw: Record<string, string | boolean>,
  name: string,
  command: string,
): void {
  try {
    parseConfig(schema, raw, { source: `${name} model` });
  } catch (error) {
    if (error instanceof ConfigError) {
      // "mlp model: nHidden (--n-hidden) must be …" → "--n-hidden must be … (mlp model)"
      const match = /^(.*?): \w+ \((--[\w-]+)\) (.*)$/.exec(error.message);
      throw new UsageError(match ? `${match[2]} ${match[3]}` : error.message, command);
    }
    throw error;
  }
}
