/**
 * SVG → PNG with resvg (a Rust SVG renderer shipped as a native npm binary). Text is drawn with the
 * DejaVu fonts bundled by the `dejavu-fonts-ttf` package and system fonts are never loaded, so a PNG
 * looks the same on a laptop, in CI and in a container without a single font installed.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** The 8-byte signature every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let fontFiles: string[] | undefined;

/** The DejaVu TTF files (Sans, Sans Condensed, Serif, Mono families), found once and cached. */
export function dejavuFontFiles(): string[] {
  if (fontFiles === undefined) {
    const require = createRequire(import.meta.url);
    const directory = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontFiles = readdirSync(directory)
      .filter((file) =>
        /^DejaVu(Sans|Serif|SansMono|SansCondensed)(-Bold|-Oblique|-Italic)?\.ttf$/.test(file),
      )
      .map((file) => join(directory, file));
  }
  return fontFiles;
}

/** Options for `renderPng`. */
export interface RenderPngOptions {
  /** Scale factor from SVG user units to pixels (default 2: crisp on high-density screens). */
  zoom?: number;
  /** Upper bound on the longer side in pixels: `zoom` is lowered to respect it (default 8000). */
  maxSize?: number;
  /** Background colour behind transparent parts (default white). */
  background?: string;
}

/**
 * Renders an SVG document to PNG bytes.
 *
 * @example
 * const png = renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
 * png.subarray(0, 8).equals(PNG_SIGNATURE); // true
 */
export function renderPng(svg: string, options: RenderPngOptions = {}): Buffer {
  const maxSize = options.maxSize ?? 8000;
  let zoom = options.zoom ?? 2;
  const original = new Resvg(svg, { logLevel: 'off', font: { loadSystemFonts: false } });
  const longest = Math.max(original.width, original.height);
  if (longest * zoom > maxSize) zoom = maxSize / longest;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: options.background ?? 'white',
    font: {
      fontFiles: dejavuFontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      serifFamily: 'DejaVu Serif',
      monospaceFamily: 'DejaVu Sans Mono',
    },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}

/**
 * Width and height of a PNG, read from its IHDR chunk (bytes 16–23).
 *
 * @example
 * pngSize(renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"/>'));
 * // { width: 20, height: 40 }
 */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
