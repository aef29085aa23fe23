import type { IncomingMessage, ServerResponse } from "node:http";
import { GatewayError } from "@openclaw/protocol";
import { checkBrowserRequest } from "../auth/host-policy.js";
import { rateLimitedError, verifyCredential } from "../auth/verify-credential.js";
import { isCanvasHostPath } from "../canvas/canvas-paths.js";
import { sendJson } from "../http-json/send-json.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { isFromTrustedProxy, resolveClientAddress } from "./client-address.js";
import { handleChatCompletions } from "./openai-chat-completions.js";
import { OpenAiHttpError, sendOpenAiError } from "./openai-http-support.js";
import { handleModels } from "./openai-models.js";
import { handleResponses } from "./openai-responses.js";
import { handleProbe } from "./probes.js";
import { handlePrometheusRoute, PROMETHEUS_PATH } from "./prometheus-route.js";
import { handleToolsInvoke } from "./tools-invoke.js";

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

/**
 * Checks `Authorization: Bearer <token or password>` against the gateway's current credential. Every failure
 * counts against the caller's address in the same limiter the WebSocket handshake uses.
 */
async function authorizeHttp(
  request: IncomingMessage,
  runtime: GatewayRuntime,
  o: { operatorDeviceToken?: boolean } = {},
): Promise<GatewayError | undefined> {
  const address = resolveClientAddress(request, runtime.configState.config.gateway.trustedProxies);
  // Reserved before the first await, so parallel requests cannot all be checked inside one window.
  const attempt = runtime.rateLimiter.attempt(address);
  if (!attempt.allowed) {
    runtime.diagnostics?.emit({ type: "http.auth_failure", outcome: "locked_out" });
    return rateLimitedError(attempt.retryAfterMs);
  }
  try {
    await runtime.configState.refresh();
    const credential = await runtime.resolveCredential();
    const presented = bearerToken(request);
    verifyCredential(credential, { token: presented, password: presented });
  } catch (error) {
    const presented = bearerToken(request);
    if (o.operatorDeviceToken && presented !== undefined && runtime.devices?.isOperatorToken(presented)) {
      attempt.succeed();
      return undefined;
    }
    runtime.diagnostics?.emit({ type: "http.auth_failure", outcome: "auth_failed" });
    const next = attempt.fail();
    if (!next.allowed) return rateLimitedError(next.retryAfterMs);
    return error instanceof GatewayError
      ? forHttp(error)
      : new GatewayError("INVALID_REQUEST", "unauthorized");
  }
  attempt.succeed();
  return undefined;
}

/** The shared credential check tells a WebSocket client to fill in `connect`; an HTTP caller needs the header. */
const HTTP_MISSING_CREDENTIAL: Record<string, string> = {
  AUTH_TOKEN_MISSING: 'unauthorized: send the gateway token as "Authorization: Bearer <token>"',
  AUTH_PASSWORD_MISSING: 'unauthorized: send the gateway password as "Authorization: Bearer <password>"',
};

function forHttp(error: GatewayError): GatewayError {
  const message = error.detailCode === undefined ? undefined : HTTP_MISSING_CREDENTIAL[error.detailCode];
  if (message === undefined) return error;
  return new GatewayError(error.code, message, { details: { code: error.detailCode } });
}

function sendAuthError(response: ServerResponse, error: GatewayError): void {
  const limited = error.detailCode === "AUTH_RATE_LIMITED";
  const headers: Record<string, string> = limited
    ? { "retry-after": String(Math.ceil((error.retryAfterMs ?? 0) / 1000)) }
    : { "www-authenticate": 'Bearer realm="openclaw"' };
  sendJson(
    response,
    limited ? 429 : error.code === "UNAVAILABLE" ? 503 : 401,
    { error: error.toShape() },
    headers,
  );
}

/**
 * DNS rebinding and cross-site requests: a Host that is not one of the gateway's names is answered 421, and a
 * browser request (one with an Origin) from a foreign origin 403, before any route, body or credential is read.
 */
function refuseForeignBrowser(
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
  opaqueOriginAllowed = false,
): boolean {
  // A sandboxed canvas page (origin "null") may follow live reload; every other browser request needs a real origin.
  const { host, origin } = request.headers;
  const verdict = checkBrowserRequest(
    opaqueOriginAllowed && origin === "null" ? { host } : { host, origin },
    runtime.hostPolicy(),
    isFromTrustedProxy(request, runtime.configState.config.gateway.trustedProxies),
  );
  if (verdict.ok) return false;
  runtime.logger.warn("refused a request from a foreign host or origin", {
    host: request.headers.host,
    origin: request.headers.origin,
    address: request.socket.remoteAddress,
  });
  request.resume();
  sendJson(
    response,
    verdict.status,
    { error: { code: "FORBIDDEN", message: verdict.reason } },
    { connection: "close" },
  );
  return true;
}

/** HTTP routes served on the gateway port beside the WebSocket endpoint. */
export async function handleHttpRequest(
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
): Promise<void> {
  try {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    // Probes come from orchestrators that name the pod or container address as Host; they reveal only ok/status.
    if (await handleProbe(path, request, response, runtime)) return;
    if (isCanvasHostPath(path)) {
      const { handleCanvasRequest } = await import("../canvas/canvas-http.js");
      await handleCanvasRequest(path, request, response, runtime, {
        refuseForeign: (opaqueOriginAllowed) =>
          refuseForeignBrowser(request, response, runtime, opaqueOriginAllowed),
        authorize: () => authorizeHttp(request, runtime),
        refuse: (error) => sendAuthError(response, error),
      });
      return;
    }
    if (refuseForeignBrowser(request, response, runtime)) return;
    if (await runtime.hooks.handle(path, request, response)) return;
    if (path === "/v1/health" || path === "/health") {
      if (request.method !== "GET" && request.method !== "HEAD") {
        sendJson(
          response,
          405,
          { error: { code: "INVALID_REQUEST", message: "use GET" } },
          { allow: "GET, HEAD" },
        );
        return;
      }
      const authError = await authorizeHttp(request, runtime);
      if (authError) {
        sendAuthError(response, authError);
        return;
      }
      sendJson(response, 200, { status: "ok" });
      return;
    }
    if (path === PROMETHEUS_PATH) {
      await handlePrometheusRoute(request, response, runtime, {
        authorize: () => authorizeHttp(request, runtime),
        refuse: (error) => sendAuthError(response, error),
      });
      return;
    }
    if (path === "/tools/invoke") {
      await handleToolsInvoke(request, response, runtime, {
        authorize: () => authorizeHttp(request, runtime),
        isJsonBody: isJsonContentType(request.headers["content-type"]),
      });
      return;
    }
    if (path === "/v1/chat/completions" || path === "/v1/responses" || path === "/v1/models") {
      await handleOpenAiRoute(path, request, response, runtime);
      return;
    }
    const site = runtime.controlUiSite();
    if (site && path === `${site.basePath}/control-ui-config.json`) {
      // OpenClaw's Control UI asks with its operator device token once hello-ok gave it one (the settings hold no
      // secret); every other route takes only the gateway's own credential.
      const authError = await authorizeHttp(request, runtime, { operatorDeviceToken: true });
      if (authError) {
        sendAuthError(response, authError);
        return;
      }
      const { controlUiBootstrapConfig } = await import("./control-ui-bootstrap-config.js");
      sendJson(response, 200, controlUiBootstrapConfig(runtime, site));
      return;
    }
    if (site) {
      const { serveControlUi } = await import("./control-ui-static.js");
      // Browsers and tools ask the origin's root for /favicon.ico whatever the base path: answer with the UI's icon.
      const uiPath = path === "/favicon.ico" ? `${site.basePath}/favicon.ico` : path;
      if (await serveControlUi(request, response, uiPath, site)) return;
    }
    sendJson(response, 404, {
      error: {
        code: "NOT_FOUND",
        message: `no route for ${request.method} ${path}: the WebSocket API is on this port`,
      },
    });
  } catch (error) {
    runtime.logger.error("http request failed", {
      error: error instanceof Error ? error.message : String(error),
    });
    if (!response.headersSent)
      sendJson(response, 500, { error: { code: "INTERNAL", message: "internal error" } });
    else response.destroy();
  }
}

/**
 * The OpenAI-compatible endpoints: off unless enabled, Bearer auth with the gateway credential, errors in OpenAI's
 * JSON shape. `/v1/models` is served when either endpoint is on.
 */
async function handleOpenAiRoute(
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
): Promise<void> {
  try {
    const endpoints = runtime.httpEndpoints();
    const endpoint =
      path === "/v1/chat/completions"
        ? { ...endpoints.chatCompletions, setting: "chatCompletions", method: "POST" }
        : path === "/v1/responses"
          ? { ...endpoints.responses, setting: "responses", method: "POST" }
          : {
              enabled: endpoints.chatCompletions.enabled || endpoints.responses.enabled,
              maxBodyBytes: 0,
              setting: "chatCompletions",
              method: "GET",
            };
    if (!endpoint.enabled) {
      throw new OpenAiHttpError(
        404,
        `${path} is disabled: set gateway.http.endpoints.${endpoint.setting}.enabled to true to serve it`,
        { code: "endpoint_disabled" },
      );
    }
    if (request.method !== endpoint.method) {
      throw new OpenAiHttpError(405, `use ${endpoint.method} ${path}`, { code: "method_not_allowed" });
    }
    // Only JSON bodies: a cross-site form or text/plain POST needs no CORS preflight, so it must never start a turn.
    if (endpoint.method === "POST" && !isJsonContentType(request.headers["content-type"])) {
      request.resume();
      throw new OpenAiHttpError(415, `send the request body as JSON with "Content-Type: application/json"`, {
        code: "unsupported_media_type",
      });
    }
    const authError = await authorizeHttp(request, runtime);
    if (authError) {
      const limited = authError.detailCode === "AUTH_RATE_LIMITED";
      sendOpenAiError(
        response,
        new OpenAiHttpError(limited ? 429 : 401, authError.message, {
          type: limited ? "rate_limit_error" : "invalid_request_error",
          code: limited ? "rate_limited" : "invalid_api_key",
        }),
        limited ? { "retry-after": String(Math.ceil((authError.retryAfterMs ?? 0) / 1000)) } : {},
      );
      return;
    }
    if (path === "/v1/models") handleModels(response, runtime);
    else if (path === "/v1/chat/completions")
      await handleChatCompletions(request, response, runtime, endpoint.maxBodyBytes);
    else await handleResponses(request, response, runtime, endpoint.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof OpenAiHttpError)) throw error;
    if (!response.headersSent)
      sendOpenAiError(response, error, error.status === 413 ? { connection: "close" } : {});
    else response.end();
  }
}

function isJsonContentType(header: string | undefined): boolean {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json" || (type?.startsWith("application/") === true && type.endsWith("+json"));
}
