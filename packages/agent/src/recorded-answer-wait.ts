import { setTimeout as delay } from "node:timers/promises";
import { type RecordedTurn, readRecordedTurn, recordedResult, unansweredResult } from "./recorded-turn.js";
import type { AgentRunResult, TranscriptSink } from "./types.js";

/** How often a retry waiting on a run of another process reads the transcript for its answer. */
const ANSWER_POLL_MS = 250;

export interface RecordedAnswerWait {
  transcripts: TranscriptSink;
  /** Whether another process holds the session now (see `AgentRuntimeOptions.sessionHeldElsewhere`). */
  heldElsewhere: (sessionKey: string) => Promise<boolean>;
  /** The retry's own run deadline: it waits no longer than a run of its own would have taken. */
  timeoutMs: number;
  /** Aborted when the runtime closes: the wait ends with what the transcript holds. */
  signal: AbortSignal;
  /** Set by `resumeUnanswered`: a run that ended there without an answer is run again here. */
  resume?: (turn: RecordedTurn) => Promise<AgentRunResult>;
}

/**
 * The result of a recorded run that has not answered yet. While another process holds the session, the run may still
 * be going there: the transcript is read until its answer is in. Only the session seen free on two reads in a row
 * means the run was cut off, as the process that accepted the message takes the session just after its user entry
 * is durable, and a run appends its answer before it lets the session go.
 */
export async function awaitRecordedAnswer(
  turn: RecordedTurn,
  idempotencyKey: string,
  o: RecordedAnswerWait,
): Promise<AgentRunResult> {
  const deadline = Date.now() + o.timeoutMs;
  let current = turn;
  let freeReads = 0;
  while (!o.signal.aborted) {
    const held = await o.heldElsewhere(turn.sessionKey).catch(() => true);
    // Read after the lease: an answer is durable before the lease is released.
    const read = await readRecordedTurn(o.transcripts, turn.sessionKey, idempotencyKey).then(
      (found) => ({ found }),
      () => undefined,
    );
    current = read?.found ?? current;
    if (current.answer) break;
    freeReads = held || read === undefined ? 0 : freeReads + 1;
    if (freeReads >= 2) break;
    if (Date.now() >= deadline) return notAnsweredInTime(current, o.timeoutMs);
    await delay(ANSWER_POLL_MS, undefined, { signal: o.signal, ref: false }).catch(() => undefined);
  }
  const unanswered = !current.answer || current.answer.isError === true;
  if (unanswered && o.resume && !o.signal.aborted) return o.resume(current);
  return recordedResult(current);
}

function notAnsweredInTime(turn: RecordedTurn, timeoutMs: number): AgentRunResult {
  return unansweredResult(turn, {
    code: "TIMEOUT",
    message: `the run of this message on another gateway instance had not answered after ${Math.round(timeoutMs / 1000)} s; its answer will be in the session's history (chat.history)`,
  });
}
