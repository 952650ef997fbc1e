import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

/**
 * SVG → PNG for the digest's timeline, with resvg compiled to WebAssembly (@resvg/resvg-wasm): no
 * native addon and nothing downloaded at install, so it runs the same on Lambda ARM64 and here. A
 * WASM renderer sees no system fonts, so it is given one: Inter Regular (SIL Open Font License 1.1),
 * the TTF shipped in @expo-google-fonts/inter.
 *
 * Only the scheduled function imports this module (its bundle carries the ~2.4 MB wasm and the
 * ~340 KB font as files next to `index.js`, copied by `scripts/build.ts`); the HTTP and worker
 * bundles never do. Both are read and the module compiled at the first picture, not at cold start.
 */

/** Files the scheduled bundle ships in `assets/`, and where they come from in node_modules. */
export const PNG_ASSETS = {
  wasm: { file: 'resvg.wasm', source: '@resvg/resvg-wasm/index_bg.wasm' },
  font: { file: 'Inter-Regular.ttf', source: '@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf' },
} as const;

export interface SvgRasterizer {
  /** A PNG of `svg`, `scale` times its own size (2 for sharp text on high-density screens). */
  toPng(svg: string, options?: { scale?: number; defaultFontFamily?: string }): Promise<Uint8Array>;
}

/** The asset's bytes: from `assets/` beside the bundle, else from node_modules (tests, `npm start`). */
async function readAsset(asset: { file: string; source: string }): Promise<Uint8Array> {
  const bundled = join(__dirname, 'assets', asset.file);
  if (existsSync(bundled)) return readFile(bundled);
  return readFile(createRequire(__filename).resolve(asset.source));
}

let wasmReady: Promise<void> | undefined;
let fontBytes: Promise<Uint8Array> | undefined;

/** Compiles the wasm once per process (resvg refuses a second `initWasm`); a failure is retried next time. */
function ready(): Promise<void> {
  wasmReady ??= readAsset(PNG_ASSETS.wasm)
    .then((bytes) => initWasm(bytes))
    .catch((error: unknown) => {
      wasmReady = undefined;
      throw error;
    });
  return wasmReady;
}

function font(): Promise<Uint8Array> {
  fontBytes ??= readAsset(PNG_ASSETS.font).catch((error: unknown) => {
    fontBytes = undefined;
    throw error;
  });
  return fontBytes;
}

/** The resvg rasteriser. */
export const resvgRasterizer: SvgRasterizer = {
  async toPng(svg, options = {}) {
    const [, fontBuffer] = await Promise.all([ready(), font()]);
    const scale = options.scale ?? 2;
    const renderer = new Resvg(svg, {
      font: {
        fontBuffers: [fontBuffer],
        defaultFontFamily: options.defaultFontFamily ?? 'Inter',
        sansSerifFamily: options.defaultFontFamily ?? 'Inter',
      },
      fitTo: { mode: 'zoom', value: scale },
      background: '#ffffff',
    });
    try {
      const rendered = renderer.render();
      try {
        return rendered.asPng();
      } finally {
        rendered.free();
      }
    } finally {
      renderer.free();
    }
  },
};
