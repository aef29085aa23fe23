import { lstat, realpath, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

/** A canvas file larger than this is refused (413): the host serves pages and their assets, not downloads. */
export const MAX_CANVAS_FILE_BYTES = 16 * 1024 * 1024;
/** Longest request path (after the route prefix) the host looks at. */
export const MAX_CANVAS_PATH_CHARS = 1024;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonl": "application/jsonl; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".wasm": "application/wasm",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".ogg": "audio/ogg",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".pdf": "application/pdf",
  ".map": "application/json; charset=utf-8",
};

/** The Content-Type of a canvas file by extension; unknown extensions are served as opaque bytes. */
export function canvasContentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
}

export type CanvasFileLookup =
  | { kind: "file"; path: string; size: number; mtimeMs: number }
  | { kind: "redirect" }
  | { kind: "missing" }
  | { kind: "too-large"; size: number };

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + sep);
}

/**
 * Finds the file a decoded request path names under `root`. A path that leaves the folder (`..`, an absolute
 * segment) or a symlink whose target is outside it is "missing", never read; a folder answers with its
 * `index.html` (and a redirect to add the trailing slash, so the page's relative links resolve).
 */
export async function lookupCanvasFile(root: string, relative: string): Promise<CanvasFileLookup> {
  if (relative.length > MAX_CANVAS_PATH_CHARS || relative.includes("\0")) return { kind: "missing" };
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined) return { kind: "missing" };
  const candidate = normalize(join(realRoot, relative));
  if (!inside(realRoot, candidate)) return { kind: "missing" };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { kind: "missing" };
  }
  if (!inside(realRoot, real)) return { kind: "missing" };
  let info = await stat(real).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!relative.endsWith("/") && relative !== "") return { kind: "redirect" };
    return lookupCanvasFile(root, `${relative.replace(/\/?$/, "/")}index.html`);
  }
  if (!info?.isFile()) return { kind: "missing" };
  // A hard link cannot be told from a file; a symlink swapped in after realpath is caught by this second look.
  const link = await lstat(real).catch(() => undefined);
  if (link === undefined || link.isSymbolicLink()) return { kind: "missing" };
  info = link;
  if (info.size > MAX_CANVAS_FILE_BYTES) return { kind: "too-large", size: info.size };
  return { kind: "file", path: real, size: info.size, mtimeMs: info.mtimeMs };
}
