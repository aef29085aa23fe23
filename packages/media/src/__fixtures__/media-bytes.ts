import { crc32, deflateSync } from "node:zlib";
import { PDFDocument, StandardFonts } from "pdf-lib";

/** A real, decodable 1x1 RGBA PNG built from its bytes. Test-only. */
export function tinyPng(): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk("IHDR", header),
      pngChunk("IDAT", deflateSync(Buffer.from([0, 255, 0, 0, 255]))),
      pngChunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** The first page of an Ogg Opus stream (what a Telegram or WhatsApp voice note starts with), padded to `size`. */
export function oggOpusVoice(size = 2048): Uint8Array {
  const opusHead = Buffer.concat([
    Buffer.from("OpusHead", "ascii"),
    Buffer.from([1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]),
  ]);
  const page = Buffer.concat([
    Buffer.from("OggS", "ascii"),
    Buffer.from([0, 2]),
    Buffer.alloc(8),
    Buffer.from([1, 0, 0, 0]),
    Buffer.alloc(4),
    Buffer.alloc(4),
    Buffer.from([1, opusHead.length]),
    opusHead,
  ]);
  const out = Buffer.alloc(Math.max(size, page.length), 0x5a);
  page.copy(out);
  return new Uint8Array(out);
}

/** A real PDF with one line of text per page, written by pdf-lib. */
export async function pdfWithPages(pages: string[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = document.addPage([400, 200]);
    page.drawText(text, { x: 20, y: 100, size: 14, font });
  }
  return document.save();
}
