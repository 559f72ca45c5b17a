import { defineConfig } from 'vite';

/** `src/pages/<id>/page.tsx` → `<id>`: each page's chunk is named after its page. */
function pageChunkName(moduleId: string | null): string | null {
  const match = moduleId?.match(/[\\/]pages[\\/]([^\\/]+)[\\/]page\.tsx$/);
  return match ? match[1] : null;
}

// A static, offline build: relative asset paths (works from any folder or static host), module
// workers, no CDN. JSX is compiled through tsconfig's `jsxImportSource: preact`. Page chunks are
// named `page-<id>-<hash>.js` so the build output reads as a bundle size per page.
/**
 * Cross-origin isolation (`crossOriginIsolated` in the page and its workers): the session worker
 * then shares its wasm memory with a second thread for large matmuls. Every asset of the app is
 * same-origin (no CDN, fonts or images from elsewhere), so `require-corp` blocks nothing. A static
 * host without these headers still works, single-threaded (the session's `backendInfo` says so).
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: true,
    rolldownOptions: {
      output: {
        chunkFileNames: (chunk) => {
          const page = pageChunkName(chunk.facadeModuleId);
          return page ? `assets/page-${page}-[hash].js` : 'assets/[name]-[hash].js';
        },
      },
    },
  },
  worker: { format: 'es' },
  resolve: { conditions: ['browser', 'import', 'module', 'default'] },
  server: { headers: isolationHeaders },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: isolationHeaders },
});
