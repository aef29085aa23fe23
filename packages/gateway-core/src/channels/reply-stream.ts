import type { AgentRunEvent } from "@openclaw/agent";
import type { Logger } from "../logging/logger.js";
import type { DraftTransport } from "./draft-message.js";
import type { ReplyStreaming } from "./reply-streaming-config.js";

/**
 * What a reply does while its run streams, and how the final answer lands: into the draft it grew in, after the
 * blocks already sent, or on its own.
 */
export interface ReplyStream {
  /** One event of the run (assistant text, tool calls). */
  onEvent(event: AgentRunEvent): void;
  /** Delivers the final answer's text; only what the chat does not already show is sent. */
  finish(text: string): Promise<void>;
  /**
   * The run ended without an answer to deliver: `aborted` and `failed` leave what was shown (the record of the
   * turn), `empty` removes a draft where the platform can.
   */
  stop(outcome: "aborted" | "failed" | "empty"): Promise<void>;
}

export interface ReplyStreamContext {
  streaming: ReplyStreaming;
  maxTextLength: number;
  now: () => number;
  logger: Logger;
  /** The chat's message, for drafts; absent on a platform without edits. */
  draft?: DraftTransport;
  /**
   * Sends chunks (each within the platform's limit) as ordinary messages; `replyToMessage` makes the first one a
   * reply to the inbound message (only the reply's first message is). Throws `DeliveryError`.
   */
  send(chunks: string[], o: { replyToMessage: boolean }): Promise<void>;
  /** Called after a draft write (the chat's last-outbound time). */
  onWrite(): void;
  /** The text to show for the reply so far: without `MEDIA:` lines (those are delivered as files). */
  visibleText(text: string): string;
  /** `humanDelay`: waits a random while before each block reply after the first; absent: no pause. */
  pauseBetweenBlocks?(): Promise<void>;
}

const MEDIA_PREFIX = "MEDIA:";

/**
 * Holds back a last line that may still become a `MEDIA:` directive ("MED" while the model types it), so that
 * what a draft or a block shows only ever grows.
 */
export function withoutPendingDirective(text: string): string {
  const lineStart = text.lastIndexOf("\n") + 1;
  const line = text.slice(lineStart).trimStart();
  if (line === "") return text;
  const head = line.slice(0, MEDIA_PREFIX.length).toUpperCase();
  return MEDIA_PREFIX.startsWith(head) ? text.slice(0, lineStart) : text;
}

/** The assistant text of an event so far (the run sends the whole text with every delta). */
export function assistantTextOf(event: AgentRunEvent): string | undefined {
  if (event.stream !== "assistant") return undefined;
  return typeof event.data.text === "string" ? event.data.text : undefined;
}

/** A short line for a tool call, or undefined for other events. Arguments are never shown (they may hold secrets). */
export function toolLineOf(event: AgentRunEvent): { id: string; line: string; done: boolean } | undefined {
  if (event.stream !== "tool") return undefined;
  const name = typeof event.data.name === "string" ? event.data.name : undefined;
  const id = typeof event.data.toolCallId === "string" ? event.data.toolCallId : name;
  if (name === undefined || id === undefined) return undefined;
  if (event.data.phase === "start") return { id, line: `🛠️ ${name}`, done: false };
  if (event.data.phase === "result") {
    return { id, line: `${event.data.isError === true ? "⚠️" : "✅"} ${name}`, done: true };
  }
  return undefined;
}
