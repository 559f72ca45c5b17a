import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { buildBigramTable } from '../pages/bigram/bigram-table.js';
import { Heatmap } from './heatmap.js';

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

describe('Heatmap with the bigram counts', () => {
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
      <Heatmap
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
    const texts = [...host.querySelectorAll('.cell-pair text')].map((t) => t.textContent);
    expect(texts).toEqual(pairs);
    const shown = [...host.querySelectorAll('.cell-count text')].map((t) => Number(t.textContent));
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
      <Heatmap
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
        Number(host.querySelectorAll('.cell-count text')[i].textContent),
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
      <Heatmap
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
    // A click on a cell of row 2 ('e') selects the row and focuses its button.
    await userEvent.click(host.querySelector('rect[data-pair="e."]') as SVGRectElement);
    expect(document.activeElement).toBe(rows[2]);
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(rows[3]);
    await userEvent.keyboard('{Enter}');
    expect(selected.at(-1)).toBe(3);
    expect(selected).toContain(2);
    expect(rows[3].getAttribute('aria-label')).toBe("Row 'i': show what follows 'i'");
  });

  it('raster mode: one image, row 0 on top, tooltips from the scales', async () => {
    const itos = [...'.abcdefg'];
    const values = Float64Array.from({ length: 64 }, (_, i) => i);
    const shade = (value: number) => `rgb(${value * 4}, 0, ${255 - value * 4})`;
    render(
      <Heatmap
        mode="raster"
        itos={itos}
        values={values}
        color={shade}
        cellSize={20}
        title="raster"
        testId="raster"
        cellTitle={(r, c) => `${itos[r]}${itos[c]} = ${values[r * 8 + c]}`}
      />,
      host,
    );
    expect(host.querySelectorAll('rect[data-pair]')).toHaveLength(0);
    const image = host.querySelector('image') as SVGImageElement;
    // The image's pixel (column 5, row 3) is cell 3·8 + 5 = 29's colour.
    const pixels = new Image();
    pixels.src = image.getAttribute('href') ?? image.getAttribute('xlink:href') ?? '';
    await pixels.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 8;
    canvas.height = 8;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    context.drawImage(pixels, 0, 0);
    expect([...context.getImageData(5, 3, 1, 1).data]).toEqual([29 * 4, 0, 255 - 29 * 4, 255]);
    // Hovering the cell's centre names it (row 'c', column 'e').
    const figure = host.querySelector('[data-testid="raster"]') as HTMLElement;
    const svg = host.querySelector('svg') as SVGSVGElement;
    const box = svg.getBoundingClientRect();
    const k = box.width / svg.viewBox.baseVal.width;
    figure.dispatchEvent(
      new MouseEvent('mousemove', {
        clientX: box.left + (18 + 5.5 * 20) * k,
        clientY: box.top + (18 + 3.5 * 20) * k,
        bubbles: true,
      }),
    );
    expect(figure.title).toBe('ce = 29');
  });

  it('draws an R×V matrix with its own row labels (the backprop page’s dlogits)', async () => {
    const values = Float64Array.from({ length: 3 * 2 }, (_, i) => i);
    render(
      <Heatmap
        itos={['a', 'b']}
        rowLabels={['0', '1', '2']}
        values={values}
        color={(v) => `rgb(${v * 40}, 0, 0)`}
        cellSize={20}
        title="3 × 2"
        cellTitle={(r, c) => `${r}${c}`}
      />,
      host,
    );
    const rects = [...host.querySelectorAll('rect[data-pair]')];
    expect(rects.map((r) => r.getAttribute('data-pair'))).toEqual([
      '0a',
      '0b',
      '1a',
      '1b',
      '2a',
      '2b',
    ]);
    const svg = host.querySelector('svg') as SVGSVGElement;
    expect([svg.viewBox.baseVal.width, svg.viewBox.baseVal.height]).toEqual([
      18 + 2 * 20,
      18 + 3 * 20,
    ]);
    // Row 2 ('2') is the bottom row, 20 px tall, placed by the y scale.
    const last = rects[5] as SVGRectElement;
    expect(Number(last.getAttribute('y'))).toBeCloseTo(18 + 2 * 20, 5);
    expect(Number(last.getAttribute('height'))).toBeCloseTo(20, 5);
    const ticks = [...host.querySelectorAll('[aria-label="y-axis tick label"] text')];
    expect(ticks.map((t) => t.textContent)).toEqual(['0', '1', '2']);
  });
});
