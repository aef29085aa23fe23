import { type AttachmentChip, chipsFromHistory } from "./chat-attachments.js";
import { HeldToolEvents } from "./held-tool-events.js";
import {
  applyToolEvent,
  parseToolEvent,
  settleRunningCalls,
  type ToolCall,
  type ToolHistoryRow,
  toolCallFromHistory,
} from "./tool-call.js";

export type ChatEntryRole = "user" | "assistant";
export type ChatEntryStatus = "streaming" | "done" | "aborted" | "error";

export interface ChatEntry {
  role: ChatEntryRole;
  text: string;
  status: ChatEntryStatus;
  runId?: string;
  errorMessage?: string;
  /** The run's tool calls, shown above its answer (the transcript keeps one answer per run, after its tools). */
  tools?: ToolCall[];
  /** On a user message: the files sent with it. */
  attachments?: AttachmentChip[];
}

/** The fields of a `chat` event payload the transcript uses (protocol `ChatEvent`). */
export interface ChatEventLike {
  runId: string;
  sessionKey: string;
  state: "delta" | "final" | "aborted" | "error";
  deltaText?: string;
  message?: unknown;
  errorMessage?: string;
}

/** The fields of an `agent` event payload the transcript uses (protocol `AgentEvent`). */
export interface AgentEventLike {
  runId: string;
  stream: string;
  data: unknown;
  /** Sent by OpenClaw; without it the run is matched to this session through its `chat` events. */
  sessionKey?: string;
}

export interface HistoryMessageLike extends ToolHistoryRow {
  role: string;
  text: string;
  runId?: string;
  /** On a user row: references to the media sent with it. */
  media?: unknown;
}

/**
 * One session's conversation as shown on the chat screen: history, the user's messages and assistant answers
 * built up from `chat` events. Events can arrive before `chat.send` answers with the run id, so while a send is
 * pending, events of runs not yet known are held per run and replayed when {@link trackRun} names it. (The gateway
 * sends every session's `chat` events to operators; holding them only while a send is pending bounds the memory.)
 * Tool calls come from `agent` events, which may not name their session: those of unknown runs are held (bounded)
 * until a `chat` event or {@link trackRun} says the run is this session's.
 */
export class ChatTranscript {
  readonly entries: ChatEntry[] = [];
  readonly #sessionKeys = new Set<string>();
  readonly #knownRuns = new Set<string>();
  readonly #heldEvents = new Map<string, ChatEventLike[]>();
  readonly #activeRuns = new Set<string>();
  readonly #heldToolEvents = new HeldToolEvents();
  #pendingSends = 0;

  constructor(sessionKey: string) {
    this.#sessionKeys.add(sessionKey);
  }

  /** True while at least one assistant answer is still streaming. */
  get running(): boolean {
    return this.#activeRuns.size > 0;
  }

  /** The run to abort: the most recent one still streaming. */
  get activeRunId(): string | undefined {
    return [...this.#activeRuns].at(-1);
  }

  loadHistory(messages: readonly HistoryMessageLike[]): void {
    this.entries.length = 0;
    const answered = new Set<string>();
    for (const message of messages) {
      if (message.role === "assistant" && message.runId !== undefined) answered.add(message.runId);
    }
    // A run's tool rows come before its answer: they wait here for the answer's entry.
    const pendingTools = new Map<string, ChatEntry>();
    for (const message of messages) {
      if (message.role === "tool") {
        const running = message.runId !== undefined && !answered.has(message.runId);
        const call = toolCallFromHistory(message, running);
        if (call !== undefined)
          this.#historyToolEntry(message.runId, running, pendingTools).tools?.push(call);
        continue;
      }
      if (message.role !== "user" && message.role !== "assistant") continue;
      const waiting = message.runId === undefined ? undefined : pendingTools.get(message.runId);
      if (message.role === "assistant" && waiting !== undefined) {
        waiting.text = message.text;
        continue;
      }
      const entry: ChatEntry = { role: message.role, text: message.text, status: "done" };
      if (message.runId !== undefined) entry.runId = message.runId;
      const attachments = chipsFromHistory(message.media);
      if (attachments.length > 0) entry.attachments = attachments;
      this.entries.push(entry);
    }
  }

  /**
   * The entry a history tool row goes into: its run's answer-to-be, placed where the run's first tool call was. A run
   * with no answer yet is still streaming, so its live events continue it.
   */
  #historyToolEntry(runId: string | undefined, running: boolean, pending: Map<string, ChatEntry>): ChatEntry {
    const existing = runId === undefined ? undefined : pending.get(runId);
    if (existing !== undefined) return existing;
    const entry: ChatEntry = {
      role: "assistant",
      text: "",
      status: running ? "streaming" : "done",
      tools: [],
    };
    if (runId !== undefined) {
      entry.runId = runId;
      pending.set(runId, entry);
    }
    this.entries.push(entry);
    return entry;
  }

  /** Adds the user's message; call {@link trackRun} or {@link sendFailed} once `chat.send` answers. */
  addUserMessage(text: string, attachments: AttachmentChip[] = []): void {
    this.entries.push({
      role: "user",
      text,
      status: "done",
      ...(attachments.length > 0 ? { attachments } : {}),
    });
    this.#pendingSends += 1;
  }

  sendFailed(): void {
    this.#settleSend();
  }

  #settleSend(): void {
    this.#pendingSends = Math.max(0, this.#pendingSends - 1);
    if (this.#pendingSends === 0) this.#heldEvents.clear();
  }

  /**
   * Called with `chat.send`'s answer: from now on events of `runId` (and of its canonical session key, e.g.
   * `agent:main:main` for `main`) belong here. Returns true when held events were replayed.
   */
  trackRun(runId: string, canonicalSessionKey: string): boolean {
    this.#sessionKeys.add(canonicalSessionKey);
    this.#knownRuns.add(runId);
    if (!this.entries.some((entry) => entry.role === "assistant" && entry.runId === runId)) {
      this.entries.push({ role: "assistant", text: "", status: "streaming", runId });
      this.#activeRuns.add(runId);
    }
    const held = this.#heldEvents.get(runId);
    this.#heldEvents.delete(runId);
    this.#settleSend();
    for (const event of held ?? []) this.apply(event);
    const heldTools = this.#replayToolEvents(runId);
    return held !== undefined || heldTools;
  }

  /**
   * Applies an `agent` event: tool calls become cards on their run's answer. Returns true when the transcript
   * changed.
   */
  applyAgentEvent(event: AgentEventLike): boolean {
    if (event.stream !== "tool") return false;
    const tool = parseToolEvent(event.data);
    if (tool === undefined) return false;
    if (!this.#knownRuns.has(event.runId)) {
      if (event.sessionKey === undefined) {
        this.#heldToolEvents.hold(event.runId, tool);
        return false;
      }
      if (!this.#sessionKeys.has(event.sessionKey)) return false;
      this.#knownRuns.add(event.runId);
    }
    const entry = this.#runEntry(event.runId);
    entry.tools ??= [];
    return applyToolEvent(entry.tools, tool);
  }

  #replayToolEvents(runId: string): boolean {
    const held = this.#heldToolEvents.take(runId);
    if (held.length === 0) return false;
    const entry = this.#runEntry(runId);
    entry.tools ??= [];
    for (const tool of held) applyToolEvent(entry.tools, tool);
    return true;
  }

  /** The answer entry of a run of this session, created (streaming) when none exists yet. */
  #runEntry(runId: string): ChatEntry {
    // History gives the user's message its run id too: the answer is the assistant entry.
    let entry = this.entries.find((candidate) => candidate.role === "assistant" && candidate.runId === runId);
    if (entry === undefined) {
      entry = { role: "assistant", text: "", status: "streaming", runId };
      this.entries.push(entry);
    }
    return entry;
  }

  /** Applies a `chat` event; returns true when the transcript changed. */
  apply(event: ChatEventLike): boolean {
    let replayed = false;
    if (!this.#knownRuns.has(event.runId)) {
      if (!this.#sessionKeys.has(event.sessionKey)) {
        if (this.#pendingSends === 0) {
          this.#heldToolEvents.take(event.runId);
          return false;
        }
        const held = this.#heldEvents.get(event.runId) ?? [];
        held.push(event);
        this.#heldEvents.set(event.runId, held);
        return false;
      }
      this.#knownRuns.add(event.runId);
      replayed = this.#replayToolEvents(event.runId);
    }
    const entry = this.#runEntry(event.runId);
    if (entry.status !== "streaming") return replayed;
    if (event.state === "delta") {
      this.#activeRuns.add(event.runId);
      entry.text += event.deltaText ?? "";
      return true;
    }
    this.#activeRuns.delete(event.runId);
    const finalText = messageText(event.message);
    if (finalText !== undefined) entry.text = finalText;
    if (entry.tools !== undefined) settleRunningCalls(entry.tools);
    if (event.state === "final") entry.status = "done";
    else if (event.state === "aborted") entry.status = "aborted";
    else {
      entry.status = "error";
      entry.errorMessage = event.errorMessage ?? "the run failed";
    }
    return true;
  }
}

/** The text of a `chat` event's message: OpenClaw's `content` text blocks (or a plain `text`, as older gateways sent). */
function messageText(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const { content, text } = message as Record<string, unknown>;
  if (Array.isArray(content)) {
    return content
      .flatMap((block: unknown) => {
        const { type, text: blockText } = (block ?? {}) as Record<string, unknown>;
        return type === "text" && typeof blockText === "string" ? [blockText] : [];
      })
      .join("\n");
  }
  return typeof text === "string" ? text : undefined;
}
