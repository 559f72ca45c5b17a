/**
 * The main thread's side of `graph.worker.ts`: `layoutDot(dot)` resolves to Graphviz's SVG. One
 * worker, started on first use and kept for the page's lifetime (the wasm loads once).
 */

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (svg: string) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./graph.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<{ id: number; svg?: string; error?: string }>) => {
    const { id, svg, error } = event.data;
    const request = pending.get(id);
    if (!request) return;
    pending.delete(id);
    if (svg !== undefined) request.resolve(svg);
    else request.reject(new Error(`Graphviz could not lay out the graph: ${error}`));
  };
  worker.onerror = (event) => {
    for (const request of pending.values()) request.reject(new Error(event.message));
    pending.clear();
  };
  return worker;
}

/**
 * Lays out DOT text with Graphviz's `dot` in a worker.
 *
 * @example
 * ```ts
 * const svg = await layoutDot('digraph { a -> b }');
 * ```
 */
export function layoutDot(dot: string): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, dot });
  });
}
