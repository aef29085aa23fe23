import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentRunResult } from "@openclaw/agent";
import { type AuthRateLimiter, createAuthRateLimiter } from "../auth/auth-rate-limiter.js";
import type { ChatTurn, ChatTurnRequest } from "../chat/chat-service.js";
import type { HooksConfig } from "../config/hooks-config-schema.js";
import { createLogger, type LogRecord } from "../logging/logger.js";
import { createHookHandler, type HookHandlerDeps } from "./hook-handler.js";

export const HOOK_TOKEN = "hook-secret-0123456789abcdef";

/**
 * Stands in for ChatService: `accept` resolves once the user message is "durable", which a test may hold back
 * (`holdWrites`) or fail (`failWrites`); `start` answers at once and reports a failed write through `done`, as
 * ChatService does. Records each admitted turn and lets the test decide when a run ends.
 */
export class FakeChat {
  readonly starts: ChatTurnRequest[] = [];
  /** What happened, in order: "written" when a message became durable. Tests append their own marks. */
  readonly events: string[] = [];
  /** While set, every durable write fails with it, as a full disk would; nothing is admitted. */
  failWrites: Error | undefined;
  #held: { resolve: () => void }[] = [];
  #holding = false;
  readonly #finishers = new Map<string, (result: AgentRunResult) => void>();

  /** Writes wait until {@link releaseWrites}. */
  holdWrites(): void {
    this.#holding = true;
  }

  get heldWrites(): number {
    return this.#held.length;
  }

  releaseWrites(): void {
    this.#holding = false;
    for (const write of this.#held.splice(0)) write.resolve();
  }

  async accept(request: ChatTurnRequest): Promise<ChatTurn> {
    if (this.#holding) await new Promise<void>((resolve) => this.#held.push({ resolve }));
    if (this.failWrites) throw this.failWrites;
    this.starts.push(request);
    this.events.push("written");
    const runId = request.runId ?? `run-${this.starts.length}`;
    const done = new Promise<AgentRunResult>((resolve) => this.#finishers.set(runId, resolve));
    return { runId, sessionKey: request.sessionKey, deduped: false, done };
  }

  start(request: ChatTurnRequest): ChatTurn {
    const runId = request.runId ?? `run-${this.starts.length + 1}`;
    const accepted = this.accept({ ...request, runId });
    const done = accepted.then(
      (turn) => turn.done,
      (error: Error): AgentRunResult => ({
        runId,
        sessionKey: request.sessionKey,
        status: "error",
        text: "",
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        error: { code: "TRANSCRIPT_WRITE_FAILED", message: error.message },
      }),
    );
    return { runId, sessionKey: request.sessionKey, deduped: false, done };
  }

  finish(runId: string, text = "done"): void {
    const request = this.starts.find((start) => start.runId === runId);
    this.#finishers.get(runId)?.({
      runId,
      sessionKey: request?.sessionKey ?? "",
      status: "ok",
      text,
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    });
  }
}

export interface Harness {
  url: string;
  chat: FakeChat;
  limiter: AuthRateLimiter;
  logs: LogRecord[];
  setConfig(config: HooksConfig | undefined): void;
}

const servers: Server[] = [];

/** Closes every harness server; call from afterEach. */
export async function closeHarnesses(): Promise<void> {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
}

export async function startHarness(
  config: HooksConfig = { enabled: true, token: HOOK_TOKEN },
  extra: Partial<HookHandlerDeps> = {},
): Promise<Harness> {
  let current: HooksConfig | undefined = config;
  const chat = new FakeChat();
  const logs: LogRecord[] = [];
  const limiter = createAuthRateLimiter({
    maxAttempts: 3,
    windowMs: 60_000,
    lockoutMs: 60_000,
    exemptLoopback: false,
  });
  const handler = createHookHandler({
    config: () => current,
    chat,
    rateLimiter: limiter,
    logger: createLogger({ level: "debug", sinks: [(record) => logs.push(record)] }),
    ...extra,
  });
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    void handler.handle(path, request, response).then((handled) => {
      if (handled) return;
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("router: no route");
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    chat,
    limiter,
    logs,
    setConfig: (next) => {
      current = next;
    },
  };
}

export interface HookResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON the hook answered
  json: any;
}

/** POSTs `body` (JSON unless a string) with the hook token, unless other headers are given. */
export async function post(
  harness: Harness,
  path: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${HOOK_TOKEN}` },
): Promise<HookResponse> {
  const response = await fetch(`${harness.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text.startsWith("{") ? JSON.parse(text) : text,
  };
}
