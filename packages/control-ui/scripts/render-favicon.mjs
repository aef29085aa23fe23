// Renders ui/public/favicon.ico (16x16 and 32x32, 32-bit BMP entries) from the same shape as ui/public/favicon.svg:
// a rounded square in the UI's accent colour with a white open "C". Run once after changing the icon:
//   node scripts/render-favicon.mjs
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ACCENT = [0xc2, 0x41, 0x0c];
const WHITE = [0xff, 0xff, 0xff];
// In the SVG's 32-unit space: the background's corner radius, the arc's centre, radius and half stroke width.
const CORNER = 7;
const CENTRE = [16, 16];
const RADIUS = 8.5;
const HALF_STROKE = 2;
// The arc's two ends (its round caps), where the SVG path starts and ends.
const ENDS = [
  [22.5, 10.5],
  [22.5, 21.5],
];

function insideRoundedSquare(x, y) {
  const dx = Math.max(CORNER - x, 0, x - (32 - CORNER));
  const dy = Math.max(CORNER - y, 0, y - (32 - CORNER));
  return dx * dx + dy * dy <= CORNER * CORNER;
}

function onStroke(x, y) {
  if (ENDS.some(([ex, ey]) => Math.hypot(x - ex, y - ey) <= HALF_STROKE)) return true;
  const [cx, cy] = CENTRE;
  if (Math.abs(Math.hypot(x - cx, y - cy) - RADIUS) > HALF_STROKE) return false;
  // The open side faces right, between the two ends.
  const endAngle = Math.atan2(ENDS[0][1] - cy, ENDS[0][0] - cx);
  return Math.abs(Math.atan2(y - cy, x - cx)) >= Math.abs(endAngle);
}

/** BGRA rows, bottom-up, 4x4 supersampled. */
function render(size) {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let row = 0; row < size; row += 1) {
    for (let col = 0; col < size; col += 1) {
      let covered = 0;
      const rgb = [0, 0, 0];
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const x = ((col + (sx + 0.5) / samples) * 32) / size;
          const y = ((row + (sy + 0.5) / samples) * 32) / size;
          if (!insideRoundedSquare(x, y)) continue;
          const colour = onStroke(x, y) ? WHITE : ACCENT;
          covered += 1;
          for (let i = 0; i < 3; i += 1) rgb[i] += colour[i];
        }
      }
      const offset = ((size - 1 - row) * size + col) * 4;
      const alpha = covered / (samples * samples);
      pixels[offset] = covered ? Math.round(rgb[2] / covered) : 0;
      pixels[offset + 1] = covered ? Math.round(rgb[1] / covered) : 0;
      pixels[offset + 2] = covered ? Math.round(rgb[0] / covered) : 0;
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

/** One ICO image: BITMAPINFOHEADER (height doubled for the AND mask), the BGRA pixels, an all-zero AND mask. */
function bmpEntry(size) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8);
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const maskRowBytes = Math.ceil(size / 32) * 4;
  return Buffer.concat([header, render(size), Buffer.alloc(maskRowBytes * size)]);
}

const sizes = [16, 32];
const images = sizes.map(bmpEntry);
const directory = Buffer.alloc(6 + 16 * sizes.length);
directory.writeUInt16LE(0, 0);
directory.writeUInt16LE(1, 2);
directory.writeUInt16LE(sizes.length, 4);
let offset = directory.length;
sizes.forEach((size, index) => {
  const entry = 6 + 16 * index;
  directory.writeUInt8(size, entry);
  directory.writeUInt8(size, entry + 1);
  directory.writeUInt16LE(1, entry + 4);
  directory.writeUInt16LE(32, entry + 6);
  directory.writeUInt32LE(images[index].length, entry + 8);
  directory.writeUInt32LE(offset, entry + 12);
  offset += images[index].length;
});
writeFileSync(
  fileURLToPath(new URL("../ui/public/favicon.ico", import.meta.url)),
  Buffer.concat([directory, ...images]),
);
