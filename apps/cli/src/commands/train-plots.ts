/**
 * The pictures of `lmp train --plot`: the loss curve with the dev points (or, for a fitted model,
 * its count matrix) and, for a model with an embedding table `C`, its first two dimensions.
 */
import type { WordList } from '@llm-playground/data';
import type { LanguageModel, PreparedRun } from '@llm-playground/makemore';
import { bigramHeatmapSvg } from '../render/bigram-heatmap.js';
import { embeddingScatterSvg } from '../render/embedding-scatter.js';
import { lossCurveSvg } from '../render/loss-curve.js';
import { formatCount, siblingPlotPath } from './makemore-common.js';
import { writePlot } from './plot-file.js';
import { describeSchedule } from './schedule-text.js';

/** The pictures of `--plot`: the loss curve (or a fitted model's count matrix) and the embedding. */
export function writePlots(input: {
  model: LanguageModel;
  run: PreparedRun;
  list: WordList;
  plot: string;
  plotPath: string;
  losses: number[];
  devPoints: { step: number; loss: number }[];
  finalText: string;
  out: (line: string) => void;
}): void {
  const { model, run, list, plot, plotPath, losses, out } = input;
  const { tokenizer, settings } = run;
  const counts = model.namedBuffers().find(([name]) => name === 'counts')?.[1];
  if (model.namedParameters().length === 0 && counts !== undefined) {
    // Fitted, not trained: no loss curve; the picture of a count model is its count matrix.
    const svg = bigramHeatmapSvg({
      counts: counts.data,
      itos: tokenizer.itos,
      title: 'Bigram counts of the training split',
      subtitle: `${list.summary} · ${input.finalText}`,
    });
    out(`wrote ${plot} (${writePlot(plotPath, svg)})`);
    return;
  }
  if (losses.length === 0) {
    out(`no --plot: no training steps were run`);
    return;
  }
  const kind = String(model.config.kind);
  const svg = lossCurveSvg({
    losses,
    firstStep: run.startStep,
    dev: input.devPoints,
    title: `${kind} on ${list.source.startsWith('bundled') ? 'the bundled names' : list.source}`,
    subtitle: `${describeSchedule(settings.optimizer.lr, settings.schedule)} · batch ${Number.isFinite(settings.batchSize) ? settings.batchSize : 'all'} · ${input.finalText}`,
  });
  out(`wrote ${plot} (${writePlot(plotPath, svg)})`);
  const embedding = model.namedParameters().find(([name]) => name === 'C')?.[1];
  if (embedding === undefined || embedding.shape[1] < 2) return;
  const C = embedding.data;
  const width = embedding.shape[1];
  const steps = run.startStep + losses.length;
  const points = tokenizer.itos.map((_, i) => [C[i * width], C[i * width + 1]] as [number, number]);
  const embeddingSvg = embeddingScatterSvg({
    points,
    labels: tokenizer.itos,
    title: 'Character embeddings C',
    subtitle:
      width === 2
        ? `n-embd 2 · after ${formatCount(steps)} steps`
        : `first 2 of ${width} dimensions · after ${formatCount(steps)} steps`,
  });
  const second = siblingPlotPath(plot, 'embedding');
  out(`wrote ${second} (${writePlot(siblingPlotPath(plotPath, 'embedding'), embeddingSvg)})`);
}
