import { defineConfig } from 'tsup';

/** The Node modules `save`/`loadTokenizer` import, as stubs for the browser build. */
const nodeStub = `
const fail = () => {
  throw new Error('Tokenizer.save and loadTokenizer need Node.js (they read or write files); in a browser use toModelFile() or toJSON() and tokenizerFromModelFile(text) or tokenizerFromJSON(json)');
};
export const readFile = fail, writeFile = fail, rename = fail, stat = fail, join = fail;
`;

export default defineConfig([
  {
    // `ranks` loads js-tiktoken's rank tables with a dynamic import, so they are their own chunks
    // and a page that only trains a BPE never downloads them.
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  },
  {
    // `browser` (the `browser` export condition): the same API without `node:` imports, which
    // bundlers would otherwise externalize with a warning.
    entry: ['src/browser.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    // Keep `node:` so that the stub plugin below sees the imports (tsup would externalize them).
    removeNodeProtocol: false,
    esbuildPlugins: [
      {
        name: 'node-stub',
        setup(build) {
          build.onResolve({ filter: /^(node:)?(fs\/promises|path)$/ }, (args) => ({
            path: args.path,
            namespace: 'node-stub',
          }));
          build.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({
            contents: nodeStub,
            loader: 'js',
          }));
        },
      },
    ],
  },
]);
