import type { IncomingMessage } from "node:http";
import type { Readable, Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { ToolError } from "../tool-error.js";

export interface BoundedBody {
  body: Uint8Array;
  /** True when the body went on past `maxBytes` and reading stopped there. */
  truncated: boolean;
}

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch ((encoding ?? "identity").trim().toLowerCase()) {
    case "":
    case "identity":
      return undefined;
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      throw new ToolError(
        "FETCH_FAILED",
        `the server sent the body in an unsupported encoding (${encoding})`,
      );
  }
}

/**
 * Reads at most `maxBytes` of the decoded body, then drops the connection: a huge or endless response (or a small
 * compressed one that inflates to gigabytes) costs no more than the cap.
 */
export async function readBoundedBody(response: IncomingMessage, maxBytes: number): Promise<BoundedBody> {
  const decoder = decoderFor(response.headers["content-encoding"]);
  const source: Readable = decoder ? response.pipe(decoder) : response;
  if (decoder) response.once("error", (error) => decoder.destroy(error));
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      if (size + buffer.length > maxBytes) {
        chunks.push(buffer.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(buffer);
      size += buffer.length;
    }
  } finally {
    response.destroy();
    decoder?.destroy();
  }
  return { body: new Uint8Array(Buffer.concat(chunks, size)), truncated };
}

export interface ParsedContentType {
  /** Lower-case media type without parameters, e.g. "text/html". */
  mediaType: string;
  charset?: string;
}

export function parseContentType(header: string | undefined): ParsedContentType | undefined {
  if (!header) return undefined;
  const [type = "", ...params] = header.split(";");
  const mediaType = type.trim().toLowerCase();
  if (!mediaType) return undefined;
  const charsetParam = params
    .map((param) => param.trim())
    .find((param) => param.toLowerCase().startsWith("charset="));
  const charset = charsetParam?.slice("charset=".length).trim().replace(/^"|"$/g, "");
  return charset ? { mediaType, charset } : { mediaType };
}

/**
 * The text of a fetch `Response`, read until `maxBytes` at most: a larger body is cancelled and `tooLarge()` thrown,
 * so a misbehaving server cannot make a tool buffer without bound.
 */
export async function readResponseText(
  response: Response,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString("utf8");
}
