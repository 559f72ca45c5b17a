/**
 * The command table's vocabulary: what a command declares (its options with defaults, examples),
 * how its arguments are parsed (`node:util` `parseArgs`, strict), how its help page is printed, and
 * the value checkers that turn a bad flag into one clear line instead of a NaN three functions later.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { type CliIO, resolvePath } from './io.js';
import { checkOutputFile } from './output-path.js';

/** One `--flag` of a command. */
export interface OptionSpec {
  /** Long name without dashes: `'samples'` for `--samples`. */
  name: string;
  type: 'string' | 'boolean';
  /** One-letter alias: `'q'` for `-q`. */
  short?: string;
  /** Other long names accepted for the same option (`['count']` for `--count`), shown in help. */
  aliases?: string[];
  /** Placeholder shown in help: `'N'` in `--samples N`. */
  valueName?: string;
  /** Default as shown in help (the command applies it; help only documents it). */
  defaultText?: string;
  description: string;
}

/**
 * A string option in one line: `valueOption('steps', 'N', 'SGD steps', '100')`.
 *
 * @example
 * valueOption('steps', 'N', 'SGD steps', '100'); // { name: 'steps', type: 'string', valueName: 'N', description: 'SGD steps', defaultText: '100' }
 */
export function valueOption(
  name: string,
  valueName: string,
  description: string,
  defaultText?: string,
): OptionSpec {
  return {
    name,
    type: 'string',
    valueName,
    description,
    ...(defaultText === undefined ? {} : { defaultText }),
  };
}

/** A boolean option in one line: `switchOption('force', 'replace it')`. */
export function switchOption(name: string, description: string): OptionSpec {
  return { name, type: 'boolean', description };
}

/** Options listed together in help under a heading (the flags of one model family). */
export interface OptionGroup {
  heading: string;
  options: OptionSpec[];
}

/** Parsed flag values: strings for string options, `true` for given booleans. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** A leaf of the command table: `lmp micrograd moons`. */
export interface CommandSpec {
  /** The words after `lmp`: `'micrograd moons'`. */
  name: string;
  /** One line for the parent's command list. */
  summary: string;
  /** A paragraph for the command's own help page. */
  description: string;
  options: OptionSpec[];
  /**
   * More options, shown in help under their own heading (the model families' flags). An option
   * in several groups is parsed once. A getter may compute them, so later registrations show.
   */
  optionGroups?: OptionGroup[];
  /** Full command lines, each shown under "Examples:". */
  examples: string[];
  /** Runs with parsed flags; returns the exit code. Throws `UsageError` for bad values. */
  run(values: OptionValues, io: CliIO): Promise<number>;
}

const HELP_OPTION: OptionSpec = {
  name: 'help',
  type: 'boolean',
  short: 'h',
  description: 'show this help and exit',
};

/** A negative number such as `-3` or `-0.5e-2`: allowed as the value of a string option. */
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses `args` against `spec.options` with `parseArgs` in strict mode (no positionals), turning its
 * errors into `UsageError`s that name the flag. `--steps -3` is read as the value `-3` (parseArgs
 * alone would call it ambiguous) so that the range check can say what is wrong with it.
 *
 * @example
 * parseCommandArgs(moonsCommand, ['--steps', '50', '--quiet']); // { steps: '50', quiet: true }
 */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): OptionValues {
  const all = allOptions(spec);
  // Each way of writing a string option (`--name`, an alias, `-s`) → its long form.
  const stringOptions = new Map<string, string>();
  for (const option of all.filter((option) => option.type === 'string')) {
    for (const name of [option.name, ...(option.aliases ?? [])]) {
      stringOptions.set(`--${name}`, `--${name}`);
    }
    if (option.short !== undefined) stringOptions.set(`-${option.short}`, `--${option.name}`);
  }
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = args[i + 1];
    const long = stringOptions.get(arg);
    if (long !== undefined && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`${long}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const option of [...all, HELP_OPTION]) {
    options[option.name] =
      option.short === undefined
        ? { type: option.type }
        : { type: option.type, short: option.short };
    for (const alias of option.aliases ?? []) options[alias] = { type: option.type };
  }
  let values: OptionValues;
  try {
    values = parseArgs({ args: joined, options, strict: true, allowPositionals: false })
      .values as OptionValues;
  } catch (error) {
    throw new UsageError(describeParseError(error, stringOptions), spec.name);
  }
  // An alias fills its option's name; given both ways, the two must agree.
  for (const option of all) {
    for (const alias of option.aliases ?? []) {
      const value = values[alias];
      if (value === undefined) continue;
      delete values[alias];
      const given = values[option.name];
      if (given !== undefined && given !== value) {
        throw new UsageError(
          `--${alias} is another name for --${option.name}: give one of them, got ${given} and ${value}`,
          spec.name,
        );
      }
      values[option.name] = value;
    }
  }
  return values;
}

/** The command's options and those of its groups, each name once (the first spec wins). */
function allOptions(spec: CommandSpec): OptionSpec[] {
  const seen = new Map<string, OptionSpec>();
  for (const option of [...spec.options, ...(spec.optionGroups ?? []).flatMap((g) => g.options)]) {
    if (!seen.has(option.name)) seen.set(option.name, option);
  }
  return [...seen.values()];
}

/**
 * parseArgs' messages are long and mention internals; say the same thing in one short clause.
 * `longForms` maps each way of writing a string option to its long form, for the hint on a value
 * that starts with '-' (`--prompt -x` is read as two options; `--prompt=-x` is one value).
 */
function describeParseError(error: unknown, longForms: ReadonlyMap<string, string>): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  // parseArgs quotes '--steps <value>' or '-q, --quiet': keep the long flag alone.
  const flag = /--?[\w-]+(?=[^,]*$)/.exec(quoted.replace(/ <value>$/, ''))?.[0] ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${flag}'`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${flag}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(message)) return `option '${flag}' takes no value`;
      if (/argument is ambiguous/.test(message)) {
        return `option '${flag}' needs a value; to give one that starts with '-', write ${longForms.get(flag) ?? flag}=-…`;
      }
      return `option '${flag}' needs a value`;
    default:
      return message.split('\n')[0];
  }
}

/** Whether the raw argument list asks for help (before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * The help page of a command: usage, description, options with defaults, examples.
 *
 * @example
 * formatCommandHelp(moonsCommand).startsWith('Usage: lmp micrograd moons [options]'); // true
 */
export function formatCommandHelp(spec: CommandSpec): string {
  const row = (option: OptionSpec) => {
    const short = option.short === undefined ? '    ' : `-${option.short}, `;
    const value = option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : '';
    const defaultText = option.defaultText === undefined ? '' : ` (default: ${option.defaultText})`;
    const aliases =
      option.aliases === undefined || option.aliases.length === 0
        ? ''
        : ` (also ${option.aliases.map((alias) => `--${alias}`).join(', ')})`;
    return [
      `${short}--${option.name}${value}`,
      `${option.description}${defaultText}${aliases}`,
    ] as const;
  };
  const rows = [...spec.options, HELP_OPTION].map(row);
  const groups = (spec.optionGroups ?? []).map((group) => ({
    heading: group.heading,
    rows: group.options.map(row),
  }));
  const width =
    Math.max(...[...rows, ...groups.flatMap((g) => g.rows)].map(([left]) => left.length)) + 2;
  const lines = (list: (readonly [string, string])[]) =>
    list.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
  return [
    `Usage: lmp ${spec.name} [options]`,
    '',
    wrap(spec.description, 100),
    '',
    'Options:',
    ...lines(rows),
    ...groups.flatMap((group) => [
      '',
      `Options of ${group.heading}:`,
      ...(group.rows.length === 0 ? ['  (none)'] : lines(group.rows)),
    ]),
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
    '',
  ].join('\n');
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

// ---- value checkers: each names the flag and quotes what it got ---------------------------------

/**
 * Reads a string flag as given (`undefined` when absent).
 *
 * @example
 * readString({ input: 'names.txt' }, 'input'); // 'names.txt'
 */
export function readString(values: OptionValues, name: string): string | undefined {
  const raw = values[name];
  return raw === undefined ? undefined : String(raw);
}

/**
 * Resolves the file named by `--<name>` for writing: absolute against `io.cwd`, checked to be
 * writable now (`checkOutputFile`: its folder exists, it is not a folder, a file can be created
 * there), else a `UsageError` naming the flag (`undefined` when the flag is absent).
 *
 * @example
 * readOutputPath('out/plot.svg', 'plot', io, 'bigram'); // '/home/me/out/plot.svg'
 * // or throws UsageError: --plot out/plot.svg: the folder 'out' does not exist; create it first (mkdir -p out)
 */
export function readOutputPath(
  path: string | undefined,
  name: string,
  io: CliIO,
  command: string,
): string | undefined {
  if (path === undefined) return undefined;
  const absolute = resolvePath(io, path);
  checkOutputFile(absolute, name, io.cwd ?? process.cwd(), command);
  return absolute;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Bounds for `readNumber`; `exclusiveMin` makes `min` itself invalid. */
export interface NumberBounds {
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  integer?: boolean;
}

/**
 * Reads a numeric flag: `undefined` → `fallback`; anything not a finite decimal number, or out of
 * `bounds`, → `UsageError` naming the flag and the value.
 *
 * @example
 * readNumber({ noise: '0.2' }, 'noise', 0.1, { min: 0 }, 'micrograd moons'); // 0.2
 * readNumber({ noise: 'abc' }, 'noise', 0.1, { min: 0 }, 'micrograd moons');
 * // throws UsageError: --noise must be a number >= 0, got 'abc'
 */
export function readNumber(
  values: OptionValues,
  name: string,
  fallback: number,
  bounds: NumberBounds,
  command: string,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const value = Number(text);
  const ok =
    DECIMAL.test(text) &&
    Number.isFinite(value) &&
    (!bounds.integer || Number.isInteger(value)) &&
    (bounds.min === undefined ||
      (bounds.exclusiveMin ? value > bounds.min : value >= bounds.min)) &&
    (bounds.max === undefined || value <= bounds.max);
  if (!ok) {
    throw new UsageError(`--${name} must be ${describeBounds(bounds)}, got '${raw}'`, command);
  }
  return value;
}

function describeBounds(bounds: NumberBounds): string {
  const kind = bounds.integer ? 'an integer' : 'a number';
  if (bounds.integer && bounds.min === 1 && bounds.max === undefined) return 'a positive integer';
  if (bounds.integer && bounds.min === 0 && bounds.max === undefined) {
    return 'a non-negative integer';
  }
  const parts: string[] = [];
  if (bounds.min !== undefined) parts.push(`${bounds.exclusiveMin ? '>' : '>='} ${bounds.min}`);
  if (bounds.max !== undefined) parts.push(`<= ${bounds.max}`);
  return parts.length === 0 ? kind : `${kind} ${parts.join(' and ')}`;
}
