export type ChatEntryRole = "user" | "assistant";
export type ChatEntryStatus = "streaming" | "done" | "aborted" | "error";

export interface ChatEntry {
  role: ChatEntryRole;
  text: string;
  status: ChatEntryStatus;
  runId?: string;
  errorMessage?: string;
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

export interface HistoryMessageLike {
  role: string;
  text: string;
  runId?: string;
}

/**
 * One session's conversation as shown on the chat screen: history, the user's messages and assistant answers
 * built up from `chat` events. Events can arrive before `chat.send` answers with the run id, so while a send is
 * pending, events of runs not yet known are held per run and replayed when {@link trackRun} names it. (The gateway
 * sends every session's `chat` events to operators; holding them only while a send is pending bounds the memory.)
 */
export class ChatTranscript {
  readonly entries: ChatEntry[] = [];
  readonly #sessionKeys = new Set<string>();
  readonly #knownRuns = new Set<string>();
  readonly #heldEvents = new Map<string, ChatEventLike[]>();
  readonly #activeRuns = new Set<string>();
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
    for (const message of messages) {
      if (message.role !== "user" && message.role !== "assistant") continue;
      const entry: ChatEntry = { role: message.role, text: message.text, status: "done" };
      if (message.runId !== undefined) entry.runId = message.runId;
      this.entries.push(entry);
    }
  }

  /** Adds the user's message; call {@link trackRun} or {@link sendFailed} once `chat.send` answers. */
  addUserMessage(text: string): void {
    this.entries.push({ role: "user", text, status: "done" });
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
    if (!this.entries.some((entry) => entry.runId === runId)) {
      this.entries.push({ role: "assistant", text: "", status: "streaming", runId });
      this.#activeRuns.add(runId);
    }
    const held = this.#heldEvents.get(runId);
    this.#heldEvents.delete(runId);
    this.#settleSend();
    for (const event of held ?? []) this.apply(event);
    return held !== undefined;
  }

  /** Applies a `chat` event; returns true when the transcript changed. */
  apply(event: ChatEventLike): boolean {
    if (!this.#knownRuns.has(event.runId)) {
      if (!this.#sessionKeys.has(event.sessionKey)) {
        if (this.#pendingSends === 0) return false;
        const held = this.#heldEvents.get(event.runId) ?? [];
        held.push(event);
        this.#heldEvents.set(event.runId, held);
        return false;
      }
      this.#knownRuns.add(event.runId);
    }
    let entry = this.entries.find((candidate) => candidate.runId === event.runId);
    if (entry === undefined) {
      entry = { role: "assistant", text: "", status: "streaming", runId: event.runId };
      this.entries.push(entry);
    }
    if (entry.status !== "streaming") return false;
    if (event.state === "delta") {
      this.#activeRuns.add(event.runId);
      entry.text += event.deltaText ?? "";
      return true;
    }
    this.#activeRuns.delete(event.runId);
    const finalText = messageText(event.message);
    if (finalText !== undefined) entry.text = finalText;
    if (event.state === "final") entry.status = "done";
    else if (event.state === "aborted") entry.status = "aborted";
    else {
      entry.status = "error";
      entry.errorMessage = event.errorMessage ?? "the run failed";
    }
    return true;
  }
}

function messageText(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const text = (message as Record<string, unknown>).text;
  return typeof text === "string" ? text : undefined;
}
