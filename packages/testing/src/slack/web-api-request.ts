import type { IncomingMessage } from "node:http";

export type WebApiParams = Record<string, unknown>;

/**
 * Slack's Web API takes a urlencoded form (what @slack/web-api sends; objects such as `blocks` arrive
 * JSON-serialised inside a string) or a JSON body.
 */
export async function readWebApiParams(req: IncomingMessage): Promise<WebApiParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return {};
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.includes("application/json")) {
    const value = parseJson(raw);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as WebApiParams)
      : {};
  }
  const params: WebApiParams = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = /^\s*[[{]/.test(value) ? parseJson(value) : value;
  }
  return params;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The token of `Authorization: Bearer <token>`, or of a `token` parameter (older clients). */
export function bearerToken(req: IncomingMessage, params: WebApiParams): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice("Bearer ".length);
  return typeof params.token === "string" ? params.token : undefined;
}

export function asString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** One Web API answer: Slack answers HTTP 200 with `{ ok: false, error }` for almost every failure. */
export type WebApiReply = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

export const okReply = (body: Record<string, unknown> = {}): WebApiReply => ({
  status: 200,
  body: { ok: true, ...body },
});

export const errorReply = (error: string, status = 200): WebApiReply => ({
  status,
  body: { ok: false, error },
});
