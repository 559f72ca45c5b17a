/**
 * Graphviz (`dot`, compiled to WebAssembly) in a module worker: DOT in, SVG out. Laying out a graph
 * of a thousand nodes takes most of a second, so it never runs on the main thread. The wasm is
 * inlined in `@hpcc-js/wasm-graphviz`, so this works offline. Shared by the derivatives and moons
 * pages (through `graph-layout.ts`).
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';

interface LayoutRequest {
  id: number;
  dot: string;
}

let graphviz: Promise<Graphviz> | undefined;

self.onmessage = async (event: MessageEvent<LayoutRequest>) => {
  const { id, dot } = event.data;
  try {
    graphviz ??= Graphviz.load();
    const svg = (await graphviz).dot(dot, 'svg');
    self.postMessage({ id, svg });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
