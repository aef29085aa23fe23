import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { messageJson, messageStream } from "./anthropic-messages.js";
import { FakeModelServerError } from "./fake-model-server-error.js";
import {
  type FakeApi,
  type FakeReply,
  lastUserText,
  type RecordedRequest,
  resolveReply,
} from "./fake-reply.js";
import { chatCompletionJson, chatCompletionStream } from "./openai-chat-completions.js";
import { createEmbeddingsRoute, EMBEDDINGS_PATH, type FakeEmbeddings } from "./openai-embeddings.js";
import { responsesJson, responsesStream } from "./openai-responses.js";
import {
  createTranscriptionsRoute,
  type FakeTranscriptions,
  TRANSCRIPTIONS_PATH,
} from "./openai-transcriptions.js";
import { providerErrorBody } from "./provider-errors.js";
import type { StreamPlan } from "./server-sent-events.js";
import { DEFAULT_WAIT_TIMEOUT_MS } from "./wait-timeout.js";

export interface FakeModelServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** What to put in a provider's `baseURL`: `${url}/v1` for all three APIs. */
  readonly baseUrlFor: (api: FakeApi) => string;
  /** Every completion request received, oldest first (also those refused for a missing API key). */
  readonly requests: RecordedRequest[];
  /** `POST /v1/embeddings` (OpenAI's shape, deterministic vectors): its own requests, failures and synonyms. */
  readonly embeddings: FakeEmbeddings;
  /** `POST /v1/audio/transcriptions` (OpenAI's multipart shape): the uploads received and the transcript answered. */
  readonly transcriptions: FakeTranscriptions;
  /** Replies consumed first in, first out, one per completion request, whatever its API. */
  enqueue(...replies: FakeReply[]): void;
  /** The reply used while the queue is empty; initially an echo: "You said: <last user text>". */
  setDefaultReply(reply: FakeReply | ((request: RecordedRequest) => FakeReply)): void;
  /** Resolves with the recorded requests once at least `count` arrived; rejects after `timeoutMs` (30 s). */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Forgets recorded requests and queued replies and restores the echo default (embeddings included). */
  reset(): void;
  /** Stops listening and ends every open response, hanging ones included. */
  close(): Promise<void>;
}

export interface FakeModelServerOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** When set, requests must carry it (`Authorization: Bearer` or `x-api-key`) or get 401 in the provider's shape. */
  apiKey?: string;
}

const ROUTES: Record<string, FakeApi> = {
  "/v1/chat/completions": "openai-completions",
  "/v1/responses": "openai-responses",
  "/v1/messages": "anthropic-messages",
};

const echoReply = (request: RecordedRequest): FakeReply => ({ text: `You said: ${lastUserText(request)}` });

interface Waiter {
  count: number;
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export async function startFakeModelServer(options: FakeModelServerOptions = {}): Promise<FakeModelServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  let defaultReply: (request: RecordedRequest) => FakeReply = echoReply;
  let waiters: Waiter[] = [];
  const openExchanges = new Set<AbortController>();
  const modelsSeen = new Set<string>(["fake-model"]);
  const embeddings = createEmbeddingsRoute();
  const transcriptions = createTranscriptionsRoute();

  const record = (request: RecordedRequest) => {
    requests.push(request);
    if (request.model) modelsSeen.add(request.model);
    waiters = waiters.filter((waiter) => {
      if (requests.length < waiter.count) return true;
      clearTimeout(waiter.timer);
      waiter.resolve([...requests]);
      return false;
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname.replace(/\/+$/, "");
    // Multipart audio: the route reads the body itself, as bytes.
    if (req.method === "POST" && path === TRANSCRIPTIONS_PATH) {
      const answer = await transcriptions.answer(req, isAuthorized(req, options.apiKey));
      if (answer.delayMs && !(await wait(answer.delayMs, signal))) return;
      if (typeof answer.body === "string") {
        res.writeHead(answer.status, { "content-type": "text/plain; charset=utf-8" });
        return res.end(answer.body);
      }
      return sendJson(res, answer.status, answer.body);
    }
    const rawBody = await readBody(req);
    const api = ROUTES[path];
    if (req.method === "GET" && path === "/v1/models") {
      if (!isAuthorized(req, options.apiKey)) return sendJson(res, 401, providerErrorBody("openai", 401));
      return sendJson(res, 200, modelList(modelsSeen));
    }
    if (req.method === "POST" && path === EMBEDDINGS_PATH) {
      const answer = embeddings.answer(req, parseLeniently(rawBody), isAuthorized(req, options.apiKey));
      return sendJson(res, answer.status, answer.body);
    }
    if (req.method !== "POST" || api === undefined) {
      return sendJson(res, 404, providerErrorBody("openai", 404, `Invalid URL (${req.method} ${req.url})`));
    }
    const body = parseLeniently(rawBody);
    const request: RecordedRequest = {
      api,
      path,
      headers: { ...req.headers },
      body,
      model: typeof body?.model === "string" ? body.model : "",
      stream: body?.stream === true,
      receivedAt: Date.now(),
    };
    record(request);
    if (!isAuthorized(req, options.apiKey)) {
      return sendJson(res, 401, providerErrorBody(api, 401, "invalid x-api-key"), requestIdHeader(api));
    }
    const reply = queue.shift() ?? defaultReply(request);
    if (reply.delayMs && !(await wait(reply.delayMs, signal))) return;
    if (reply.status !== undefined && reply.status >= 400) {
      const headers = requestIdHeader(api);
      if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
      return sendJson(res, reply.status, providerErrorBody(api, reply.status), headers);
    }
    const resolved = resolveReply(reply, request);
    const context = { model: request.model, body: isObject(body) ? body : {} };
    if (!request.stream) {
      // A hanging non-streamed answer never sends headers: the client waits until it aborts or the server closes.
      if (reply.hang) return;
      const json =
        api === "openai-completions"
          ? chatCompletionJson(resolved, { ...context, includeUsage: false })
          : api === "openai-responses"
            ? responsesJson(resolved, context)
            : messageJson(resolved, context);
      return sendJson(res, 200, json, requestIdHeader(api));
    }
    const plan: StreamPlan =
      api === "openai-completions"
        ? chatCompletionStream(resolved, {
            ...context,
            includeUsage: wantsUsage(context.body),
          })
        : api === "openai-responses"
          ? responsesStream(resolved, context)
          : messageStream(resolved, context);
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      ...requestIdHeader(api),
    });
    res.flushHeaders();
    const frames = reply.hang ? plan.content : [...plan.content, ...plan.ending];
    for (const [index, frame] of frames.entries()) {
      if (index > 0 && reply.chunkDelayMs && !(await wait(reply.chunkDelayMs, signal))) return;
      if (signal.aborted) return;
      res.write(frame);
    }
    if (!reply.hang) res.end();
  };

  const server = createServer((req, res) => {
    const exchange = new AbortController();
    openExchanges.add(exchange);
    res.on("close", () => {
      exchange.abort();
      openExchanges.delete(exchange);
    });
    exchange.signal.addEventListener("abort", () => {
      if (!res.writableEnded) res.destroy();
    });
    handle(req, res, exchange.signal).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      sendJson(res, 500, providerErrorBody("openai", 500, `Fake model server failed: ${String(error)}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    baseUrlFor: () => `${url}/v1`,
    requests,
    embeddings: embeddings.controller,
    transcriptions: transcriptions.controller,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setDefaultReply: (reply) => {
      defaultReply = typeof reply === "function" ? reply : () => reply;
    },
    waitForRequests: (count, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) => {
      if (requests.length >= count) return Promise.resolve([...requests]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter.timer !== timer);
          reject(
            new FakeModelServerError(
              "WAIT_TIMEOUT",
              `Waited ${timeoutMs} ms for ${count} request(s) but the fake model server got ${requests.length}: ` +
                `point the client's baseURL at ${url}/v1 or raise the timeout.`,
            ),
          );
        }, timeoutMs);
        waiters.push({ count, resolve, reject, timer });
      });
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      defaultReply = echoReply;
      embeddings.controller.reset();
      transcriptions.controller.reset();
    },
    close: async () => {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(
          new FakeModelServerError(
            "SERVER_CLOSED",
            `The fake model server closed after ${requests.length} of ${waiter.count} awaited request(s): await waitForRequests before close().`,
          ),
        );
      }
      waiters = [];
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const exchange of openExchanges) exchange.abort();
      server.closeAllConnections();
      await closed;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

// Tests may send anything; a body that is not JSON is kept as text rather than refused.
function parseLeniently(raw: string): ReturnType<typeof JSON.parse> {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function wantsUsage(body: Record<string, unknown>): boolean {
  return isObject(body.stream_options) && body.stream_options.include_usage === true;
}

function isAuthorized(req: IncomingMessage, apiKey: string | undefined): boolean {
  if (apiKey === undefined) return true;
  const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return bearer === apiKey || req.headers["x-api-key"] === apiKey;
}

function requestIdHeader(api: FakeApi): Record<string, string> {
  return api === "anthropic-messages"
    ? { "request-id": `req_${randomUUID().replaceAll("-", "")}` }
    : { "x-request-id": `req_${randomUUID().replaceAll("-", "")}` };
}

function modelList(models: Set<string>) {
  return {
    object: "list",
    data: [...models].map((id) => ({ id, object: "model", created: 0, owned_by: "openclaw-testing" })),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Resolves true after `ms`, or false as soon as the exchange is aborted (client gone or server closing). */
function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
