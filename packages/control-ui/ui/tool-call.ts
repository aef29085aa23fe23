/** `incomplete`: the run ended (or the history shows no result) without the tool answering. */
export type ToolCallStatus = "running" | "ok" | "error" | "incomplete";

/** One tool call as the chat shows it: a card built from `agent` tool events or from a `chat.history` row. */
export interface ToolCall {
  toolCallId: string;
  name: string;
  args?: unknown;
  /** The latest `update` while the tool runs; replaced by `result` when it ends. */
  partialResult?: unknown;
  result?: unknown;
  status: ToolCallStatus;
}

/** The `data` of an `agent` event with `stream: "tool"` (OpenClaw's phases). */
export interface ToolEvent {
  phase: "start" | "update" | "result";
  toolCallId: string;
  name: string;
  args?: unknown;
  partialResult?: unknown;
  result?: unknown;
  isError?: boolean;
}

/** The fields of a `chat.history` row a tool card uses (the gateway pairs call and result into one row). */
export interface ToolHistoryRow {
  toolCallId?: string;
  toolName?: string;
  args?: unknown;
  result?: unknown;
  isError?: boolean;
}

const PHASES = new Set(["start", "update", "result"]);

/** The tool event in an `agent` event's `data`, or undefined when it is not a well-formed one. */
export function parseToolEvent(data: unknown): ToolEvent | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const { phase, toolCallId, name } = record;
  if (typeof phase !== "string" || !PHASES.has(phase)) return undefined;
  if (typeof toolCallId !== "string" || toolCallId === "") return undefined;
  const event: ToolEvent = {
    phase: phase as ToolEvent["phase"],
    toolCallId,
    name: typeof name === "string" && name !== "" ? name : "tool",
  };
  if ("args" in record) event.args = record.args;
  if ("partialResult" in record) event.partialResult = record.partialResult;
  if ("result" in record) event.result = record.result;
  if (record.isError === true) event.isError = true;
  return event;
}

/** Adds or updates the card of the event's call in `calls`; returns true when something changed. */
export function applyToolEvent(calls: ToolCall[], event: ToolEvent): boolean {
  let call = calls.find((candidate) => candidate.toolCallId === event.toolCallId);
  if (call === undefined) {
    call = { toolCallId: event.toolCallId, name: event.name, status: "running" };
    calls.push(call);
  } else if (call.status !== "running" && event.phase !== "result") {
    // A late start or update cannot reopen a call that already answered.
    return false;
  }
  if (event.args !== undefined) call.args = event.args;
  if (event.phase === "update") call.partialResult = event.partialResult;
  if (event.phase === "result") {
    call.result = event.result;
    delete call.partialResult;
    call.status = event.isError ? "error" : "ok";
  }
  return true;
}

/** A call from a history row; `running` says whether its run may still answer (no assistant row yet). */
export function toolCallFromHistory(row: ToolHistoryRow, running: boolean): ToolCall | undefined {
  if (typeof row.toolCallId !== "string" || row.toolCallId === "") return undefined;
  const call: ToolCall = {
    toolCallId: row.toolCallId,
    name: row.toolName ?? "tool",
    status: "result" in row ? (row.isError ? "error" : "ok") : running ? "running" : "incomplete",
  };
  if ("args" in row) call.args = row.args;
  if ("result" in row) call.result = row.result;
  return call;
}

/** When a run ends, its calls still running will never answer. Returns true when one changed. */
export function settleRunningCalls(calls: readonly ToolCall[]): boolean {
  let changed = false;
  for (const call of calls) {
    if (call.status !== "running") continue;
    call.status = "incomplete";
    delete call.partialResult;
    changed = true;
  }
  return changed;
}

export const TOOL_STATUS_LABELS: Record<ToolCallStatus, string> = {
  running: "running",
  ok: "ok",
  error: "error",
  incomplete: "no result",
};

/** Args whose value says at a glance what a call does (`exec`'s command, `read`'s path, `web_fetch`'s url, ...). */
const SUMMARY_KEYS = [
  "command",
  "path",
  "file_path",
  "url",
  "query",
  "pattern",
  "action",
  "sessionKey",
  "message",
];
const SUMMARY_MAX_CHARS = 80;

/** One short line describing a call's args, for the collapsed card. */
export function toolCallSummary(args: unknown): string {
  if (args === undefined || args === null) return "";
  let text: string;
  if (typeof args === "string") {
    text = args;
  } else if (typeof args === "object" && !Array.isArray(args)) {
    const record = args as Record<string, unknown>;
    const key = SUMMARY_KEYS.find((candidate) => typeof record[candidate] === "string");
    text = key === undefined ? (JSON.stringify(args) ?? "") : String(record[key]);
    if (text === "{}") text = "";
  } else {
    text = JSON.stringify(args) ?? "";
  }
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > SUMMARY_MAX_CHARS ? `${line.slice(0, SUMMARY_MAX_CHARS - 1)}…` : line;
}

/** A value as readable text: strings as they are, anything else as indented JSON. */
export function formatToolPayload(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The first `limit` characters of `text` and how many are left out (0 when it fits). */
export function clipText(text: string, limit: number): { shown: string; hiddenChars: number } {
  if (text.length <= limit) return { shown: text, hiddenChars: 0 };
  return { shown: text.slice(0, limit), hiddenChars: text.length - limit };
}
