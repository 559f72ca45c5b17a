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
  try {
    return instance.dot(dot, 'svg');
  } catch (error) {
    graphviz = undefined; // a wasm instance that overflowed its stack is not reused
    // (the wasm glue rethrows V8's RangeError as a plain Error: match the message)
    if (error instanceof Error && /maximum call stack/i.test(error.message)) {
      throw new GraphTooLargeError(
        `Graphviz ran out of stack laying out this graph (${dot.split('\n').length.toLocaleString('en-US')} lines of DOT)`,
      );
    }
    throw error;
  }
}

/**
 * Thrown by `dotToSvg` when the graph is too deep for Graphviz's recursive layout in WebAssembly
 * (a chain of a few thousand micrograd operations): the caller can offer the DOT text instead.
 */
export class GraphTooLargeError extends Error {
  override readonly name = 'GraphTooLargeError';
}
