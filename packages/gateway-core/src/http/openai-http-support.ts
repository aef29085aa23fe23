import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../http-json/send-json.js";

/** An error answered in OpenAI's JSON shape, so OpenAI clients surface it as they would OpenAI's own. */
export class OpenAiHttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  constructor(
    status: number,
    message: string,
    options: { type?: string; code?: string; param?: string } = {},
  ) {
    super(message);
    this.status = status;
    this.type = options.type ?? (status >= 500 ? "server_error" : "invalid_request_error");
    this.code = options.code ?? null;
    this.param = options.param ?? null;
  }

  toJSON() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function sendOpenAiJson(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  sendJson(response, status, body, headers);
}

export function sendOpenAiError(response: ServerResponse, error: OpenAiHttpError, headers = {}): void {
  sendOpenAiJson(response, error.status, error.toJSON(), headers);
}

/**
 * Reads a JSON request body, refusing more than `maxBytes` with 413 before buffering it all: the declared
 * Content-Length is checked first, then the bytes actually received.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers["content-length"]);
  const tooLarge = () =>
    new OpenAiHttpError(
      413,
      `request body exceeds the ${maxBytes}-byte limit (gateway.http.endpoints.*.maxBodyBytes)`,
      {
        code: "request_too_large",
      },
    );
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request) {
    received += (chunk as Buffer).length;
    if (received > maxBytes) {
      request.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new OpenAiHttpError(400, "request body is empty: send a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OpenAiHttpError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Server-sent events writer; `data:` lines only unless an event name is given. */
export function startEventStream(response: ServerResponse): {
  send(data: unknown, event?: string): void;
  end(): void;
} {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  response.flushHeaders();
  return {
    send(data, event) {
      const payload = typeof data === "string" ? data : JSON.stringify(data);
      response.write(`${event ? `event: ${event}\n` : ""}data: ${payload}\n\n`);
    },
    end() {
      response.end();
    },
  };
}
