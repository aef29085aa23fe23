import { open, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { formatBytes } from "../fs/fs-limits.js";
import type { FsToolsOptions } from "../fs/fs-tool-context.js";
import { resolveToolPath } from "../fs/fs-tool-context.js";
import { isMissing } from "../fs/workspace-path.js";
import { ToolError } from "../tool-error.js";
import type { ToolImage } from "./image-model-output.js";
import { sniffImageType, sniffMediaType } from "./image-sniff.js";

/** Fetches a remote image; the integrator passes one that applies the SSRF policy (private addresses refused). */
export type ImageFetcher = (
  url: string,
  signal: AbortSignal,
) => Promise<{ data: Uint8Array; mediaType?: string }>;

export interface ImageSourceContext {
  options: FsToolsOptions & { fetchImage?: ImageFetcher };
  agentId: string;
  signal: AbortSignal;
  maxBytes: number;
}

/** Loads one image a model named: a workspace path, a file:// URL, a data: URL, or an http(s) URL via the fetcher. */
export async function loadImage(reference: string, context: ImageSourceContext): Promise<ToolImage> {
  const source = reference.trim().replace(/^@/, "").trim();
  if (source === "") throw new ToolError("INVALID_ARGUMENTS", "view_image: an empty image path");
  if (/^data:/i.test(source))
    return fromBytes("data: URL", decodeDataUrl(source, context.maxBytes), context.maxBytes);
  if (/^https?:\/\//i.test(source))
    return fromBytes(reference, await fetchRemote(source, context), context.maxBytes);
  if (/^file:/i.test(source))
    return fromBytes(reference, await readLocal(filePathOf(source), reference, context), context.maxBytes);
  if (/^[a-z][a-z0-9+.-]+:/i.test(source)) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      `Unsupported image reference: ${reference}. Use a workspace path, a file:// URL, a data: URL or an http(s) URL.`,
    );
  }
  return fromBytes(reference, await readLocal(source, reference, context), context.maxBytes);
}

async function fromBytes(source: string, data: Uint8Array, maxBytes: number): Promise<ToolImage> {
  if (data.byteLength > maxBytes) throw tooLarge(source, data.byteLength, maxBytes);
  const mediaType = await sniffImageType(data);
  if (!mediaType) {
    const found = await sniffMediaType(data);
    throw new ToolError(
      "UNSUPPORTED_CONTENT",
      `${source} is not a png, jpeg, gif or webp image${found ? ` (its content is ${found})` : ""}`,
    );
  }
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { source, mediaType, bytes: data.byteLength, data: buffer.toString("base64") };
}

async function readLocal(path: string, shown: string, context: ImageSourceContext): Promise<Uint8Array> {
  const absolute = await resolveToolPath(context.options, {
    agentId: context.agentId,
    path,
    forReading: true,
  });
  const info = await stat(absolute).catch((error: unknown) => {
    if (isMissing(error)) throw new ToolError("NOT_FOUND", `Image not found: ${shown}`);
    throw error;
  });
  if (!info.isFile()) throw new ToolError("INVALID_ARGUMENTS", `${shown} is not a file`);
  if (info.size > context.maxBytes) throw tooLarge(shown, info.size, context.maxBytes);
  const handle = await open(absolute, "r");
  try {
    const data = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(data, 0, info.size, 0);
    return data.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function fetchRemote(url: string, context: ImageSourceContext): Promise<Uint8Array> {
  const fetchImage = context.options.fetchImage;
  if (!fetchImage) {
    throw new ToolError(
      "NOT_CONFIGURED",
      `view_image cannot load URLs here (no fetcher is configured): ${url}. Save the image into the workspace and pass its path.`,
    );
  }
  return (await fetchImage(url, context.signal)).data;
}

function filePathOf(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    throw new ToolError("INVALID_ARGUMENTS", `${url} is not a local file URL`);
  }
}

function decodeDataUrl(url: string, maxBytes: number): Uint8Array {
  const comma = url.indexOf(",");
  const header = comma === -1 ? "" : url.slice(5, comma);
  if (!/;base64$/i.test(header)) {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      "view_image: a data: URL must be base64 (data:image/png;base64,...)",
    );
  }
  const payload = url.slice(comma + 1);
  const estimated = Math.floor((payload.length * 3) / 4);
  if (estimated > maxBytes + 2) throw tooLarge("the data: URL", estimated, maxBytes);
  return Buffer.from(payload, "base64");
}

function tooLarge(source: string, bytes: number, maxBytes: number): ToolError {
  return new ToolError(
    "TOO_LARGE",
    `${source} is ${formatBytes(bytes)}; images over ${formatBytes(maxBytes)} are not loaded. Make a smaller copy first.`,
  );
}
