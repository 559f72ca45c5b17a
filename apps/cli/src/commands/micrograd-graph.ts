/**
 * `lmp micrograd graph`: micrograd's `draw_dot` as a command. Builds an expression (a preset from
 * the lecture or `--expr` in the small language of `@llm-playground/core`'s `buildExpression`),
 * runs forward and backward, and draws the graph with each node's label, data and grad: DOT text
 * from core's `toDot`, laid out as SVG by Graphviz (wasm), rasterised to PNG by resvg.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  buildExpression,
  ExpressionError,
  type ExpressionGraph,
  toDot,
} from '@llm-playground/core';
import {
  type CommandSpec,
  type OptionValues,
  readNumber,
  readOutputPath,
  readString,
} from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { dotToSvg, GraphTooLargeError } from '../render/graphviz.js';
import { renderPng } from '../render/png.js';

const COMMAND = 'micrograd graph';

/**
 * The preset expressions, written in `--expr`'s own language.
 * - `chain`: lecture 1's first graph, L = (a·b + c)·f.
 * - `neuron`: lecture 1's neuron, o = tanh(x1·w1 + x2·w2 + b), with b chosen so that n = 0.8814
 *   and o = 1/√2 ≈ 0.7071.
 * - `readme`: the full "more ops" example of micrograd's README (g = 24.7041, dg/da = 138.8338,
 *   dg/db = 645.5773). Python's `c += …` rebinds `c`; here each new binding gets its own name
 *   (c2, c3, d2, d3, g1) so every node in the drawing has a distinct label.
 */
export const GRAPH_PRESETS = {
  chain: 'a = 2; b = -3; c = 10; e = a*b; d = e + c; f = -2; L = d*f',
  neuron:
    'x1 = 2; x2 = 0; w1 = -3; w2 = 1; b = 6.8813735870195432; ' +
    'x1w1 = x1*w1; x2w2 = x2*w2; x1w1x2w2 = x1w1 + x2w2; n = x1w1x2w2 + b; o = tanh(n)',
  readme:
    'a = -4; b = 2; c = a + b; d = a*b + b**3; ' +
    'c2 = c + (c + 1); c3 = c2 + (1 + c2 + (-a)); ' +
    'd2 = d + (d*2 + relu(b + a)); d3 = d2 + (3*d2 + relu(b - a)); ' +
    'e = c3 - d3; f = e**2; g1 = f / 2; g = g1 + 10 / f',
} as const;

/** A preset's name. */
export type GraphPreset = keyof typeof GRAPH_PRESETS;

/** Output formats of the graph command. */
export type GraphFormat = 'dot' | 'svg' | 'png';

/** Options of `lmp micrograd graph`. */
export interface GraphCommandOptions {
  /** Expression source (`--expr`); wins over `preset`. */
  expr?: string;
  /** A preset (default `'chain'` when no `expr`). */
  preset?: GraphPreset;
  /** Output format (default: from `output`'s extension, else `'dot'`). */
  format?: GraphFormat;
  /** File to write; stdout when absent (dot and svg only). */
  output?: string;
  /** Graph direction (default `'LR'`, as micrograd's draw_dot). */
  rankdir?: 'LR' | 'TB';
  /** Digits after the point for data and grad (default 4). */
  precision?: number;
  /** No text summary. */
  quiet?: boolean;
}

/** What `drawExpression` returns. */
export interface DrawnGraph {
  graph: ExpressionGraph;
  format: GraphFormat;
  /** DOT text, SVG text, or PNG bytes. */
  content: string | Buffer;
}

/**
 * Builds the expression, runs backward from its root, and renders it in `format`.
 *
 * @example
 * const { content, graph } = await drawExpression({ preset: 'neuron', format: 'svg' });
 * graph.root.data.toFixed(4); // '0.7071'
 */
export async function drawExpression(
  options: Omit<GraphCommandOptions, 'format'> & { format: GraphFormat },
): Promise<DrawnGraph> {
  const source = options.expr ?? GRAPH_PRESETS[options.preset ?? 'chain'];
  const graph = buildExpression(source);
  graph.root.backward();
  const dot = toDot(graph.root, {
    rankdir: options.rankdir ?? 'LR',
    precision: options.precision ?? 4,
  });
  if (options.format === 'dot') return { graph, format: 'dot', content: dot };
  let svg: string;
  try {
    svg = await dotToSvg(dot);
  } catch (error) {
    if (!(error instanceof GraphTooLargeError)) throw error;
    throw new UsageError(
      `${error.message}: ${graph.root.label || 'the expression'} has ${countNodes(dot).toLocaleString('en-US')} nodes, too many to draw here; ` +
        'write the DOT text with --format dot and lay it out with Graphviz (dot -Tsvg), or draw a smaller expression',
      COMMAND,
    );
  }
  if (options.format === 'svg') return { graph, format: 'svg', content: svg };
  // Graphviz sizes the boxes with Helvetica's metrics; with no Helvetica among the bundled fonts,
  // DejaVu Sans condensed (close to Helvetica's widths) keeps every label inside its box.
  const pngSvg = svg.replaceAll(
    'font-family="Helvetica,sans-Serif"',
    'font-family="Helvetica,sans-Serif" font-stretch="condensed"',
  );
  return { graph, format: 'png', content: renderPng(pngSvg) };
}

/**
 * A short text summary: the root's value and every named leaf's data and grad.
 *
 * @example
 * summarizeGraph(buildExpression('a = 2; b = -3; L = a*b'), 4) // after L.backward():
 * // L = -6.0000
 * //   leaf      data      grad
 * //   a       2.0000   -3.0000
 * //   b      -3.0000    2.0000
 */
export function summarizeGraph(graph: ExpressionGraph, precision = 4): string {
  const width = Math.max(4, ...graph.leaves.map((leaf) => leaf.name.length));
  const number = (x: number) => x.toFixed(precision).padStart(10);
  const lines = [
    `${graph.rootName} = ${graph.root.data.toFixed(precision)}`,
    `  ${'leaf'.padEnd(width)}${'data'.padStart(10)}${'grad'.padStart(10)}`,
    ...graph.leaves.map(
      (leaf) => `  ${leaf.name.padEnd(width)}${number(leaf.value.data)}${number(leaf.value.grad)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Reads the command's flags into `GraphCommandOptions`, with a `UsageError` for any bad value.
 *
 * @example
 * parseGraphOptions({ preset: 'neuron', output: 'neuron.svg' });
 * // { preset: 'neuron', output: 'neuron.svg', format: 'svg', ... }
 */
export function parseGraphOptions(values: OptionValues): GraphCommandOptions {
  const preset = readString(values, 'preset');
  const expr = readString(values, 'expr');
  if (preset !== undefined && expr !== undefined) {
    throw new UsageError('give either --preset or --expr, not both', COMMAND);
  }
  if (preset !== undefined && !(preset in GRAPH_PRESETS)) {
    const names = Object.keys(GRAPH_PRESETS).join(', ');
    throw new UsageError(`--preset must be one of ${names}, got '${preset}'`, COMMAND);
  }
  const output = readString(values, 'output');
  let format = values.format === undefined ? undefined : String(values.format).toLowerCase();
  if (format !== undefined && !['dot', 'svg', 'png'].includes(format)) {
    throw new UsageError(`--format must be one of dot, svg, png, got '${values.format}'`, COMMAND);
  }
  if (format === undefined && output !== undefined) {
    const extension = extname(output).toLowerCase();
    format = { '.dot': 'dot', '.gv': 'dot', '.svg': 'svg', '.png': 'png' }[extension];
    if (format === undefined) {
      throw new UsageError(
        `cannot tell the format of '${output}': use a .dot, .gv, .svg or .png name, or --format`,
        COMMAND,
      );
    }
  }
  if (format === 'png' && output === undefined) {
    throw new UsageError(
      '--format png needs --output FILE.png (PNG is not written to stdout)',
      COMMAND,
    );
  }
  const rankdir = values.rankdir === undefined ? 'LR' : String(values.rankdir).toUpperCase();
  if (rankdir !== 'LR' && rankdir !== 'TB') {
    throw new UsageError(`--rankdir must be LR or TB, got '${values.rankdir}'`, COMMAND);
  }
  return {
    expr,
    preset: expr === undefined ? ((preset ?? 'chain') as GraphPreset) : undefined,
    format: (format ?? 'dot') as GraphFormat,
    output,
    rankdir,
    precision: readNumber(values, 'precision', 4, { integer: true, min: 0, max: 12 }, COMMAND),
    quiet: values.quiet === true,
  };
}

/**
 * Runs `lmp micrograd graph` with already-parsed options, writing to `io`; returns the exit code.
 *
 * @example
 * await microgradGraph({ preset: 'neuron', format: 'png', output: 'neuron.png' }, io);
 */
export async function microgradGraph(options: GraphCommandOptions, io: CliIO): Promise<number> {
  const outputPath = readOutputPath(options.output, 'output', io, COMMAND);
  let drawn: DrawnGraph;
  try {
    drawn = await drawExpression({ ...options, format: options.format ?? 'dot' });
  } catch (error) {
    if (error instanceof ExpressionError) {
      throw new UsageError(
        `${options.expr === undefined ? 'preset' : '--expr'}: ${error.message}`,
        COMMAND,
      );
    }
    throw error;
  }
  const summary = summarizeGraph(drawn.graph, options.precision ?? 4);
  if (outputPath === undefined) {
    io.stdout.write(String(drawn.content));
    if (!options.quiet) io.stderr.write(summary);
  } else {
    writeFileSync(outputPath, drawn.content);
    if (!options.quiet) io.stdout.write(`${summary}wrote ${options.output} (${drawn.format})\n`);
  }
  return 0;
}

/** The command-table entry for `lmp micrograd graph`. */
export const graphCommand: CommandSpec = {
  name: COMMAND,
  summary: 'draw the graph of an expression with data and grads (draw_dot)',
  description:
    "micrograd's draw_dot: builds an expression, runs backward from its last statement, and draws " +
    'every Value with its label, data and grad. Presets: chain (L = (a*b + c)*f), neuron ' +
    "(o = tanh(x1*w1 + x2*w2 + b)), readme (micrograd README's full example, g = 24.7041). " +
    '--expr takes statements `name = expression` separated by ; or new lines, with numbers, ' +
    'names, + - * / ** (constant exponent), unary minus, parentheses and exp log tanh relu sigmoid. ' +
    'Without --output the DOT (or SVG) goes to stdout and the summary to stderr.',
  options: [
    {
      name: 'preset',
      type: 'string',
      valueName: 'NAME',
      defaultText: 'chain',
      description: 'chain, neuron or readme',
    },
    {
      name: 'expr',
      type: 'string',
      valueName: 'SOURCE',
      description: "statements such as 'a = 2; b = -3; L = a*b + b**2'",
    },
    {
      name: 'format',
      type: 'string',
      valueName: 'FMT',
      defaultText: "from --output's extension, else dot",
      description: 'dot, svg or png',
    },
    {
      name: 'output',
      type: 'string',
      short: 'o',
      valueName: 'FILE',
      defaultText: 'stdout',
      description: 'file to write',
    },
    {
      name: 'rankdir',
      type: 'string',
      valueName: 'DIR',
      defaultText: 'LR',
      description: 'LR (left to right) or TB (top to bottom)',
    },
    {
      name: 'precision',
      type: 'string',
      valueName: 'N',
      defaultText: '4',
      description: 'digits after the point for data and grad',
    },
    { name: 'quiet', type: 'boolean', short: 'q', description: 'no text summary' },
  ],
  examples: [
    'lmp micrograd graph --preset neuron -o neuron.png',
    "lmp micrograd graph --expr 'a = 2; b = -3; L = a*b + b**2' -o graph.svg",
    'lmp micrograd graph --preset chain | dot -Tpng > chain.png',
    'lmp micrograd graph --preset readme --rankdir TB -o readme.png',
  ],
  run: (values, io) => microgradGraph(parseGraphOptions(values), io),
};

/** The node statements of a DOT graph written by `toDot` (lines like `  n12 [label=…]`). */
function countNodes(dot: string): number {
  return dot.split('\n').filter((line) => /^\s*(?!node\b|edge\b|graph\b)\w+ \[/.test(line)).length;
}
