import { open, realpath } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MediaError, MediaSizeError } from "./media-error.js";
import type { MediaKind } from "./media-kind.js";
import { readResponseCapped } from "./read-capped.js";
import { sniffMedia } from "./sniff-media.js";

export interface LoadMediaSourceOptions {
  maxBytes: number;
  /**
   * Folders a local path may point into (the agent's workspace, the media store). A path is resolved through its
   * symlinks first, so a link cannot lead out. A relative path is taken relative to the first root.
   */
  allowedRoots: string[];
  /** Used for http(s) sources: pass an SSRF-guarded fetch. */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  signal?: AbortSignal;
}

export interface LoadedMedia {
  data: Uint8Array;
  /** Sniffed from the content. */
  mimeType: string;
  fileName: string;
  kind: MediaKind;
}

/**
 * Reads one media reference (a reply's `MEDIA:` line, a `send` call's `mediaUrl`): an http(s) URL through the given
 * fetch, a `data:` URL, a `file://` URL or a path inside `allowedRoots`. Never more than `maxBytes` is read.
 */
export async function loadMediaSource(source: string, options: LoadMediaSourceOptions): Promise<LoadedMedia> {
  const trimmed = source.trim();
  const loaded = /^data:/i.test(trimmed)
    ? decodeDataUrl(trimmed, options.maxBytes)
    : /^https?:\/\//i.test(trimmed)
      ? await fetchRemote(trimmed, options)
      : await readLocal(trimmed, options);
  const sniffed = await sniffMedia(loaded.data, { mimeType: loaded.claimedType, fileName: loaded.fileName });
  const fileName = loaded.fileName ?? `media.${sniffed.extension}`;
  return { data: loaded.data, mimeType: sniffed.mimeType, fileName, kind: sniffed.kind };
}

interface RawMedia {
  data: Uint8Array;
  fileName?: string;
  claimedType?: string;
}

function decodeDataUrl(source: string, maxBytes: number): RawMedia {
  const match = /^data:([^,]*?),(.*)$/is.exec(source);
  if (!match) throw new MediaError("MEDIA_SOURCE_INVALID", "a data: URL needs a comma before its payload");
  const header = match[1] ?? "";
  const payload = match[2] ?? "";
  const isBase64 = /;base64$/i.test(header);
  const claimedType = header.replace(/;base64$/i, "").split(";")[0] || undefined;
  // Refuse by the encoded length before decoding: 4 base64 characters carry 3 bytes.
  const estimate = isBase64 ? Math.floor((payload.length * 3) / 4) : payload.length;
  if (estimate > maxBytes + 3) throw new MediaSizeError(maxBytes, estimate);
  let data: Uint8Array;
  try {
    data = isBase64
      ? new Uint8Array(Buffer.from(payload, "base64"))
      : new TextEncoder().encode(decodeURIComponent(payload));
  } catch (error) {
    throw new MediaError("MEDIA_SOURCE_INVALID", "the data: URL has a malformed %-escape", { cause: error });
  }
  if (data.byteLength > maxBytes) throw new MediaSizeError(maxBytes, data.byteLength);
  if (data.byteLength === 0) throw new MediaError("MEDIA_SOURCE_INVALID", "the data: URL is empty");
  return { data, ...(claimedType ? { claimedType } : {}) };
}

async function fetchRemote(url: string, options: LoadMediaSourceOptions): Promise<RawMedia> {
  let response: Response;
  try {
    response = await options.fetch(url, options.signal ? { signal: options.signal } : undefined);
  } catch (error) {
    throw new MediaError(
      "MEDIA_SOURCE_FETCH_FAILED",
      `could not fetch ${redactUrl(url)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new MediaError(
      "MEDIA_SOURCE_FETCH_FAILED",
      `fetching ${redactUrl(url)} answered HTTP ${response.status}`,
    );
  }
  const data = await readResponseCapped(response, options.maxBytes);
  const fileName =
    fileNameFromDisposition(response.headers.get("content-disposition")) ?? fileNameFromUrl(url);
  const claimedType = response.headers.get("content-type")?.split(";")[0]?.trim();
  return { data, ...(fileName ? { fileName } : {}), ...(claimedType ? { claimedType } : {}) };
}

async function readLocal(source: string, options: LoadMediaSourceOptions): Promise<RawMedia> {
  const requested = toLocalPath(source, options.allowedRoots);
  let real: string;
  try {
    real = await realpath(requested);
  } catch {
    throw new MediaError("MEDIA_SOURCE_NOT_FOUND", `no file at ${requested}`);
  }
  const roots = await Promise.all(options.allowedRoots.map((root) => realpath(root).catch(() => undefined)));
  const inside = roots.some((root) => root !== undefined && isInside(root, real));
  if (!inside) {
    throw new MediaError(
      "MEDIA_SOURCE_OUTSIDE_ROOTS",
      `${requested} is outside the folders media may be sent from (the agent workspace and the media store)`,
    );
  }
  const handle = await open(real, "r");
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new MediaError("MEDIA_SOURCE_NOT_FOUND", `${requested} is not a file`);
    if (info.size > options.maxBytes) throw new MediaSizeError(options.maxBytes, info.size);
    // Read at most one byte past the limit: a file that grew since stat() is still refused.
    const buffer = Buffer.alloc(Math.min(info.size, options.maxBytes) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0);
    if (bytesRead > options.maxBytes) throw new MediaSizeError(options.maxBytes);
    return { data: new Uint8Array(buffer.subarray(0, bytesRead)), fileName: path.basename(real) };
  } finally {
    await handle.close();
  }
}

function toLocalPath(source: string, roots: string[]): string {
  if (/^file:/i.test(source)) {
    try {
      return fileURLToPath(source);
    } catch (error) {
      throw new MediaError("MEDIA_SOURCE_INVALID", `${source} is not a valid file URL`, { cause: error });
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    throw new MediaError(
      "MEDIA_SOURCE_INVALID",
      `unsupported media source ${redactUrl(source)}: use https, data:, file:// or a path`,
    );
  }
  if (source.startsWith("~/")) return path.join(homedir(), source.slice(2));
  if (path.isAbsolute(source)) return source;
  const base = roots[0];
  if (base === undefined)
    throw new MediaError("MEDIA_SOURCE_INVALID", `relative path ${source} with no folder to resolve it in`);
  return path.resolve(base, source);
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function fileNameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header)?.[1];
  if (encoded) {
    try {
      return safeName(decodeURIComponent(encoded.trim().replace(/^"|"$/g, "")));
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header)?.[1];
  return plain ? safeName(plain) : undefined;
}

function fileNameFromUrl(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split("/").pop();
    return last ? safeName(decodeURIComponent(last)) : undefined;
  } catch {
    return undefined;
  }
}

/** A name for display and upload only: no folders, no control characters. */
function safeName(name: string): string | undefined {
  const base = path
    .basename(name.replaceAll("\\", "/"))
    .split("")
    .filter((char) => char.charCodeAt(0) >= 0x20)
    .join("")
    .trim();
  return base === "" || base === "." || base === ".." ? undefined : base.slice(0, 255);
}

/** Query strings often carry tokens: keep them out of messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.slice(0, 64);
  }
}
