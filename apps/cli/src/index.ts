// The programmatic API of the `lmp` command line: the dispatcher, every command's function and
// option parser, and the renderers, so that other apps (the web playground) can reuse them.
export { COMMAND_GROUPS, formatGroupHelp, formatMainHelp, run, VERSION } from './cli.js';
export {
  type CommandSpec,
  formatCommandHelp,
  type NumberBounds,
  type OptionSpec,
  type OptionValues,
  parseCommandArgs,
  readNumber,
} from './command.js';
export {
  type DrawnGraph,
  drawExpression,
  GRAPH_PRESETS,
  type GraphCommandOptions,
  type GraphFormat,
  type GraphPreset,
  graphCommand,
  microgradGraph,
  parseGraphOptions,
  summarizeGraph,
} from './commands/micrograd-graph.js';
export {
  DEFAULT_MOONS_SEED,
  type MoonsCommandOptions,
  type MoonsOptions,
  type MoonsResult,
  type MoonsStep,
  microgradMoons,
  moonsCommand,
  moonsPlotSvg,
  parseMoonsOptions,
  trainMoons,
} from './commands/micrograd-moons.js';
export { formatUsageError, UsageError } from './errors.js';
export { buildExpression, ExpressionError, type ExpressionGraph } from './expr/parse.js';
export { bufferIO, type CliIO, type OutputStream } from './io.js';
export { dotToSvg } from './render/graphviz.js';
export {
  dejavuFontFiles,
  PNG_SIGNATURE,
  pngSize,
  type RenderPngOptions,
  renderPng,
} from './render/png.js';
export { formatDuration, ProgressBar, type ProgressBarOptions } from './render/progress.js';
export {
  type DecisionBoundaryPlot,
  decisionBoundarySvg,
  escapeXml,
  niceTicks,
  PLOT_COLORS,
} from './render/svg-plot.js';
