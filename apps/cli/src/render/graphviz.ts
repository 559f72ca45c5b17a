/**
 * DOT → SVG with Graphviz compiled to WebAssembly (`@hpcc-js/wasm-graphviz`): the same `dot` layout
 * engine micrograd's `draw_dot` calls, with the wasm inlined in the package, so it works offline and
 * needs no `dot` binary on the machine. Loading takes ~100 ms, so the instance is loaded once.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';

let graphviz: Promise<Graphviz> | undefined;

/**
 * Lays out a DOT graph with `dot` and returns the SVG document.
 *
 * @example
 * const svg = await dotToSvg('digraph { a -> b }');
 * svg.includes('<svg'); // true
 */
export async function dotToSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const instance = await graphviz;
  return instance.dot(dot, 'svg');
}
