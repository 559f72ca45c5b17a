/**
 * The colour legend shared by the W and log-count heatmaps: Observable Plot's ramp from −domain
 * to +domain in the heatmaps' own colours, with its numbers (row-centred values:
 * log-probabilities up to a constant per row), and what the two ends mean.
 */
import * as Plot from '@observablehq/plot';
import { type PlotElement, PlotFigure } from '../../viz/plot-figure.js';

/**
 * Tick values of a symmetric legend from −domain to +domain: whole numbers, at most about
 * `maxTicks` of them (the step grows 1, 2, 5, 10, …), always with 0 and both ends.
 *
 * @example
 * ```ts
 * legendTicks(3); // [-3, -2, -1, 0, 1, 2, 3]
 * legendTicks(8); // [-8, -6, -4, -2, 0, 2, 4, 6, 8]
 * ```
 */
export function legendTicks(domain: number, maxTicks = 9): number[] {
  if (!(domain > 0) || !Number.isFinite(domain)) {
    throw new RangeError(`legendTicks: domain must be a positive finite number, got ${domain}`);
  }
  const steps = [1, 2, 5];
  let step = 0;
  for (let power = 1; step === 0; power *= 10) {
    for (const s of steps) {
      if (2 * Math.floor(domain / (s * power)) + 1 <= maxTicks) {
        step = s * power;
        break;
      }
    }
  }
  const ticks: number[] = [];
  for (let v = -Math.floor(domain / step) * step; v <= domain; v += step) ticks.push(v);
  if (ticks[0] !== -domain) ticks.unshift(-domain);
  if (ticks[ticks.length - 1] !== domain) ticks.push(domain);
  return ticks;
}

/**
 * The colour scale of both heatmaps and their legend: red (unlikely) through white to blue
 * (likely), symmetric around 0, clamped at ±domain.
 */
export function heatmapColors(domain: number): Plot.ScaleOptions {
  return { type: 'linear', scheme: 'rdbu', domain: [-domain, domain], clamp: true };
}

/** The legend: Observable Plot's colour ramp of `heatmapColors(domain)` with `legendTicks`. */
export function ColorLegend(props: { domain: number }) {
  const { domain } = props;
  const ticks = legendTicks(domain);
  return (
    <div style={{ margin: '0.6rem 0 0', maxWidth: '360px' }} data-testid="heatmap-legend">
      <PlotFigure
        title={`Colour scale of both heatmaps: from ${-domain} (red, unlikely) through 0 (white) to ${domain} (blue, likely)`}
        deps={[domain]}
        render={() =>
          Plot.legend({
            color: heatmapColors(domain),
            width: 360,
            ticks,
            tickFormat: (tick: number) => (tick < 0 ? `−${-tick}` : String(tick)),
            label: null,
          }) as PlotElement
        }
        onRender={(legend) =>
          legend.querySelectorAll('g.tick text').forEach((text, i) => {
            if (i < ticks.length) text.setAttribute('data-tick', String(ticks[i]));
          })
        }
      />
      <p class="muted" style={{ fontSize: '0.8rem', margin: 0 }}>
        ← less likely than the row's average · value − row mean (log scale) · more likely →
      </p>
    </div>
  );
}
