import type { IncomingMessage } from "node:http";
import { parseMultipart } from "./multipart.js";

export type BotApiParams = Record<string, unknown>;

/** A file sent in a multipart request, in place of the parameter that named it. */
export class UploadedFilePart {
  constructor(
    readonly field: string,
    readonly bytes: Uint8Array,
    readonly fileName: string,
    readonly contentType: string,
  ) {}
}

/** Telegram's limit for one upload is 50 MB; a little more covers the multipart framing. */
export const MAX_REQUEST_BYTES = 52 * 1024 * 1024;

export class RequestTooLargeError extends Error {
  constructor() {
    super(`the request body is larger than ${MAX_REQUEST_BYTES} bytes`);
    this.name = "RequestTooLargeError";
  }
}

/**
 * The Bot API takes parameters as a query string, a urlencoded form, JSON or multipart/form-data (uploads); grammY
 * sends JSON, or multipart when a parameter is a file. Outside JSON, arrays and objects (entities,
 * allowed_updates, reply_parameters) arrive JSON-serialised inside a string. A file parameter either is the file
 * part itself or says `attach://<part name>`; both become an {@link UploadedFilePart}.
 */
export async function readParams(req: IncomingMessage, url: URL): Promise<BotApiParams> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).byteLength;
    if (total > MAX_REQUEST_BYTES) throw new RequestTooLargeError();
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const params: BotApiParams = fromSearchParams(url.searchParams);
  const contentType = req.headers["content-type"] ?? "";
  if (body.byteLength === 0) return params;
  if (contentType.includes("multipart/form-data")) return { ...params, ...fromMultipart(body, contentType) };
  const raw = body.toString("utf8");
  if (contentType.includes("application/json")) return { ...params, ...parseJsonObject(raw) };
  if (contentType.includes("application/x-www-form-urlencoded")) {
    return { ...params, ...fromSearchParams(new URLSearchParams(raw)) };
  }
  return params;
}

function fromMultipart(body: Buffer, contentType: string): BotApiParams {
  const params: BotApiParams = {};
  const files = new Map<string, UploadedFilePart>();
  for (const part of parseMultipart(body, contentType)) {
    if (part.fileName === undefined) {
      const value = part.data.toString("utf8");
      params[part.name] = /^\s*[[{]/.test(value) ? parseJsonValue(value) : value;
      continue;
    }
    const file = new UploadedFilePart(
      part.name,
      new Uint8Array(part.data),
      part.fileName,
      part.contentType ?? "application/octet-stream",
    );
    files.set(part.name, file);
    params[part.name] ??= file;
  }
  const attachedParts = new Set<string>();
  for (const [key, value] of Object.entries(params)) {
    const attached = typeof value === "string" ? /^attach:\/\/(.+)$/.exec(value)?.[1] : undefined;
    const file = attached === undefined ? undefined : files.get(attached);
    if (attached === undefined || file === undefined) continue;
    params[key] = new UploadedFilePart(key, file.bytes, file.fileName, file.contentType);
    attachedParts.add(attached);
  }
  for (const name of attachedParts) delete params[name];
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
