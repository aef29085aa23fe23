import { crc32, deflateSync } from "node:zlib";

/** Pixels per QR module: a WhatsApp code stays near 1 KB; UIs scale it up (OpenClaw's with `pixelated`). */
export const QR_PIXELS_PER_MODULE = 4;
/** Light modules around the code: what OpenClaw renders and WhatsApp scans. */
export const QR_MARGIN_MODULES = 2;

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, "latin1");
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/**
 * A 1-bit greyscale PNG of a module matrix (`true` = dark). OpenClaw's clients show it in an `<img>` and echo it
 * back as `currentQrDataUrl`, whose schema only takes `data:image/png;base64,`, so the image stays a PNG.
 */
export function qrMatrixToPng(modules: readonly (readonly boolean[])[], pixelsPerModule: number): Buffer {
  const side = modules.length * pixelsPerModule;
  const rowBytes = 1 + Math.ceil(side / 8);
  // Every scanline starts with filter type 0 (none); a set bit is a light pixel.
  const raw = Buffer.alloc(rowBytes * side);
  for (let y = 0; y < side; y++) {
    const row = modules[Math.floor(y / pixelsPerModule)] ?? [];
    for (let x = 0; x < side; x++) {
      if (row[Math.floor(x / pixelsPerModule)] === true) continue;
      const at = y * rowBytes + 1 + (x >> 3);
      raw[at] = (raw[at] ?? 0) | (0x80 >> (x & 7));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw, { level: 9 })),
    pngChunk("IEND", new Uint8Array()),
  ]);
}

/** The platform's QR payload as a PNG data URL, error correction M like OpenClaw's. */
export async function renderQrDataUrl(payload: string): Promise<string> {
  // Imported on first use: most gateways never link a device, and idle memory is budgeted.
  const { encode } = await import("uqr");
  const { data } = encode(payload, { ecc: "M", border: QR_MARGIN_MODULES });
  return `data:image/png;base64,${qrMatrixToPng(data, QR_PIXELS_PER_MODULE).toString("base64")}`;
}
