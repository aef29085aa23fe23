import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import type { ControlUiSite } from "../runtime/control-ui-site.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/**
 * The page may talk only to its own origin (HTTP and the gateway's WebSocket) and may never be framed: framing is
 * how a hostile page would trick an operator into clicking inside a signed-in Control UI.
 */
function securityHeaders(
  request: IncomingMessage,
  page: { inlineScriptHashes?: string[]; configuredUi?: boolean } = {},
): Record<string, string> {
  const host = request.headers.host && /^[\w.:[\]-]+$/.test(request.headers.host) ? request.headers.host : "";
  const sockets = host ? ` ws://${host} wss://${host}` : "";
  return {
    "content-security-policy": [
      "default-src 'self'",
      ["script-src 'self'", ...(page.inlineScriptHashes ?? []).map((hash) => `'${hash}'`)].join(" "),
      // A UI from gateway.controlUi.root (OpenClaw's own) sets inline styles and fetches its data: icons.
      page.configuredUi ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
      page.configuredUi ? "img-src 'self' data: blob:" : "img-src 'self' data:",
      `connect-src 'self'${sockets}${page.configuredUi ? " data:" : ""}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
  };
}

const INLINE_SCRIPT = /<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi;

/**
 * The CSP hashes of a page's inline scripts. A UI built elsewhere (OpenClaw's own, through `gateway.controlUi.root`)
 * runs a small inline boot script; allowing exactly those bytes keeps `script-src` closed to anything injected.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    const attributes = match[1] ?? "";
    const body = match[2] ?? "";
    if (/\ssrc\s*=/i.test(attributes) || body.length === 0) continue;
    hashes.push(`sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`);
  }
  return hashes;
}

async function findFile(root: string, relative: string): Promise<string | undefined> {
  const candidate = normalize(join(root, relative));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  try {
    const real = await realpath(candidate);
    if (real !== root && !real.startsWith(root + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the Control UI's static files under `site.basePath`. Returns false when the path is outside the UI, so
 * the caller can answer it (404 or another route). Paths without a file extension fall back to `index.html`, so
 * deep links into the single-page app load it.
 */
export async function serveControlUi(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  site: ControlUiSite,
): Promise<boolean> {
  const { basePath } = site;
  if (basePath !== "" && path !== basePath && !path.startsWith(`${basePath}/`)) return false;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
    response.end("the Control UI is read with GET\n");
    return true;
  }
  if (basePath !== "" && path === basePath) {
    const query = request.url?.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
    response.writeHead(308, { location: `${basePath}/${query}` });
    response.end();
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice(basePath.length));
  } catch {
    response.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
    response.end("malformed URL\n");
    return true;
  }
  if (relative.includes("\0")) return false;
  const root = await realpath(site.root).catch(() => site.root);
  const wantsPage = relative.endsWith("/") || extname(relative) === "";
  const file =
    (relative.endsWith("/") ? undefined : await findFile(root, relative)) ??
    (wantsPage ? await findFile(root, "index.html") : undefined);
  if (!file) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8", ...securityHeaders(request) });
    response.end("not found\n");
    return true;
  }
  if (file.endsWith(".html")) {
    await servePage(request, response, file, site);
    return true;
  }
  const info = await stat(file);
  // Vite names built assets by content hash, so they can be cached for good; the page itself must be re-checked.
  const immutable = /[-.][\w-]{8,}\.\w+$/.test(file) && file.includes(`${sep}assets${sep}`);
  response.writeHead(200, {
    "content-type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": info.size,
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    ...securityHeaders(request),
  });
  if (request.method === "HEAD") {
    response.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on("error", () => {
      response.destroy();
      resolve();
    });
    stream.on("end", () => resolve());
    stream.pipe(response);
  });
  return true;
}

/**
 * A page's `./` links are made absolute under the base path: the single-page app is also served at deep links
 * (`/chat/main`), where `./assets/...` would resolve to `/chat/assets/...`. The `<html>` element names the base
 * path as OpenClaw's UI reads it (`data-openclaw-control-ui-base-path`), so its router and socket URL agree.
 */
export function preparePage(html: string, basePath: string): string {
  const escaped = basePath.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return html
    .replace(/\b(src|href)="\.\//g, (_match, attribute: string) => `${attribute}="${basePath}/`)
    .replace(/<html\b/i, `<html data-openclaw-control-ui-base-path="${escaped}"`);
}

/** A page is read whole (it is small) so its links can be rebased and its inline scripts hashed into the CSP. */
async function servePage(
  request: IncomingMessage,
  response: ServerResponse,
  file: string,
  site: ControlUiSite,
): Promise<void> {
  const html = preparePage(await readFile(file, "utf8"), site.basePath);
  const body = Buffer.from(html, "utf8");
  response.writeHead(200, {
    "content-type": "text/html; charset=utf-8",
    "content-length": body.length,
    "cache-control": "no-cache",
    ...securityHeaders(request, {
      inlineScriptHashes: inlineScriptHashes(html),
      configuredUi: site.source === "configured",
    }),
  });
  response.end(request.method === "HEAD" ? undefined : body);
}
