import type { ChatHistoryContentBlock, ChatHistoryMessage } from "@openclaw/protocol";
import type { TranscriptEntry } from "@openclaw/sessions";

/** What OpenClaw caps a history text at; tool arguments and results get the same cap unless the caller asks another. */
export const HISTORY_TOOL_PAYLOAD_MAX_CHARS = 8_000;

/**
 * The message rows OpenClaw's `chat.history` / `chat.startup` / `sessions.get` send (protocol `ChatHistoryMessage`):
 * its transcript's message objects (`role`, `content` blocks, `timestamp`), with the gateway's bookkeeping under
 * `__openclaw`. OpenClaw's clients render `content` blocks: `text`, and `toolCall` blocks inside an assistant
 * message, answered by a `toolResult` message carrying `toolCallId`, `toolName`, `content` and `isError`.
 */
export type OpenClawHistoryMessage = ChatHistoryMessage;
export type OpenClawContentBlock = ChatHistoryContentBlock;
type OpenClawHistoryMeta = ChatHistoryMessage["__openclaw"];

export interface OpenClawHistoryOptions {
  /** Position of `entries[0]` in the whole transcript, so `seq` and `id` stay the same across pages. */
  firstSeq?: number;
  /** `chat.history`'s `maxChars`: caps texts, tool arguments and results (default cap for the tool payloads). */
  maxChars?: number;
}

/**
 * Our transcript entries as OpenClaw's history messages. We write a tool call as two `role: "tool"` entries (the
 * call with `args`, then its result); OpenClaw writes an assistant message whose content holds `toolCall` blocks,
 * then one `toolResult` message per call. Calls written back to back (one model step asking for several tools)
 * become one assistant message with several blocks, as OpenClaw's transcripts show them.
 */
export function openClawHistoryMessages(
  entries: readonly TranscriptEntry[],
  options: OpenClawHistoryOptions = {},
): OpenClawHistoryMessage[] {
  const firstSeq = options.firstSeq ?? 0;
  const payloadCap = options.maxChars ?? HISTORY_TOOL_PAYLOAD_MAX_CHARS;
  const messages: OpenClawHistoryMessage[] = [];
  let openCalls: OpenClawHistoryMessage | undefined;
  entries.forEach((entry, index) => {
    const meta = metaOf(entry, firstSeq + index);
    if (isToolCall(entry)) {
      const block: OpenClawContentBlock = {
        type: "toolCall",
        id: entry.toolCallId,
        name: stringOr(entry.toolName, "tool"),
        arguments: capPayload(entry.args ?? {}, payloadCap),
      };
      if (openCalls !== undefined && openCalls.__openclaw.runId === meta.runId) {
        openCalls.content.push(block);
        return;
      }
      openCalls = {
        role: "assistant",
        content: [block],
        timestamp: entry.ts,
        stopReason: "toolUse",
        __openclaw: meta,
      };
      messages.push(openCalls);
      return;
    }
    openCalls = undefined;
    messages.push(messageOf(entry, meta, options.maxChars, payloadCap));
  });
  return messages;
}

/** Plain text of a history message: its text blocks joined (what a client shows when it shows no blocks). */
export function openClawMessageText(message: { content?: unknown }): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter(
      (block): block is { type: "text"; text: string } =>
        typeof block === "object" &&
        block !== null &&
        block.type === "text" &&
        typeof block.text === "string",
    )
    .map((block) => block.text)
    .join("\n");
}

type ToolCallEntry = TranscriptEntry & { toolCallId: string };

function isToolCall(entry: TranscriptEntry): entry is ToolCallEntry {
  return (
    entry.role === "tool" && typeof entry.toolCallId === "string" && "args" in entry && !("result" in entry)
  );
}

function messageOf(
  entry: TranscriptEntry,
  meta: OpenClawHistoryMeta,
  maxChars: number | undefined,
  payloadCap: number,
): OpenClawHistoryMessage {
  const text = capText(entry.text, maxChars);
  switch (entry.role) {
    case "tool":
      return {
        role: "toolResult",
        content: [{ type: "text", text: toolResultText(entry.result, entry.text, payloadCap) }],
        timestamp: entry.ts,
        toolCallId: stringOr(entry.toolCallId, ""),
        toolName: stringOr(entry.toolName, "tool"),
        isError: entry.isError === true,
        __openclaw: meta,
      };
    case "assistant":
      return assistantMessage(entry, text, meta);
    case "summary":
      return {
        role: "system",
        content: [{ type: "text", text }],
        timestamp: entry.ts,
        __openclaw: { ...meta, kind: "compaction" },
      };
    case "user": {
      const message: OpenClawHistoryMessage = {
        role: "user",
        content: [{ type: "text", text }],
        timestamp: entry.ts,
        __openclaw: meta,
      };
      if (Array.isArray(entry.media) && entry.media.length > 0) {
        message.media = entry.media as NonNullable<OpenClawHistoryMessage["media"]>;
      }
      return message;
    }
    default:
      return { role: "system", content: [{ type: "text", text }], timestamp: entry.ts, __openclaw: meta };
  }
}

function assistantMessage(
  entry: TranscriptEntry,
  text: string,
  meta: OpenClawHistoryMeta,
): OpenClawHistoryMessage {
  const message: OpenClawHistoryMessage = {
    role: "assistant",
    content: text === "" ? [] : [{ type: "text", text }],
    timestamp: entry.ts,
    stopReason: entry.isError === true ? "error" : "stop",
    __openclaw: meta,
  };
  if (entry.isError === true) message.isError = true;
  if (typeof entry.model === "string") Object.assign(message, splitModelRef(entry.model));
  const usage = tokenUsage(entry.usage);
  if (usage) message.usage = usage;
  return message;
}

function tokenUsage(value: unknown): OpenClawHistoryMessage["usage"] {
  if (typeof value !== "object" || value === null) return undefined;
  const { inputTokens, outputTokens, cacheRead, cacheWrite, cost } = value as Record<string, unknown>;
  if (typeof inputTokens !== "number" || typeof outputTokens !== "number") return undefined;
  const usage: NonNullable<OpenClawHistoryMessage["usage"]> = {
    input: inputTokens,
    output: outputTokens,
    totalTokens: inputTokens + outputTokens,
  };
  // OpenClaw's `input` is the uncached part; the entry's inputTokens counts cached tokens too.
  if (typeof cacheRead === "number") usage.cacheRead = cacheRead;
  if (typeof cacheWrite === "number") usage.cacheWrite = cacheWrite;
  usage.input = Math.max(0, inputTokens - (usage.cacheRead ?? 0) - (usage.cacheWrite ?? 0));
  // The turn's cost as the agent wrote it (OpenClaw's `usage.cost`); absent for a model without a price.
  if (isTurnCost(cost)) usage.cost = cost;
  return usage;
}

function isTurnCost(
  value: unknown,
): value is NonNullable<NonNullable<OpenClawHistoryMessage["usage"]>["cost"]> {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return ["input", "output", "cacheRead", "cacheWrite", "total"].every(
    (field) => typeof record[field] === "number" && Number.isFinite(record[field]),
  );
}

/** A tool result as OpenClaw's text block: strings as they are, anything else as its JSON; capped like args. */
function toolResultText(result: unknown, fallback: string, cap: number): string {
  if (result === undefined) return fallback;
  const capped = capPayload(result, cap);
  return typeof capped === "string" ? capped : (JSON.stringify(capped) ?? fallback);
}

function metaOf(entry: TranscriptEntry, seq: number): OpenClawHistoryMeta {
  const meta: OpenClawHistoryMeta = { id: `entry-${seq}`, seq };
  if (typeof entry.runId === "string") meta.runId = entry.runId;
  if (typeof entry.idempotencyKey === "string") meta.idempotencyKey = entry.idempotencyKey;
  return meta;
}

function capText(text: string, maxChars: number | undefined): string {
  return maxChars !== undefined && text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

/** A value as is when its JSON fits the cap; otherwise its JSON cut at the cap, with the note a reader needs. */
export function capPayload(value: unknown, maxChars: number): unknown {
  if (value === undefined) return value;
  const json = typeof value === "string" ? value : JSON.stringify(value);
  if (json === undefined || json.length <= maxChars) return value;
  return `${json.slice(0, maxChars)}\n…[truncated in history: ${maxChars} of ${json.length} characters shown]`;
}

/**
 * The assistant message a `chat` event carries, in OpenClaw's shape: every `delta` carries the whole text so far
 * and the `final` the answer (OpenClaw's TUI reads only this, not `deltaText`). `model` is our `provider/model` ref.
 */
export function openClawAssistantMessage(
  text: string,
  timestamp: number,
  model?: string,
): {
  role: "assistant";
  content: OpenClawContentBlock[];
  timestamp: number;
  provider?: string;
  model?: string;
} {
  const message: ReturnType<typeof openClawAssistantMessage> = {
    role: "assistant",
    content: [{ type: "text", text }],
    timestamp,
  };
  if (model !== undefined) Object.assign(message, splitModelRef(model));
  return message;
}

/** We record a model as one `provider/model` ref; OpenClaw's messages name the two apart. */
function splitModelRef(ref: string): { provider?: string; model: string } {
  const slash = ref.indexOf("/");
  return slash > 0 ? { provider: ref.slice(0, slash), model: ref.slice(slash + 1) } : { model: ref };
}
