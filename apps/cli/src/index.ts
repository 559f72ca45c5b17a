// The programmatic API of the `lmp` command line: the dispatcher, every command's function and
// option parser, and the renderers, so that other apps (the web playground) can reuse them.

// The `--expr` language lives in core (the web lab reads it too); re-exported for existing callers.
export { buildExpression, ExpressionError, type ExpressionGraph } from '@llm-playground/core';
export {
  COMMAND_GROUPS,
  formatGroupHelp,
  formatMainHelp,
  run,
  TOP_LEVEL_COMMANDS,
  VERSION,
} from './cli.js';
export {
  type CommandSpec,
  formatCommandHelp,
  type NumberBounds,
  type OptionGroup,
  type OptionSpec,
  type OptionValues,
  parseCommandArgs,
  readNumber,
  readOutputPath,
  readString,
  switchOption,
  valueOption,
} from './command.js';
export {
  BACKEND_OPTION,
  BACKEND_OPTIONS,
  type BackendOptions,
  defaultThreads,
  describeBackend,
  MAX_THREADS,
  NO_FMA_OPTION,
  readBackend,
  readBackendOptions,
  THREADS_OPTION,
  useBackend,
  withBackend,
} from './commands/backend-flag.js';
export {
  type BigramCommandOptions,
  bigramCommand,
  parseBigramOptions,
  runBigram,
} from './commands/bigram.js';
export {
  type EvalCommandOptions,
  evalCommand,
  parseEvalOptions,
  runEval,
} from './commands/eval.js';
export { exportCommand, importCommand, runExport, runImport } from './commands/export-import.js';
export {
  collectFamilyFlags,
  DEFAULT_FAMILY,
  familyConfigFromFlags,
  familyOptionGroups,
  fieldOption,
} from './commands/family-flags.js';
export {
  GENERATE_SEED,
  type GenerateCommandOptions,
  generateCommand,
  parseGenerateOptions,
  runGenerate,
} from './commands/generate.js';
export {
  describeLearningRate,
  type LearningRateSchedule,
  parseLearningRate,
} from './commands/learning-rate.js';
export {
  FROM_OPTION,
  formatCount,
  formatSamples,
  INPUT_LIMIT_OPTIONS,
  INPUT_OPTION,
  type InputLimits,
  LECTURE_SEED,
  loadInput,
  openCheckpoint,
  readFrom,
  readInputLimits,
  siblingPlotPath,
} from './commands/makemore-common.js';
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
export { checkPlotName, checkPlotPath, writePlot } from './commands/plot-file.js';
export {
  parseSampleOptions,
  runSample,
  type SampleCommandOptions,
  sampleCommand,
} from './commands/sample.js';
export {
  describeSchedule,
  type LearningRateFlag,
  learningRateFlag,
  scheduleText,
} from './commands/schedule-text.js';
export {
  DEFAULT_MLP_STEPS,
  describeModel,
  parseTrainOptions,
  runTrain,
  SAMPLE_SEED,
  SPLIT_SEED,
  type TrainCommandOptions,
  trainCommand,
} from './commands/train.js';
export { formatUsageError, UsageError } from './errors.js';
export { bufferIO, type CliIO, type OutputStream, resolvePath } from './io.js';
export {
  type BigramHeatmap,
  bigramHeatmapSvg,
  formatCellCount,
  visibleChar,
} from './render/bigram-heatmap.js';
export {
  DECISION_COLORS,
  type DecisionBoundaryPlot,
  decisionBoundarySvg,
  scoreGrid,
} from './render/decision-boundary.js';
export {
  type DiagnosticsFigure,
  diagnosticsSvg,
  MAX_RATIO_POINTS,
  SERIES_COLORS,
} from './render/diagnostics-figure.js';
export {
  EMBEDDING_DOT,
  type EmbeddingScatterPlot,
  embeddingScatterSvg,
} from './render/embedding-scatter.js';
export { dotToSvg } from './render/graphviz.js';
export {
  defaultSmoothWindow,
  formatSteps,
  LOSS_COLORS,
  type LossCurvePlot,
  lossCurveSvg,
  windowMeans,
} from './render/loss-curve.js';
export {
  escapeXml,
  type Figure,
  FONT_FAMILY,
  INK,
  type LegendItem,
  plotSvg,
} from './render/plot.js';
export {
  dejavuFontFiles,
  PNG_SIGNATURE,
  pngSize,
  type RenderPngOptions,
  renderPng,
} from './render/png.js';
export { formatDuration, ProgressBar, type ProgressBarOptions } from './render/progress.js';
