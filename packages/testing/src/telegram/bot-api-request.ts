import type { IncomingMessage } from "node:http";

export type BotApiParams = Record<string, unknown>;

/**
 * The Bot API takes parameters as a query string, a urlencoded form or JSON; grammY sends JSON. In the first two,
 * arrays and objects (entities, allowed_updates, reply_parameters) arrive JSON-serialised inside a string.
 */
export async function readParams(req: IncomingMessage, url: URL): Promise<BotApiParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  const params: BotApiParams = fromSearchParams(url.searchParams);
  const contentType = req.headers["content-type"] ?? "";
  if (raw === "") return params;
  if (contentType.includes("application/json")) return { ...params, ...parseJsonObject(raw) };
  if (contentType.includes("application/x-www-form-urlencoded")) {
    return { ...params, ...fromSearchParams(new URLSearchParams(raw)) };
  }
  return params;
}

function fromSearchParams(search: URLSearchParams): BotApiParams {
  const params: BotApiParams = {};
  for (const [key, value] of search) params[key] = /^\s*[[{]/.test(value) ? parseJsonValue(value) : value;
  return params;
}

function parseJsonObject(raw: string): BotApiParams {
  const value = parseJsonValue(raw);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as BotApiParams) : {};
}

function parseJsonValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

export function asString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

export function asBoolean(value: unknown): boolean {
  return value === true || value === "true" || value === "1";
}

export function asRecord(value: unknown): BotApiParams | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as BotApiParams)
    : undefined;
}

export function asList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}
