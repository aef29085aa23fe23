import type { AgentRunRequest, AgentRunResult, TranscriptEntry } from "./types.js";

/** A user message the transcript already holds under an idempotency key, with what its run left behind. */
export interface RecordedTurn {
  runId: string;
  sessionKey: string;
  /** The run's assistant entry, when the run got that far. */
  answer: TranscriptEntry | undefined;
}

/** A request that `accept` has already made durable: the run must not append its user entry again. */
export interface RecordedRequest extends AgentRunRequest {
  recorded: Promise<void>;
}

export function isRecorded(request: AgentRunRequest): request is RecordedRequest {
  return (request as Partial<RecordedRequest>).recorded !== undefined;
}

/** The newest user entry carrying `idempotencyKey`, or undefined; the transcript is the durable index of keys. */
export function findRecordedTurn(
  sessionKey: string,
  transcript: TranscriptEntry[],
  idempotencyKey: string,
): RecordedTurn | undefined {
  const user = transcript.findLast(
    (entry) => entry.role === "user" && entry.idempotencyKey === idempotencyKey && entry.runId !== undefined,
  );
  const runId = user?.runId;
  if (runId === undefined) return undefined;
  const answer = transcript.findLast((entry) => entry.role === "assistant" && entry.runId === runId);
  return { runId, sessionKey, answer };
}

/**
 * The outcome of a run this process no longer knows (it ran before a restart), rebuilt from its transcript entries.
 * A run with no answer was cut off by the restart: it is reported, never run again.
 */
export function recordedResult(turn: RecordedTurn): AgentRunResult {
  const base = { runId: turn.runId, sessionKey: turn.sessionKey };
  const { answer } = turn;
  if (!answer) {
    return {
      ...base,
      status: "error",
      text: "",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      error: {
        code: "RUN_INTERRUPTED",
        message:
          "the gateway stopped while this run was in flight; the message is kept in the transcript: send it again with a new idempotencyKey to get an answer",
      },
    };
  }
  const inputTokens = answer.usage?.inputTokens ?? 0;
  const outputTokens = answer.usage?.outputTokens ?? 0;
  const result: AgentRunResult = {
    ...base,
    status: answer.isError ? "error" : "ok",
    text: answer.text,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
  };
  if (answer.model !== undefined) result.model = answer.model;
  if (answer.isError) result.error = { code: "RUN_FAILED", message: "the run ended early before a restart" };
  return result;
}

/** Drops the run's own user entries that were recorded before it started (the context adds the message itself). */
export function withoutOwnUserEntries(history: TranscriptEntry[], runId: string): TranscriptEntry[] {
  return history.filter((entry) => !(entry.role === "user" && entry.runId === runId));
}
