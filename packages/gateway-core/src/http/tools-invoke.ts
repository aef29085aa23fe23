import type { IncomingMessage, ServerResponse } from "node:http";
import { type GatewayError, LIMITS } from "@openclaw/protocol";
import { z } from "zod";
import { ToolInvokeError, type ToolInvokeErrorCode } from "../agent-tools/tool-host/tool-invoke-error.js";
import { sendJson } from "../http-json/send-json.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { OpenAiHttpError, readJsonBody } from "./openai-http-support.js";

/** OpenClaw's default body limit of `POST /tools/invoke`. */
export const TOOLS_INVOKE_MAX_BODY_BYTES = 2 * 1024 * 1024;

const id = z.string().min(1).max(LIMITS.idChars);

/** OpenClaw's request body (docs: gateway/tools-invoke-http-api.md); `name` wins over `tool`. */
const ToolsInvokeBodySchema = z.looseObject({
  tool: id.optional(),
  name: id.optional(),
  action: id.optional(),
  args: z.record(z.string().max(LIMITS.idChars), z.unknown()).optional(),
  sessionKey: z.string().min(1).max(LIMITS.keyChars).optional(),
  agentId: id.optional(),
  idempotencyKey: id.optional(),
  /** Reserved by OpenClaw for later use; ignored there too. */
  dryRun: z.boolean().optional(),
});

/** OpenClaw's status and `error.type` for each way a call can fail. */
const FAILURES: Record<ToolInvokeErrorCode, { status: number; type: string }> = {
  INVALID_REQUEST: { status: 400, type: "invalid_request" },
  NOT_FOUND: { status: 404, type: "not_found" },
  INVALID_ARGUMENTS: { status: 400, type: "tool_error" },
  DENIED: { status: 403, type: "tool_call_blocked" },
  TOOL_ERROR: { status: 400, type: "tool_error" },
  TOOL_FAILED: { status: 500, type: "tool_error" },
};

function sendFailure(response: ServerResponse, error: ToolInvokeError): void {
  const { status, type } = FAILURES[error.code];
  sendJson(response, status, {
    ok: false,
    error: {
      type,
      message: error.message,
      code: error.code,
      ...(error.details ? { details: error.details } : {}),
    },
  });
}

function sendAuthFailure(response: ServerResponse, error: GatewayError): void {
  if (error.detailCode === "AUTH_RATE_LIMITED") {
    sendJson(
      response,
      429,
      { error: { message: error.message, type: "rate_limited" } },
      { "retry-after": String(Math.ceil((error.retryAfterMs ?? 0) / 1000)) },
    );
    return;
  }
  if (error.code === "UNAVAILABLE") {
    sendJson(response, 503, { error: { message: error.message, type: "unavailable" } });
    return;
  }
  sendJson(
    response,
    401,
    { error: { message: error.message, type: "unauthorized" } },
    { "www-authenticate": 'Bearer realm="openclaw"' },
  );
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text && text.length <= LIMITS.idChars ? text : undefined;
}

async function readBody(request: IncomingMessage, response: ServerResponse): Promise<unknown> {
  try {
    return await readJsonBody(request, TOOLS_INVOKE_MAX_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof OpenAiHttpError)) throw error;
    const message =
      error.status === 413
        ? `request body exceeds the ${TOOLS_INVOKE_MAX_BODY_BYTES}-byte limit of POST /tools/invoke`
        : error.message;
    sendJson(
      response,
      error.status,
      { error: { message, type: "invalid_request_error" } },
      error.status === 413 ? { connection: "close" } : {},
    );
    return undefined;
  }
}

/**
 * `POST /tools/invoke`: one tool call without a model turn. Same Bearer auth and failed-auth limiter as the other HTTP
 * routes, JSON bodies only (a form post needs no CORS preflight), the agent's tool policy plus the HTTP deny list.
 * A tool the policy does not offer answers 404, as in OpenClaw.
 */
export async function handleToolsInvoke(
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
  checks: { authorize: () => Promise<GatewayError | undefined>; isJsonBody: boolean },
): Promise<void> {
  if (request.method !== "POST") {
    request.resume();
    response.writeHead(405, { allow: "POST", "content-type": "text/plain; charset=utf-8" });
    response.end("Method Not Allowed");
    return;
  }
  if (!checks.isJsonBody) {
    request.resume();
    sendJson(response, 415, {
      ok: false,
      error: {
        type: "invalid_request",
        message: 'send the request body as JSON with "Content-Type: application/json"',
      },
    });
    return;
  }
  const authError = await checks.authorize();
  if (authError) {
    request.resume();
    sendAuthFailure(response, authError);
    return;
  }
  await runtime.toolsReady?.();
  const host = runtime.toolHost;
  if (!host) {
    request.resume();
    sendJson(response, 503, {
      ok: false,
      error: { type: "unavailable", message: "this gateway runs no tool host" },
    });
    return;
  }
  const raw = await readBody(request, response);
  if (raw === undefined) return;
  const parsed = ToolsInvokeBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join(".");
    sendFailure(
      response,
      new ToolInvokeError(
        "INVALID_REQUEST",
        `invalid request body${where ? ` at ${where}` : ""}: ${issue?.message}`,
      ),
    );
    return;
  }
  const body = parsed.data;
  const controller = new AbortController();
  const abortOnDisconnect = () => {
    if (!response.writableEnded) controller.abort(new Error("the HTTP client went away"));
  };
  response.once("close", abortOnDisconnect);
  try {
    const channel = header(request, "x-openclaw-message-channel")?.toLowerCase();
    const accountId = header(request, "x-openclaw-account-id");
    const outcome = await host.invoke({
      name: body.name ?? body.tool ?? "",
      ...(body.args ? { args: body.args } : {}),
      ...(body.action ? { action: body.action } : {}),
      ...(body.sessionKey ? { sessionKey: body.sessionKey } : {}),
      ...(body.agentId ? { agentId: body.agentId } : {}),
      ...(channel ? { channel } : {}),
      ...(accountId ? { accountId } : {}),
      signal: controller.signal,
      surface: "http",
    });
    if (controller.signal.aborted) return;
    sendJson(response, 200, { ok: true, result: outcome.result });
  } catch (error) {
    if (controller.signal.aborted) return;
    if (error instanceof ToolInvokeError) sendFailure(response, error);
    else {
      runtime.logger.warn("tools invoke failed", {
        error: error instanceof Error ? error.message : String(error),
      });
      sendFailure(response, new ToolInvokeError("TOOL_FAILED", "tool execution failed"));
    }
  } finally {
    response.off("close", abortOnDisconnect);
  }
}
