/**
 * The grid, tick labels and frame of a small SVG function plot (the nudge plot, the activation
 * plots): one horizontal line per y tick and one vertical line per x tick, the zero lines darker.
 * Drawn inside a `<g>` already translated to the plot's inner box.
 */
export interface PlotGridProps {
  xTicks: readonly number[];
  yTicks: readonly number[];
  sx: (x: number) => number;
  sy: (y: number) => number;
  width: number;
  height: number;
}

export function PlotGrid({ xTicks, yTicks, sx, sy, width, height }: PlotGridProps) {
  return (
    <>
      {yTicks.map((v) => (
        <g key={`y${v}`} class="tick-y">
          <line x1={0} x2={width} y1={sy(v)} y2={sy(v)} stroke={v === 0 ? '#999' : '#eee'} />
          <text x={-6} y={sy(v) + 4} text-anchor="end">
            {v}
          </text>
        </g>
      ))}
      {xTicks.map((u) => (
        <g key={`x${u}`} class="tick-x">
          <line x1={sx(u)} x2={sx(u)} y1={0} y2={height} stroke={u === 0 ? '#999' : '#eee'} />
          <text x={sx(u)} y={height + 14} text-anchor="middle">
            {u}
          </text>
        </g>
      ))}
      <rect width={width} height={height} fill="none" stroke="#999" />
    </>
  );
}
