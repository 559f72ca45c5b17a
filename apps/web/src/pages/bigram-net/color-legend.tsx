/**
 * The colour legend shared by the W and log-count heatmaps: a bar from −domain to +domain in the
 * heatmaps' own colours, with its numbers (row-centred values: log-probabilities up to a
 * constant per row), and what the two ends mean.
 */

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

/** A CSS `linear-gradient` through `color` at `stops` evenly spaced values from −domain to +domain. */
export function legendGradient(
  domain: number,
  color: (value: number) => string,
  stops = 11,
): string {
  const parts: string[] = [];
  for (let i = 0; i < stops; i++) {
    const t = i / (stops - 1);
    parts.push(`${color(-domain + 2 * domain * t)} ${(t * 100).toFixed(1)}%`);
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}

export function ColorLegend(props: { domain: number; color: (value: number) => string }) {
  const { domain, color } = props;
  const ticks = legendTicks(domain);
  return (
    <figure
      style={{ margin: '0.6rem 0 0', maxWidth: '360px' }}
      data-testid="heatmap-legend"
      aria-label={`Colour scale of both heatmaps: from ${-domain} (red, unlikely) through 0 (white) to ${domain} (blue, likely)`}
    >
      <div
        style={{
          height: '14px',
          border: '1px solid var(--line)',
          background: legendGradient(domain, color),
        }}
      />
      <div style={{ position: 'relative', height: '1.2rem' }} class="mono" aria-hidden="true">
        {ticks.map((tick) => (
          <span
            key={tick}
            data-tick={tick}
            style={{
              position: 'absolute',
              left: `${((tick + domain) / (2 * domain)) * 100}%`,
              transform:
                tick === -domain
                  ? 'none'
                  : tick === domain
                    ? 'translateX(-100%)'
                    : 'translateX(-50%)',
              fontSize: '0.75rem',
            }}
          >
            {tick < 0 ? `−${-tick}` : tick}
          </span>
        ))}
      </div>
      <figcaption class="muted" style={{ fontSize: '0.8rem' }}>
        ← less likely than the row's average · value − row mean (log scale) · more likely →
      </figcaption>
    </figure>
  );
}
