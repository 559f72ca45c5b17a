import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

export default defineConfig({
  // `browser` is the same API with the Node-only readers replaced by explanatory stubs.
  entry: ['src/index.ts', 'src/browser.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Inline the bundled names' JSON (about 70 KB) instead of reading it from the stdlib packages at
  // run time: one code path for Node and browsers.
  noExternal: [/^@stdlib\/datasets-.*\/data\/names\.json$/, /\?raw$/],
  esbuildPlugins: [
    {
      // `import text from 'pkg/file.txt?raw'` (Vite's convention, which Vitest follows): the file's
      // text as a string. Only the bundled book uses it; its dynamic import gives it its own chunk.
      name: 'raw-text',
      setup(build) {
        build.onResolve({ filter: /\?raw$/ }, (args) => ({
          path: createRequire(join(args.resolveDir, 'x.js')).resolve(args.path.slice(0, -4)),
          namespace: 'raw-text',
        }));
        build.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({
          contents: readFileSync(args.path, 'utf8'),
          loader: 'text',
        }));
      },
    },
  ],
});
