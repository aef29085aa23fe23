import { crc32, inflateSync } from "node:zlib";
import { QR_DATA_URL_MAX_LENGTH, WebLoginStartResultSchema } from "@openclaw/protocol";
import decodeQR from "qr/decode.js";
import { describe, expect, it } from "vitest";
import { expectOracle } from "../integration/oracle.js";
import { QR_MARGIN_MODULES, QR_PIXELS_PER_MODULE, qrMatrixToPng, renderQrDataUrl } from "./web-login-qr.js";

/** The shape of a WhatsApp Web pairing payload: ref, noise key, identity key, adv secret (base64). */
const WHATSAPP_PAYLOAD =
  "2@Yw1n3xqVb0m9Zt7kR2pL8sD4fH6jK1aQ5eW3rT9yU0iO2pA4sD6fG8hJ1kL3zX5cV7bN9mQ2wE4rT6yU8iO0pA2sD4fG6hJ8kL0zX2cV4bN6mQ8wE0rT2yU4iO6pA8sD0fG2hJ4kL6zX8cV0bN2mQ4wE6rT8yU0iO2p," +
  "Vb0m9Zt7kR2pL8sD4fH6jK1aQ5eW3rT9yU0iO2pA4sE=,mQ2wE4rT6yU8iO0pA2sD4fG6hJ8kL0zX2cV4bN6mQ8w=,wE0rT2yU4iO6pA8sD0fG2hJ4kL6zX8cV0bN2mQ4wE6=";

interface DecodedPng {
  width: number;
  height: number;
  /** Greyscale, one byte per pixel: 0 dark, 255 light. */
  pixels: Uint8Array;
}

/** Reads back the 1-bit greyscale PNG the gateway writes, checking every chunk's CRC on the way. */
function readPng(png: Buffer): DecodedPng {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks = new Map<string, Buffer>();
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(
      crc32(png.subarray(at + 4, at + 8 + length)),
    );
    chunks.set(type, png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  expect([...chunks.keys()]).toEqual(["IHDR", "IDAT", "IEND"]);
  const header = chunks.get("IHDR") ?? Buffer.alloc(13);
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  expect([...header.subarray(8)]).toEqual([1, 0, 0, 0, 0]);
  const raw = inflateSync(chunks.get("IDAT") ?? Buffer.alloc(0));
  const rowBytes = 1 + Math.ceil(width / 8);
  expect(raw.length).toBe(rowBytes * height);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * rowBytes], "filter type").toBe(0);
    for (let x = 0; x < width; x++) {
      const bit = ((raw[y * rowBytes + 1 + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
      pixels[y * width + x] = bit === 1 ? 255 : 0;
    }
  }
  return { width, height, pixels };
}

function toRgba({ width, height, pixels }: DecodedPng): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(width * height * 4);
  for (const [i, grey] of pixels.entries()) data.set([grey, grey, grey, 255], i * 4);
  return { width, height, data };
}

const pngOf = (dataUrl: string): Buffer =>
  Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ""), "base64");

describe("renderQrDataUrl", () => {
  it("renders a WhatsApp pairing payload as a PNG that an independent QR decoder reads back", async () => {
    const dataUrl = await renderQrDataUrl(WHATSAPP_PAYLOAD);
    expect(dataUrl.startsWith("data:image/png;base64,")).toBe(true);
    const image = readPng(pngOf(dataUrl));
    expect(image.width).toBe(image.height);
    expect(decodeQR(toRgba(image))).toBe(WHATSAPP_PAYLOAD);
  });

  it("is a data URL OpenClaw's clients may echo back as currentQrDataUrl", async () => {
    const dataUrl = await renderQrDataUrl(WHATSAPP_PAYLOAD);
    expect(dataUrl.length).toBeLessThan(QR_DATA_URL_MAX_LENGTH / 4);
    expect(WebLoginStartResultSchema.parse({ qrDataUrl: dataUrl, message: "scan" }).qrDataUrl).toBe(dataUrl);
    expectOracle("WebLoginWaitParams", { currentQrDataUrl: dataUrl });
  });

  it("keeps a light margin and draws each module as a solid square", async () => {
    const image = readPng(pngOf(await renderQrDataUrl("https://openclaw.ai")));
    const margin = QR_MARGIN_MODULES * QR_PIXELS_PER_MODULE;
    const row = (y: number): number[] => [...image.pixels.subarray(y * image.width, (y + 1) * image.width)];
    for (let y = 0; y < margin; y++) expect(row(y).every((grey) => grey === 255)).toBe(true);
    // The top-left finder pattern starts right after the margin: seven dark modules in a row.
    const finderRow = row(margin);
    expect(finderRow[margin - 1]).toBe(255);
    expect(finderRow.slice(margin, margin + 7 * QR_PIXELS_PER_MODULE).every((grey) => grey === 0)).toBe(true);
    expect(finderRow[margin + 7 * QR_PIXELS_PER_MODULE]).toBe(255);
    expect(row(margin + QR_PIXELS_PER_MODULE - 1)).toEqual(finderRow);
  });
});

describe("qrMatrixToPng", () => {
  it("writes dark modules dark and light modules light, padding rows to whole bytes", () => {
    const image = readPng(
      qrMatrixToPng(
        [
          [true, false, true],
          [false, true, false],
          [true, true, false],
        ],
        3,
      ),
    );
    expect(image.width).toBe(9);
    const module = (x: number, y: number): number => image.pixels[y * 3 * 9 + x * 3] ?? -1;
    expect([module(0, 0), module(1, 0), module(2, 0)]).toEqual([0, 255, 0]);
    expect([module(0, 1), module(1, 1), module(2, 1)]).toEqual([255, 0, 255]);
    expect([module(0, 2), module(1, 2), module(2, 2)]).toEqual([0, 0, 255]);
  });
});
