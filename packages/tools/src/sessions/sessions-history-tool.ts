import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import type { HistoryEntry, SessionsPort } from "../ports/sessions-port.js";
import { redactCredentials } from "./history-redaction.js";
import { refuseUnsupportedParams } from "./refuse-unsupported-params.js";
import { resolveCaller, resolveVisibleSession, type SessionToolsOptions } from "./session-tool-target.js";

/** Text of one message longer than this is cut, with a marker (OpenClaw's 4000 characters). */
export const HISTORY_TEXT_MAX_CHARS = 4_000;
/** The returned messages as JSON stay under this (OpenClaw's 80 KB); older ones are dropped first. */
export const HISTORY_MAX_BYTES = 80 * 1024;
/** Transcript entries looked at per call: the newest ones; older history is out of reach of one call. */
export const HISTORY_SCAN_ENTRIES = 2_000;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const TRUNCATION_MARKER = "\n…(truncated)…";
const OMITTED_ROW = "[sessions_history omitted: message too large]";

const SessionsHistorySchema = z.object({
  sessionKey: z.string().min(1).max(512).describe('Session key from sessions_list, or "current".'),
  limit: z
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .describe(`Newest messages to return (default ${DEFAULT_LIMIT}).`),
  offset: z
    .int()
    .min(0)
    .max(HISTORY_SCAN_ENTRIES)
    .optional()
    .describe("Messages to skip from the newest end; pass the returned nextOffset to page back."),
  includeTools: z.boolean().optional().describe("Include tool calls and results (default false)."),
});

const UNSUPPORTED = {
  messageId: "anchored history is not available; page with offset instead",
  sessionId: "anchored history is not available; page with offset instead",
  pendingBefore: "pending inputs are not tracked by this gateway",
};

/** A transcript entry as returned: `ts` as OpenClaw's `timestamp`, texts and payloads bounded. */
type HistoryMessage = Omit<HistoryEntry, "ts"> & { timestamp: number };

export function createSessionsHistoryTool(port: SessionsPort, options: SessionToolsOptions): AgentTool {
  return {
    name: "sessions_history",
    description:
      "Read the transcript of a session you can see (sessions_list gives keys). Returns the newest messages, tool calls only with includeTools; long texts are cut and credentials masked. Page back with offset/nextOffset.",
    parameters: SessionsHistorySchema,
    async execute(rawArgs, ctx) {
      refuseUnsupportedParams("sessions_history", rawArgs, UNSUPPORTED);
      const args = parseToolArgs("sessions_history", SessionsHistorySchema, rawArgs);
      const settings = options.settings(ctx.agentId);
      const caller = await resolveCaller(port, ctx);
      const target = await resolveVisibleSession(port, caller, settings, { sessionKey: args.sessionKey });
      if (!target.ok) return { status: target.status, error: target.error };
      const entries = await port.history(target.session.key, { limit: HISTORY_SCAN_ENTRIES });
      const wanted = args.includeTools ? entries : entries.filter((entry) => entry.role !== "tool");
      return {
        sessionKey: target.session.key,
        ...windowOf(wanted, {
          limit: args.limit ?? DEFAULT_LIMIT,
          offset: args.offset ?? 0,
          scanFull: entries.length >= HISTORY_SCAN_ENTRIES,
        }),
      };
    },
  };
}

function windowOf(entries: HistoryEntry[], o: { limit: number; offset: number; scanFull: boolean }) {
  const end = Math.max(0, entries.length - o.offset);
  const start = Math.max(0, end - o.limit);
  let contentTruncated = false;
  let contentRedacted = false;
  const views = entries.slice(start, end).map((entry) => {
    const view = toMessage(entry);
    contentTruncated ||= view.truncated;
    contentRedacted ||= view.redacted;
    return view.message;
  });
  // Newest first into the byte budget, so what is dropped is the oldest part of the window.
  const kept: HistoryMessage[] = [];
  let bytes = 2;
  let droppedMessages = false;
  for (let index = views.length - 1; index >= 0; index -= 1) {
    const message = views[index] as HistoryMessage;
    let size = jsonBytes(message) + 1;
    if (bytes + size <= HISTORY_MAX_BYTES) {
      kept.unshift(message);
      bytes += size;
      continue;
    }
    const placeholder: HistoryMessage = {
      role: message.role,
      text: OMITTED_ROW,
      timestamp: message.timestamp,
    };
    size = jsonBytes(placeholder) + 1;
    if (kept.length === 0 && bytes + size <= HISTORY_MAX_BYTES) {
      kept.unshift(placeholder);
      bytes += size;
      contentTruncated = true;
      continue;
    }
    droppedMessages = true;
    break;
  }
  const firstKept = end - kept.length;
  const hasMore = firstKept > 0 || o.scanFull;
  return {
    messages: kept,
    truncated: droppedMessages || contentTruncated,
    droppedMessages,
    contentTruncated,
    contentRedacted,
    bytes,
    offset: o.offset,
    hasMore,
    ...(hasMore ? { nextOffset: entries.length - firstKept } : {}),
  };
}

function toMessage(entry: HistoryEntry): { message: HistoryMessage; truncated: boolean; redacted: boolean } {
  const text = boundText(entry.text);
  let truncated = text.truncated;
  let redacted = text.redacted;
  const message: HistoryMessage = { role: entry.role, text: text.value, timestamp: entry.ts };
  if (entry.runId) message.runId = entry.runId;
  if (entry.toolName) message.toolName = entry.toolName;
  if (entry.toolCallId) message.toolCallId = entry.toolCallId;
  if (entry.isError) message.isError = true;
  if (entry.model) message.model = entry.model;
  for (const field of ["args", "result"] as const) {
    if (entry[field] === undefined) continue;
    const payload = boundPayload(entry[field]);
    message[field] = payload.value;
    truncated ||= payload.truncated;
    redacted ||= payload.redacted;
  }
  return { message, truncated, redacted };
}

function boundText(raw: string): { value: string; truncated: boolean; redacted: boolean } {
  const { text, redacted } = redactCredentials(raw);
  if (text.length <= HISTORY_TEXT_MAX_CHARS) return { value: text, truncated: false, redacted };
  return { value: `${text.slice(0, HISTORY_TEXT_MAX_CHARS)}${TRUNCATION_MARKER}`, truncated: true, redacted };
}

/** Tool args and results are kept as they are when small and clean, else as their (cut, masked) JSON text. */
function boundPayload(value: unknown): { value: unknown; truncated: boolean; redacted: boolean } {
  const json = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  const bounded = boundText(json);
  if (!bounded.truncated && !bounded.redacted) return { value, truncated: false, redacted: false };
  return bounded;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}
