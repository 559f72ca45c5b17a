import { render } from 'preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { FunctionPlot } from './function-plot.js';

const host = document.createElement('div');
document.body.append(host);

/** A tanh plot whose handle is the state `n` (what the neuron and layer pages do). */
function Demo(props: { start: number; seen: number[]; onSelect?: (index: number) => void }) {
  const [n, setN] = useState(props.start);
  return (
    <FunctionPlot
      title="tanh"
      width={360}
      height={240}
      x={{ domain: [-4, 4], label: 'n' }}
      y={{ domain: [-1.25, 1.25] }}
      curves={[{ fn: Math.tanh, stroke: '#2f6fb3', name: 'tanh' }]}
      dots={[{ x: -2, y: Math.tanh(-2), fill: '#1d7a3a', label: '2' }]}
      onSelectDot={props.onSelect}
      handle={{
        x: n,
        y: Math.tanh(n),
        fill: '#b3541e',
        min: -4,
        max: 4,
        ariaLabel: 'n',
        ariaValueText: `n = ${n.toFixed(2)}`,
        onDrag: (value) => {
          props.seen.push(value);
          setN(value);
        },
      }}
    />
  );
}

/** The client position of data (x, y) through the rendered plot's own scales. */
function clientOf(x: number, y: number): { clientX: number; clientY: number } {
  const svg = host.querySelector('svg') as SVGSVGElement & {
    scale(name: string): { apply(v: number): number };
  };
  const box = svg.getBoundingClientRect();
  const k = box.width / svg.viewBox.baseVal.width;
  return {
    clientX: box.left + svg.scale('x').apply(x) * k,
    clientY: box.top + svg.scale('y').apply(y) * k,
  };
}

describe('FunctionPlot (Observable Plot with a draggable point)', () => {
  afterEach(() => render(null, host));

  it('draws the curve through the scales: tanh(0) = 0 at the middle of the frame', () => {
    render(<Demo start={0.5} seen={[]} />, host);
    const svg = host.querySelector('svg') as SVGSVGElement & {
      scale(name: string): { apply(v: number): number };
    };
    expect(svg.getAttribute('aria-label')).toBe('tanh');
    expect(host.querySelectorAll('path[data-curve="tanh"]')).toHaveLength(1);
    // Default margins: left 40, right 20 of 360; top 20, bottom 34 of 240.
    expect(svg.scale('x').apply(-4)).toBeCloseTo(40, 6);
    expect(svg.scale('x').apply(4)).toBeCloseTo(340, 6);
    expect(svg.scale('y').apply(0)).toBeCloseTo(20 + (240 - 54) / 2, 6);
    // The handle sits at (0.5, tanh 0.5) on screen.
    const handle = host.querySelector('g.fp-handle circle') as SVGCircleElement;
    const box = handle.getBoundingClientRect();
    const at = clientOf(0.5, Math.tanh(0.5));
    expect(box.left + box.width / 2).toBeCloseTo(at.clientX, 0);
    expect(box.top + box.height / 2).toBeCloseTo(at.clientY, 0);
  });

  it("a drag reads the plot's x scale, clamped to the handle's range", async () => {
    const seen: number[] = [];
    render(<Demo start={0.5} seen={seen} />, host);
    const figure = host.querySelector('figure') as HTMLElement;
    const down = clientOf(1.5, 0);
    figure.dispatchEvent(new PointerEvent('pointerdown', { ...down, bubbles: true, pointerId: 1 }));
    expect(seen.at(-1)).toBeCloseTo(1.5, 6);
    const move = clientOf(-2.5, 0.5);
    figure.dispatchEvent(new PointerEvent('pointermove', { ...move, bubbles: true, pointerId: 1 }));
    expect(seen.at(-1)).toBeCloseTo(-2.5, 6);
    const far = clientOf(3.99, 0);
    figure.dispatchEvent(
      new PointerEvent('pointermove', { ...far, clientX: far.clientX + 500, bubbles: true }),
    );
    expect(seen.at(-1)).toBe(4);
    figure.dispatchEvent(new PointerEvent('pointerup', { ...far, bubbles: true }));
    const count = seen.length;
    figure.dispatchEvent(new PointerEvent('pointermove', { ...down, bubbles: true }));
    expect(seen.length).toBe(count);
  });

  it('the point is a slider: arrow keys move it by 0.1 (Shift: 1) and it keeps focus', async () => {
    const seen: number[] = [];
    render(<Demo start={0.5} seen={seen} />, host);
    const slider = host.querySelector('[role="slider"]') as SVGCircleElement;
    expect(slider.getAttribute('aria-label')).toBe('n');
    expect(slider.getAttribute('aria-valuetext')).toBe('n = 0.50');
    slider.focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(seen.at(-1)).toBeCloseTo(0.6, 12);
    // The figure was drawn again; the new point has the focus.
    const again = host.querySelector('[role="slider"]') as SVGCircleElement;
    expect(document.activeElement).toBe(again);
    expect(again.getAttribute('aria-valuetext')).toBe('n = 0.60');
    await userEvent.keyboard('{Shift>}{ArrowLeft}{/Shift}');
    expect(seen.at(-1)).toBeCloseTo(-0.4, 12);
  });

  it('a press near another point selects it instead of dragging', () => {
    const seen: number[] = [];
    const selected: number[] = [];
    render(<Demo start={0.5} seen={seen} onSelect={(i) => selected.push(i)} />, host);
    const figure = host.querySelector('figure') as HTMLElement;
    const near = clientOf(-2, Math.tanh(-2));
    figure.dispatchEvent(
      new PointerEvent('pointerdown', { ...near, clientX: near.clientX + 3, bubbles: true }),
    );
    expect(selected).toEqual([0]);
    expect(seen).toEqual([]);
  });
});
