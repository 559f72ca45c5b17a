import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { buildBigramTable } from './bigram-table.js';
import { MatrixHeatmap } from './matrix-heatmap.js';

// A small word list whose bigrams are easy to count by hand (with the boundary '.'):
// .emma. → .e em mm ma a.   .olivia. → .o ol li iv vi ia a.   .ava. → .a av va a.
const words = ['emma', 'olivia', 'ava'];
const handCounts: Record<string, number> = {
  '.e': 1,
  em: 1,
  mm: 1,
  ma: 1,
  'a.': 3,
  '.o': 1,
  ol: 1,
  li: 1,
  iv: 1,
  vi: 1,
  ia: 1,
  '.a': 1,
  av: 1,
  va: 1,
};

const host = document.createElement('div');
document.body.append(host);

describe('MatrixHeatmap with the bigram counts', () => {
  afterEach(() => render(null, host));
  const table = buildBigramTable(words);
  const counts = Float64Array.from(table.cells, (c) => c.count);
  const color = (value: number) => `rgb(0, 0, ${Math.round((255 * value) / table.maxCount)})`;
  const labels = (r: number, c: number): [string, string] => {
    const cell = table.cells[r * table.V + c];
    return [cell.pair, String(cell.count)];
  };

  it('draws one cell per pair of the vocabulary with its pair and count', () => {
    render(
      <MatrixHeatmap
        V={table.V}
        itos={table.itos}
        values={counts}
        color={color}
        labels={labels}
        cellSize={30}
        title="counts"
      />,
      host,
    );
    expect(table.itos.join('')).toBe('.aeilmov');
    const V = 8;
    const rects = [...host.querySelectorAll('rect[data-pair]')];
    expect(rects).toHaveLength(V * V);
    const pairs = rects.map((r) => r.getAttribute('data-pair'));
    expect(new Set(pairs).size).toBe(V * V);
    const texts = [...host.querySelectorAll('text.cell-pair')].map((t) => t.textContent);
    expect(texts).toEqual(pairs);
    const shown = [...host.querySelectorAll('text.cell-count')].map((t) => Number(t.textContent));
    expect(shown).toHaveLength(V * V);
    for (let i = 0; i < V * V; i++) {
      expect(shown[i], pairs[i] ?? '').toBe(handCounts[pairs[i] ?? ''] ?? 0);
    }
    expect(shown.reduce((a, b) => a + b, 0)).toBe(16);
    // Laid out as a V×V grid in the browser: 'a.' is row 'a' (1), column '.' (0), 30 px cells.
    const svg = host.querySelector('svg') as SVGSVGElement;
    const origin = svg.getBoundingClientRect();
    const cell = (pair: string) =>
      (host.querySelector(`rect[data-pair="${pair}"]`) as SVGRectElement).getBoundingClientRect();
    expect(cell('a.').width).toBeCloseTo(30);
    expect(cell('a.').top - cell('..').top).toBeCloseTo(30);
    expect(cell('.a').left - cell('..').left).toBeCloseTo(30);
    expect(cell('vv').right - origin.left).toBeCloseTo(origin.width);
    // The fill follows the count: 'a.' is the darkest blue.
    expect(rects[pairs.indexOf('a.')].getAttribute('fill')).toBe('rgb(0, 0, 255)');
  });

  it("the lecture's 27×27 table for a–z and '.': 729 cells, every count shown", () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz';
    const all = buildBigramTable([alphabet, [...alphabet].reverse().join(''), 'anna']);
    const allCounts = Float64Array.from(all.cells, (c) => c.count);
    render(
      <MatrixHeatmap
        V={all.V}
        itos={all.itos}
        values={allCounts}
        color={() => '#fff'}
        labels={(r, c) => [all.cells[r * all.V + c].pair, String(all.cells[r * all.V + c].count)]}
        cellSize={20}
        title="counts"
      />,
      host,
    );
    expect(host.querySelectorAll('rect[data-pair]')).toHaveLength(729);
    const shown = new Map(
      [...host.querySelectorAll('rect[data-pair]')].map((rect, i) => [
        rect.getAttribute('data-pair'),
        Number(host.querySelectorAll('text.cell-count')[i].textContent),
      ]),
    );
    expect(shown.size).toBe(729);
    // Hand counts: .abc…z. gives .a ab … yz z.; .zyx…a. gives .z zy … ba a.; .anna. gives .a an nn na a.
    expect(shown.get('.a')).toBe(2);
    expect(shown.get('a.')).toBe(2);
    expect(shown.get('ab')).toBe(1);
    expect(shown.get('ba')).toBe(1);
    expect(shown.get('nn')).toBe(1);
    expect(shown.get('an')).toBe(1);
    expect(shown.get('aa')).toBe(0);
    expect([...shown.values()].reduce((a, b) => a + b, 0)).toBe(27 + 27 + 5);
  });

  it('rows are keyboard operable: click, Enter and the arrow keys select rows', async () => {
    const selected: number[] = [];
    render(
      <MatrixHeatmap
        V={table.V}
        itos={table.itos}
        values={counts}
        color={color}
        cellSize={30}
        title="counts"
        onSelectRow={(row) => selected.push(row)}
      />,
      host,
    );
    const rows = host.querySelectorAll<SVGGElement>('g.heatmap-row');
    expect(rows).toHaveLength(8);
    await userEvent.click(rows[2]);
    expect(document.activeElement).toBe(rows[2]);
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(rows[3]);
    await userEvent.keyboard('{Enter}');
    expect(selected.at(-1)).toBe(3);
    expect(selected).toContain(2);
    expect(rows[3].getAttribute('aria-label')).toBe("Row 'i': show what follows 'i'");
  });
});
