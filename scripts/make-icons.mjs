// Draws the add-in's icons (assets/icon-<size>.png) with pngjs: a green rounded square holding a
// bar chart, the chargeback by cost center. Run after changing the drawing, and commit the PNGs:
//   node scripts/make-icons.mjs
//
// The sizes are the ones Office asks for (manifest reference, Icon and IconUrl elements):
// ribbon buttons need 16, 32 and 80 px and may give 20, 24, 40, 48 and 64 px for other screen
// scalings; a task pane add-in's IconUrl is 32 px and its HighResolutionIconUrl 64 px.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

export const ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 80];

// The drawing, on a 32 × 32 grid: each shape a rounded rectangle [x, y, width, height, radius, colour].
const GREEN = [0x10, 0x7c, 0x41];
const WHITE = [0xff, 0xff, 0xff];
const SHAPES = [
  [1.5, 1.5, 29, 29, 5, GREEN],
  [7, 7, 11, 4, 1, WHITE],
  [7, 14, 18, 4, 1, WHITE],
  [7, 21, 7, 4, 1, WHITE],
];
/** Samples per pixel along each axis: 4 × 4 gives smooth edges at 16 px. */
const SUPERSAMPLE = 4;

function inside([x, y, width, height, radius], px, py) {
  if (px < x || py < y || px > x + width || py > y + height) return false;
  const cx = Math.min(Math.max(px, x + radius), x + width - radius);
  const cy = Math.min(Math.max(py, y + radius), y + height - radius);
  return (px - cx) ** 2 + (py - cy) ** 2 <= radius ** 2;
}

/** The icon at `size` pixels as PNG bytes (RGBA, transparent outside the square). */
export function drawIcon(size) {
  const png = new PNG({ width: size, height: size });
  const scale = 32 / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Average the colour of the topmost shape under each sample; no shape is transparent.
      let [r, g, b, covered] = [0, 0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const px = (x + (sx + 0.5) / SUPERSAMPLE) * scale;
          const py = (y + (sy + 0.5) / SUPERSAMPLE) * scale;
          const top = SHAPES.findLast((shape) => inside(shape, px, py));
          if (!top) continue;
          r += top[5][0];
          g += top[5][1];
          b += top[5][2];
          covered++;
        }
      }
      const at = (y * size + x) * 4;
      const samples = SUPERSAMPLE * SUPERSAMPLE;
      png.data[at] = covered ? Math.round(r / covered) : 0;
      png.data[at + 1] = covered ? Math.round(g / covered) : 0;
      png.data[at + 2] = covered ? Math.round(b / covered) : 0;
      png.data[at + 3] = Math.round((255 * covered) / samples);
    }
  }
  return PNG.sync.write(png);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets');
  mkdirSync(assets, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(path.join(assets, `icon-${size}.png`), drawIcon(size));
  console.log(`wrote ${ICON_SIZES.map((size) => `assets/icon-${size}.png`).join(', ')}`);
}
