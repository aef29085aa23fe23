import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayError } from "@openclaw/protocol";
import { isLoopbackAddress } from "../auth/auth-rate-limiter.js";
import { isLoopbackHost } from "../auth/bind-host.js";
import { resolveClientAddress } from "../http/client-address.js";
import { sendJson } from "../http-json/send-json.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { A2UI_INDEX_PAGE, A2UI_RENDERER_SCRIPT } from "./a2ui-renderer.js";
import { canvasClientScript, injectCanvasClient } from "./canvas-client-script.js";
import { canvasContentType, lookupCanvasFile } from "./canvas-files.js";
import {
  A2UI_PATH,
  CANVAS_HOST_PATH,
  LIVE_RELOAD_PATH,
  splitCapability,
  isUnder as under,
} from "./canvas-paths.js";

const A2UI_BUNDLES = new Set([`${A2UI_PATH}/a2ui.bundle.js`, `${A2UI_PATH}/a2ui-v0.9.bundle.js`]);

/** How the HTTP layer lets the canvas routes use its shared checks. */
export interface CanvasRequestGate {
  /** The Host/Origin check of every route; true when it refused (and answered). */
  refuseForeign(opaqueOriginAllowed: boolean): boolean;
  /** `Authorization: Bearer` with the gateway credential. */
  authorize(): Promise<GatewayError | undefined>;
  refuse(error: GatewayError): void;
}

/**
 * On a loopback-bound gateway a local browser needs no credential, as in OpenClaw; a request that came through a
 * proxy (forwarding headers, Tailscale) or to a gateway bound beyond loopback must prove itself.
 */
function isLocalOnlyRequest(request: IncomingMessage, runtime: GatewayRuntime): boolean {
  const config = runtime.configState.config.gateway;
  if (!isLoopbackHost(runtime.bind.host) || config.tailscale.mode !== "off") return false;
  if (request.headers["x-forwarded-for"] !== undefined || request.headers.forwarded !== undefined)
    return false;
  return isLoopbackAddress(resolveClientAddress(request, config.trustedProxies));
}

/**
 * Canvas responses run in a CSP sandbox (an opaque origin): a page an agent wrote cannot read the Control UI's
 * storage or call the gateway with its credential, though it is served from the gateway's origin. Only the gateway's
 * own pages (the Control UI's Canvas panel) may frame it.
 */
function canvasHeaders(contentType: string, length: number): Record<string, string | number> {
  return {
    "content-type": contentType,
    "content-length": length,
    "cache-control": "no-store",
    "content-security-policy": "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
}

const A2UI_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join("; ");

function queryOf(request: IncomingMessage): string {
  const url = request.url ?? "";
  return url.includes("?") ? url.slice(url.indexOf("?")) : "";
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  response.end(`${text}\n`);
}

/** Serves the canvas folder, the A2UI renderer and live reload, each also under a capability prefix. */
export async function handleCanvasRequest(
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
  gate: CanvasRequestGate,
): Promise<void> {
  const { capability, rest } = splitCapability(path);
  const liveReload = rest === LIVE_RELOAD_PATH;
  if (gate.refuseForeign(liveReload)) return;
  const host = runtime.canvasHost;
  const settings = host.settings();
  if (!settings.enabled) {
    request.resume();
    sendJson(response, 404, {
      error: {
        code: "NOT_FOUND",
        message:
          "the canvas host is off: set plugins.entries.canvas.config.host.enabled to true (and unset OPENCLAW_SKIP_CANVAS_HOST)",
      },
    });
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    request.resume();
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
    response.end("the canvas host answers GET and HEAD\n");
    return;
  }
  if (capability !== undefined) {
    if (!host.capabilities.verify(capability)) {
      sendJson(response, 401, {
        error: {
          code: "UNAUTHORIZED",
          message: "canvas capability unknown or expired: ask for a fresh one with plugin.surface.refresh",
        },
      });
      return;
    }
  } else if (!isLocalOnlyRequest(request, runtime)) {
    const error = await gate.authorize();
    if (error) {
      gate.refuse(error);
      return;
    }
  }
  if (liveReload) {
    if (!settings.liveReload) sendText(response, 404, "live reload is off (canvasHost.liveReload)");
    else if (!host.liveReload.subscribe(response, settings.root))
      sendText(response, 503, "too many pages follow live reload: close some canvas tabs");
    return;
  }
  if (under(rest, A2UI_PATH)) {
    serveA2ui(rest, request, response);
    return;
  }
  if (!under(rest, CANVAS_HOST_PATH)) {
    sendText(response, 404, "not found");
    return;
  }
  await serveCanvasFile(rest.slice(CANVAS_HOST_PATH.length), request, response, settings);
}

function serveA2ui(path: string, request: IncomingMessage, response: ServerResponse): void {
  const page = path === A2UI_PATH || path === `${A2UI_PATH}/` || path === `${A2UI_PATH}/index.html`;
  if (!page && !A2UI_BUNDLES.has(path)) {
    sendText(response, 404, "not found");
    return;
  }
  if (path === A2UI_PATH) {
    response.writeHead(308, { location: `${request.url?.split("?")[0] ?? A2UI_PATH}/${queryOf(request)}` });
    response.end();
    return;
  }
  const body = Buffer.from(page ? A2UI_INDEX_PAGE : A2UI_RENDERER_SCRIPT);
  const headers = canvasHeaders(
    page ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8",
    body.length,
  );
  // The renderer page runs only the gateway's own script (it sets text, never HTML), so it keeps the gateway's
  // origin and may read the JSONL file it names; a strict CSP instead of the sandbox keeps anything else out.
  if (page) headers["content-security-policy"] = A2UI_PAGE_CSP;
  response.writeHead(200, headers);
  response.end(request.method === "HEAD" ? undefined : body);
}

async function serveCanvasFile(
  rawRelative: string,
  request: IncomingMessage,
  response: ServerResponse,
  settings: { root: string; liveReload: boolean },
): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(rawRelative.replace(/^\//, ""));
  } catch {
    sendText(response, 400, "malformed URL");
    return;
  }
  const found =
    rawRelative === "" ? ({ kind: "redirect" } as const) : await lookupCanvasFile(settings.root, relative);
  if (found.kind === "redirect") {
    response.writeHead(308, { location: `${request.url?.split("?")[0] ?? ""}/${queryOf(request)}` });
    response.end();
    return;
  }
  if (found.kind === "too-large") {
    sendText(response, 413, `the file is ${found.size} bytes, over the canvas host's 16 MiB limit`);
    return;
  }
  if (found.kind === "missing") {
    sendText(response, 404, `not found in the canvas folder (${rawRelative || "/"})`);
    return;
  }
  const type = canvasContentType(found.path);
  if (type.startsWith("text/html")) {
    const html = injectCanvasClient(
      await readFile(found.path, "utf8"),
      canvasClientScript({ liveReload: settings.liveReload }),
    );
    const body = Buffer.from(html, "utf8");
    response.writeHead(200, canvasHeaders(type, body.length));
    response.end(request.method === "HEAD" ? undefined : body);
    return;
  }
  response.writeHead(200, canvasHeaders(type, found.size));
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(found.path, { end: Math.max(0, found.size - 1) });
    stream.on("error", () => {
      response.destroy();
      resolve();
    });
    stream.on("end", () => resolve());
    stream.pipe(response);
  });
}
