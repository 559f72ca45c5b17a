/**
 * The dispatcher: `run(argv, io)` finds the command in the table, parses its flags, runs it and
 * turns every failure into one line on stderr and an exit code (2 for usage errors, 1 for anything
 * unexpected). It never calls `process.exit`, so tests call it in-process.
 */
import packageJson from '../package.json';
import { type CommandSpec, formatCommandHelp, parseCommandArgs, wantsHelp } from './command.js';
import { bigramCommand } from './commands/bigram.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand, importCommand } from './commands/export-import.js';
import { generateCommand } from './commands/generate.js';
import { lrFindCommand } from './commands/lr-find.js';
import { graphCommand } from './commands/micrograd-graph.js';
import { moonsCommand } from './commands/micrograd-moons.js';
import { sampleCommand } from './commands/sample.js';
import { TOKENIZE_COMMANDS } from './commands/tokenize.js';
import { trainCommand } from './commands/train.js';
import { formatUsageError, UsageError } from './errors.js';
import type { CliIO } from './io.js';

/** A group of commands: `lmp micrograd …`. */
interface CommandGroup {
  name: string;
  summary: string;
  commands: CommandSpec[];
}

/** Every command `lmp` knows, by group. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    name: 'micrograd',
    summary: 'scalar autograd, its graph, and the moons demo',
    commands: [moonsCommand, graphCommand],
  },
  {
    name: 'tokenize',
    summary: 'byte-pair encoding: train a tokenizer, encode, decode, compare with GPT-2/GPT-4',
    commands: TOKENIZE_COMMANDS,
  },
];

/** The makemore commands, run without a group: `lmp bigram`, `lmp train`, `lmp sample`, `lmp generate`, `lmp eval`. */
export const TOP_LEVEL_COMMANDS: readonly CommandSpec[] = [
  bigramCommand,
  trainCommand,
  sampleCommand,
  generateCommand,
  evalCommand,
  lrFindCommand,
  exportCommand,
  importCommand,
];

/** The version printed by `lmp --version`. */
export const VERSION: string = packageJson.version;

/**
 * Runs `lmp` with `argv` (the arguments after `lmp`) and returns the exit code: 0 success,
 * 1 unexpected error, 2 usage error. Output goes to `io`.
 *
 * @example
 * const io = bufferIO();
 * await run(['micrograd', 'moons', '--steps', '-3'], io); // 2
 * io.err();
 * // "lmp: error: --steps must be a positive integer, got '-3' (see 'lmp micrograd moons --help')\n"
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${formatUsageError(error)}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`lmp: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(formatMainHelp());
    return 0;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`);
  const topLevel = TOP_LEVEL_COMMANDS.find((candidate) => candidate.name === first);
  if (topLevel !== undefined) {
    if (wantsHelp(rest)) {
      io.stdout.write(formatCommandHelp(topLevel));
      return 0;
    }
    return topLevel.run(parseCommandArgs(topLevel, rest), io);
  }
  const group = COMMAND_GROUPS.find((candidate) => candidate.name === first);
  if (group === undefined) throw new UsageError(`unknown command '${first}'`);

  const [second, ...args] = rest;
  if (second === undefined || second === '--help' || second === '-h' || second === 'help') {
    io.stdout.write(formatGroupHelp(group));
    return 0;
  }
  if (second.startsWith('-')) throw new UsageError(`unknown option '${second}'`, group.name);
  const command = group.commands.find((candidate) => candidate.name === `${group.name} ${second}`);
  if (command === undefined) {
    throw new UsageError(`unknown command '${group.name} ${second}'`, group.name);
  }
  if (wantsHelp(args)) {
    io.stdout.write(formatCommandHelp(command));
    return 0;
  }
  return command.run(parseCommandArgs(command, args), io);
}

/** `lmp --help`. */
export function formatMainHelp(): string {
  const models = TOP_LEVEL_COMMANDS.map(
    (command) => [`lmp ${command.name}`, command.summary] as const,
  );
  const rows = COMMAND_GROUPS.flatMap((group) =>
    group.commands.map((command) => [`lmp ${command.name}`, command.summary] as const),
  );
  const width = Math.max(...[...models, ...rows].map(([name]) => name.length)) + 3;
  const groupLines = COMMAND_GROUPS.flatMap((group) => [
    `${group.name}:`,
    ...group.commands.map(
      (command) => `  ${`lmp ${command.name}`.padEnd(width)}${command.summary}`,
    ),
    '',
  ]);
  return [
    `lmp ${VERSION}: language models from first principles, in the terminal`,
    '',
    'Usage: lmp <command> [options]',
    '       lmp <group> <command> [options]',
    '',
    'Language models (makemore; default data: the bundled English first names):',
    ...models.map(([name, summary]) => `  ${name.padEnd(width)}${summary}`),
    '',
    ...groupLines,
    'Options:',
    '  -h, --help      show help (also after any command: lmp micrograd moons --help)',
    '  -V, --version   print the version',
    '',
    'Examples:',
    '  lmp train && lmp sample --from lmp-out/mlp',
    '  lmp bigram -i names.txt --plot bigram.png',
    '  lmp micrograd moons --plot moons.png',
    '  lmp micrograd graph --preset neuron -o neuron.svg',
    '  lmp tokenize train -i book.txt --vocab-size 512 -o tok',
    '',
  ].join('\n');
}

/** `lmp micrograd --help`. */
export function formatGroupHelp(group: CommandGroup): string {
  const width = Math.max(...group.commands.map((command) => command.name.length)) + 7;
  return [
    `lmp ${group.name}: ${group.summary}`,
    '',
    `Usage: lmp ${group.name} <command> [options]`,
    '',
    'Commands:',
    ...group.commands.map(
      (command) => `  ${`lmp ${command.name}`.padEnd(width)}${command.summary}`,
    ),
    '',
    `Run 'lmp ${group.name} <command> --help' for a command's options.`,
    '',
    'Examples:',
    ...group.commands.map((command) => `  ${command.examples[0]}`),
    '',
  ].join('\n');
}
