/**
 * `lmp train --diagnostics FILE.png|.svg`: makemore's `Diagnostics` watches the run (a snapshot
 * every `--eval-every` steps and on the last step, the update:data ratio on every step); at the end
 * the lecture's printed lines go to stdout and its four pictures to FILE
 * (`render/diagnostics-figure.ts`).
 */
import {
  Diagnostics,
  formatActivation,
  formatGradient,
  formatWeightGradient,
  type LanguageModel,
} from '@llm-playground/makemore';
import { diagnosticsSvg } from '../render/diagnostics-figure.js';
import { formatCount } from './makemore-common.js';
import { writePlot } from './plot-file.js';

/** How many of the last update:data ratios the printed mean covers. */
const RECENT_RATIOS = 1000;

/** The collector of a run: a snapshot every `every` steps (and on the last step). */
export function createRunDiagnostics(model: LanguageModel, every: number): Diagnostics {
  return new Diagnostics(model, { every });
}

/**
 * The lecture's printed diagnostics: the watched layers (or why there are none), their gradients,
 * the weights' gradients, and each parameter's mean log10 update:data ratio over the last steps.
 */
export function diagnosticsLines(diagnostics: Diagnostics): string[] {
  const snapshot = diagnostics.latest;
  if (snapshot === null) return ['diagnostics: no step was watched (the run trained no steps)'];
  const indent = (line: string) => `  ${line}`;
  const lines = [`diagnostics at step ${formatCount(snapshot.step)}:`];
  lines.push('activation distribution:');
  if (diagnostics.missingLayers !== null) lines.push(indent(diagnostics.missingLayers));
  else {
    lines.push(...snapshot.activations.map((a) => indent(formatActivation(a))));
    lines.push(
      'gradient distribution:',
      ...snapshot.gradients.map((g) => indent(formatGradient(g))),
    );
  }
  lines.push(
    'weights gradient distribution:',
    ...snapshot.weights.map((w) => indent(formatWeightGradient(w))),
  );
  const ratios = diagnostics.updateRatios;
  const recent = Math.min(RECENT_RATIOS, ratios.steps.length);
  lines.push(
    `update:data ratio, log10, mean of the last ${formatCount(recent)} steps (the lecture's guide: about -3):`,
  );
  ratios.names.forEach((name, i) => {
    const tail = ratios.values[i].slice(-recent).filter(Number.isFinite);
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    lines.push(indent(`${name}: ${Number.isFinite(mean) ? mean.toFixed(2) : '–'}`));
  });
  return lines;
}

/** Prints the diagnostics and writes the four pictures to `path` (`shown`: the path as typed). */
export function writeDiagnostics(input: {
  diagnostics: Diagnostics;
  path: string;
  shown: string;
  title: string;
  subtitle: string;
  out: (line: string) => void;
}): void {
  const { diagnostics, out } = input;
  for (const line of diagnosticsLines(diagnostics)) out(line);
  const svg = diagnosticsSvg({
    snapshot: diagnostics.latest,
    updateRatios: diagnostics.updateRatios,
    missingLayers: diagnostics.missingLayers,
    title: input.title,
    subtitle: input.subtitle,
  });
  out(`wrote ${input.shown} (${writePlot(input.path, svg, 'diagnostics')})`);
}
