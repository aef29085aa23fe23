import type { z } from "zod";
import type { AgentRuntimeConfig } from "./config-schema.js";
import type { AgentObserver } from "./observation.js";

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What kind of media an attachment is (the same names as `@openclaw/plugin-sdk`'s `MediaKind`). */
export type AttachmentKind = "image" | "audio" | "voice" | "video" | "document" | "sticker";

/**
 * A stored media item a user entry refers to. The file itself lives in the gateway's media store; the transcript
 * keeps only this reference (and, for audio, the transcript the model read).
 */
export interface TranscriptMedia {
  kind: AttachmentKind;
  /** Absolute path of the stored file. */
  path: string;
  mimeType: string;
  fileName?: string;
  sizeBytes: number;
  /** For a voice note or audio: what the transcriber heard. */
  transcript?: string;
}

export interface TranscriptEntry {
  role: "user" | "assistant" | "tool" | "system" | "summary";
  text: string;
  /** On a user entry: the media sent with the message, by reference. */
  media?: TranscriptMedia[];
  ts: number;
  runId?: string;
  toolCallId?: string;
  toolName?: string;
  args?: unknown;
  result?: unknown;
  isError?: boolean;
  usage?: TokenUsage;
  model?: string;
  /** On a user entry written by `accept`: the caller's key, so a retry after a restart finds the run it started. */
  idempotencyKey?: string;
}

/** Where transcripts live; the gateway backs it with the session store's JSONL files. */
export interface TranscriptSink {
  read(sessionKey: string): Promise<TranscriptEntry[]>;
  /**
   * At least the entries a retry under `idempotencyKey` needs (its user entries and every entry of their runs, the
   * resumes included), oldest first; more is fine. Without it, a keyed `accept` reads the whole transcript.
   */
  readTurn?(sessionKey: string, idempotencyKey: string): Promise<TranscriptEntry[]>;
  append(sessionKey: string, entry: TranscriptEntry): Promise<void>;
}

export interface ToolContext {
  sessionKey: string;
  runId: string;
  /** The agent the run belongs to (the request's `agentId`, else the one named in the session key, else "main"). */
  agentId: string;
  /** The provider's id of this call; "" when the tool is invoked outside a model turn (e.g. `/tools/invoke`). */
  toolCallId: string;
  signal: AbortSignal;
  /** Streams a partial result as an `agent` event (stream "tool", phase "update"); a no-op outside a run. */
  update(partial: unknown): void;
}

/** What a tool's result becomes for the model when it is not plain JSON (e.g. an image to look at). */
export type ToolModelOutput =
  | { type: "text"; value: string }
  | { type: "json"; value: unknown }
  | {
      type: "content";
      value: ({ type: "text"; text: string } | { type: "image-data"; data: string; mediaType: string })[];
    };

export interface AgentTool {
  name: string;
  description: string;
  /** A zod 4 object schema describing the arguments. */
  parameters: z.ZodType;
  execute(args: unknown, ctx: ToolContext): Promise<unknown>;
  /**
   * Turns the result into what the model sees; by default the result as JSON. `read` and `view_image` use it to hand
   * an image to a vision-capable model instead of base64 text.
   */
  toModelOutput?(result: unknown): ToolModelOutput;
}

export interface ToolRegistry {
  /** Adds a tool; returns a function that removes it again. */
  register(tool: AgentTool): () => void;
  list(): AgentTool[];
  get(name: string): AgentTool | undefined;
}

export type QueueMode = "followup" | "collect" | "steer";

/**
 * One media item of the message. An image (or a still sticker) reaches a vision-capable model as an image part of
 * the user message and any other model as a short note; every other kind reaches the model through the message
 * text, where the gateway has already folded its transcript or extracted text.
 */
export interface RunAttachment extends TranscriptMedia {
  /** The image's bytes (or base64) when the caller holds them; otherwise they are read from `path` when needed. */
  data?: Uint8Array | string;
}

export interface AgentRunRequest {
  sessionKey: string;
  agentId?: string;
  message: string;
  /** Media sent with the message; recorded on the user entry by reference (never by content). */
  attachments?: RunAttachment[];
  /** `<provider>/<model>`; overrides the agent's model. */
  model?: string;
  /**
   * The thinking level for this run (OpenClaw's levels: off ... ultra, or `none`/`auto`); overrides the session's
   * and the configured default. Reaches only models that reason; a word that is no level is ignored.
   */
  thinking?: string;
  queueMode?: QueueMode;
  timeoutMs?: number;
  runId?: string;
  /** Stateless run: this history is the context, and no transcript is read or written. */
  ephemeral?: { history: TranscriptEntry[] };
  /** Appended to the agent's system prompt for this run. */
  systemPrompt?: string;
  /** Only read by `accept`: recorded on the user entry and looked up before a new run is started. */
  idempotencyKey?: string;
  /**
   * Only read by `accept`: when the transcript holds the idempotency key but its run ended without an answer (cut off,
   * or with a failed answer) and runs nowhere now, the message runs again under a new run id (`<run id>:resume-<n>`)
   * instead of reporting RUN_INTERRUPTED / RUN_FAILED. The recorded user entry is reused (it is not written again);
   * the new answer is appended. For a message replayed after a takeover, whose sender never got an answer. While
   * another process holds the session (`sessionHeldElsewhere`) the accept is a dedupe that waits for that run; if it
   * ends without an answer, the message runs here then and `done` reports that run (under its own run id).
   */
  resumeUnanswered?: boolean;
}

export interface AcceptedRun extends AgentRunHandle {
  /** True when the session's transcript already held the idempotency key: no new run was started. */
  deduped: boolean;
  /** True when a recorded message that had no answer runs again (`resumeUnanswered`): `runId` is the new run's. */
  resumed?: boolean;
}

export type AgentRunStream = "lifecycle" | "assistant" | "tool" | "error";

export interface AgentRunEvent {
  runId: string;
  sessionKey: string;
  /** Per run, from 0, without gaps. */
  seq: number;
  stream: AgentRunStream;
  ts: number;
  data: Record<string, unknown>;
}

export type AgentRunStatus = "ok" | "aborted" | "error";

export interface AgentRunResult {
  runId: string;
  sessionKey: string;
  status: AgentRunStatus;
  text: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number; toolCalls?: number };
  model?: string;
  /** The thinking level the run asked its model for (after request, session and configured defaults). */
  thinkingLevel?: string;
  stopReason?: string;
  error?: { code: string; message: string };
}

export interface AgentRunHandle {
  runId: string;
  sessionKey: string;
  /** Settles when the run ends; never rejects. */
  done: Promise<AgentRunResult>;
}

export interface ModelListing {
  id: string;
  name: string;
  provider: string;
  contextWindow?: number;
  available: boolean;
  unavailableReason?: "missing-auth";
}

export interface ResolvedModelRef {
  provider: string;
  model: string;
  ref: string;
  /** Whether a thinking level reaches the model (its entry's `reasoning`, else a known reasoning model). */
  reasoning?: boolean;
}

export interface RunSnapshot {
  status: "queued" | "running" | "done";
  result?: AgentRunResult;
}

export interface AgentLogger {
  debug(message: string, fields?: object): void;
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  error(message: string, fields?: object): void;
}

export interface RetryOptions {
  maxRetries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** What the host knows about a run before the model is called. */
export interface RunPreparationInput {
  runId: string;
  sessionKey: string;
  agentId: string;
  request: AgentRunRequest;
  /** The registry's tools, before any policy. */
  tools: AgentTool[];
}

/** The host's say over one run: its system prompt (workspace, skills, ...) and the tools policy lets it offer. */
export interface RunPreparation {
  /** Replaces the configured system prompt; the request's own `systemPrompt` is still appended. */
  systemPrompt?: string;
  /** The tools the model is offered in this run; a tool left out is never described to the model. */
  tools?: AgentTool[];
}

/**
 * Model provider credentials the host knows beyond the config's literal keys: SecretRefs in
 * `models.providers.<id>.apiKey`, and OpenClaw's auth profiles (`auth.order`, the agent's profile store).
 */
export interface ProviderCredentials {
  /** The secret a SecretRef names; undefined when it cannot be resolved (the provider then counts as keyless). */
  resolveRef(ref: { source: string; provider?: string; id: string }): string | undefined;
  /** The key of the first usable auth profile for this provider and agent, in `auth.order`; undefined: none. */
  profileKey(providerId: string, agentId: string): string | undefined;
}

export interface AgentRuntimeOptions {
  getConfig: () => AgentRuntimeConfig;
  /** SecretRefs and auth profiles; without it only literal keys, `${ENV}` references and env variables work. */
  credentials?: ProviderCredentials;
  /** Called once per run before the first model call. A throw fails the run with its message. */
  prepareRun?: (input: RunPreparationInput) => RunPreparation | Promise<RunPreparation>;
  /**
   * The `<provider>/<model>` a session is pinned to (`sessions.patch` model, the `/model` command), used when the
   * request names none; undefined follows the agent's configured model.
   */
  sessionModel?: (sessionKey: string) => Promise<string | undefined>;
  /**
   * The thinking level a session stored (`/think`, `sessions.patch` thinkingLevel), used when the request sets none;
   * undefined follows the agent's `thinkingDefault`.
   */
  sessionThinkingLevel?: (sessionKey: string) => Promise<string | undefined>;
  /**
   * Runs each run's work inside a scope of the integrator's (e.g. an AsyncLocalStorage context naming the run, so
   * every log line written during the run names it). Called when the run leaves its queue: a run started after the
   * previous one finished must not inherit that run's async context.
   */
  runScope?: <T>(run: { runId: string; sessionKey: string }, work: () => T) => T;
  /**
   * Holds the session beyond this process for each run (several gateways sharing one store): taken when the run
   * leaves its queue, released when it ends. A run that cannot take it fails with UNAVAILABLE.
   */
  sessionLock?: SessionLock;
  /**
   * Whether another process holds the session now (the lease `sessionLock` takes). A retried idempotency key whose
   * run has no answer yet then waits for that answer (bounded by the run timeout) instead of reporting the run
   * interrupted: it may be running there. Unset: such a run is reported interrupted at once.
   */
  sessionHeldElsewhere?: (sessionKey: string) => Promise<boolean>;
  transcripts: TranscriptSink;
  env?: NodeJS.ProcessEnv;
  tools?: ToolRegistry;
  logger?: AgentLogger;
  now?: () => number;
  retry?: RetryOptions;
  /** Model calls, tool calls and run timings for metrics, traces and the usage ledger; nothing when unset. */
  observe?: AgentObserver;
}

export interface AgentRuntime {
  readonly tools: ToolRegistry;
  /** Returns at once; runs of one session execute one at a time, in order. */
  submit(request: AgentRunRequest): AgentRunHandle;
  /**
   * Like `submit`, but resolves only once the user's message is durable in the session's transcript, together with
   * its run id and idempotency key; the run itself does not write it again. A key the transcript already holds
   * starts nothing and answers with the run that wrote it. Rejects (and runs nothing) when the write fails.
   */
  accept(request: AgentRunRequest): Promise<AcceptedRun>;
  /** Aborts active and queued runs matching; returns how many. */
  abort(o: { sessionKey?: string; runId?: string }): number;
  isActive(sessionKey: string): boolean;
  /** The run of the session that is running now (not one waiting behind it); undefined when none is. */
  activeRunId(sessionKey: string): string | undefined;
  getRun(runId: string): RunSnapshot | undefined;
  listModels(): ModelListing[];
  /** Throws {@link AgentError} NO_PROVIDER_CONFIGURED or MODEL_NOT_FOUND. */
  resolveModel(ref?: string, agentId?: string): ResolvedModelRef;
  on(listener: (event: AgentRunEvent) => void): () => void;
  close(): Promise<void>;
}

/**
 * Holds a session for one run beyond this process (e.g. a lease in a database shared by several gateways), so two
 * instances never run one session at once. Resolves with the release once held; rejects when it cannot be held
 * (the signal aborted, the store unreachable).
 */
export type SessionLock = (
  run: { runId: string; sessionKey: string },
  signal: AbortSignal,
) => Promise<() => Promise<void>>;
