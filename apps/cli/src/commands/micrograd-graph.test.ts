import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../cli.js';
import { bufferIO } from '../io.js';
import { PNG_SIGNATURE, pngSize } from '../render/png.js';

async function lmp(args: string[], cwd?: string) {
  const io = bufferIO({ cwd });
  const code = await run(['micrograd', 'graph', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('lmp micrograd graph', () => {
  it('writes DOT to stdout (chain preset by default) and the summary to stderr', async () => {
    const { code, out, err } = await lmp([]);
    expect(code).toBe(0);
    expect(out.startsWith('digraph {\n  rankdir=LR;\n')).toBe(true);
    expect(out).toContain('[shape=record, label="{ a | data 2.0000 | grad 6.0000 }"]');
    expect(out).toContain('[shape=record, label="{ L | data -8.0000 | grad 1.0000 }"]');
    expect(out.match(/shape=record/g)).toHaveLength(7); // a b c e d f L
    expect(err).toBe(
      [
        'L = -8.0000',
        '  leaf      data      grad',
        '  a       2.0000    6.0000',
        '  b      -3.0000   -4.0000',
        '  c      10.0000   -2.0000',
        '  f      -2.0000    4.0000',
        '',
      ].join('\n'),
    );
  });

  it('honours --rankdir, --precision and --quiet', async () => {
    const { out, err } = await lmp(['--rankdir', 'TB', '--precision', '2', '-q']);
    expect(out).toContain('rankdir=TB;');
    expect(out).toContain('label="{ a | data 2.00 | grad 6.00 }"');
    expect(err).toBe('');
  });

  it('lays out --expr as SVG with Graphviz', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'lmp-'));
    const { code, out } = await lmp(
      ['--expr', 'a = 2; b = -3; L = a*b + b**2', '--output', 'graph.svg'],
      directory,
    );
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'L = 3.0000',
        '  leaf      data      grad',
        '  a       2.0000   -3.0000',
        '  b      -3.0000   -4.0000',
        'wrote graph.svg (svg)',
        '',
      ].join('\n'),
    );
    const svg = readFileSync(join(directory, 'graph.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg.match(/<g id="node\d+" class="node">/g)?.length).toBe(8); // values a, b, a*b, b**2, L + ops *, **2, +
    expect(svg).toContain('>data 3.0000<');
    expect(svg).toContain('>grad &#45;4.0000<');
    expect(svg).toContain('>**2.0<'); // core labels pow nodes with micrograd's float exponent
  });

  it('renders the neuron preset to PNG (lecture values: o = 0.7071, x1.grad = -1.5, w1.grad = 1)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'lmp-'));
    const { code, out } = await lmp(['--preset', 'neuron', '-o', 'neuron.png'], directory);
    expect(code).toBe(0);
    expect(out).toContain('o = 0.7071\n');
    expect(out).toContain('  x1      2.0000   -1.5000\n');
    expect(out).toContain('  w1     -3.0000    1.0000\n');
    expect(out).toContain('wrote neuron.png (png)');
    const png = readFileSync(join(directory, 'neuron.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(2 * height); // left to right
    expect(width).toBeLessThanOrEqual(8000);
  });

  it("draws the README example with micrograd's numbers, and SVG to stdout with --format", async () => {
    const { code, out, err } = await lmp(['--preset', 'readme', '--format', 'svg']);
    expect(code).toBe(0);
    expect(out).toContain('<svg');
    expect(out).toContain('>data 24.7041<');
    expect(err).toContain('g = 24.7041\n');
    expect(err).toContain('  a      -4.0000  138.8338\n');
    expect(err).toContain('  b       2.0000  645.5773\n');
  });

  it('says what to do instead of overflowing the stack when a long chain is too deep to lay out', async () => {
    const statements = ['a0 = 1'];
    for (let k = 1; k < 3000; k++) statements.push(`a${k} = a${k - 1} * 1.01 + 0.1`);
    const { code, err } = await lmp(['--expr', statements.join('; '), '--format', 'svg']);
    expect(code).toBe(2);
    expect(err).toMatch(
      /^lmp: error: Graphviz ran out of stack laying out this graph \([\d,]+ lines of DOT\): a2999 has 17,995 nodes, too many to draw here; write the DOT text with --format dot/,
    );
    // The same graph as DOT is fine, and Graphviz recovers for the next (small) drawing.
    expect((await lmp(['--expr', statements.join('; '), '--format', 'dot'])).code).toBe(0);
    expect((await lmp(['--format', 'svg'])).code).toBe(0);
  });
});
