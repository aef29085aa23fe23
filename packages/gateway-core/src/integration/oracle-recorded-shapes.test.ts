import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkServerFrame,
  hasRecordedShape,
  recordedShapeErrors,
  releaseParamsErrors,
  transcriptMessageErrors,
} from "./oracle.js";

interface Recording {
  answers: Record<string, unknown>;
  transcriptMessages: unknown[];
}

const recording = JSON.parse(
  readFileSync(new URL("./__fixtures__/openclaw-2026.9.6-recorded-answers.json", import.meta.url), "utf8"),
) as Recording;

describe("the recorded shapes describe what OpenClaw 2026.9.6 actually answers", () => {
  const recorded = Object.keys(recording.answers).filter(hasRecordedShape);

  it("covers the recorded methods", () => {
    expect(recorded.sort()).toEqual([
      "config.get",
      "cron.list",
      "cron.status",
      "exec.approval.list",
      "sessions.list",
    ]);
  });

  it.each(recorded)("%s: the real answer validates", (method) => {
    expect(recordedShapeErrors(method, recording.answers[method])).toEqual([]);
  });

  it("every message of a real transcript (text, toolCall blocks, toolResult) validates", () => {
    expect(recording.transcriptMessages.length).toBeGreaterThan(5);
    for (const message of recording.transcriptMessages) expect(transcriptMessageErrors(message)).toEqual([]);
  });
});

describe("the recorded shapes reject the shapes this gateway used to send", () => {
  it("exec.approval.list wrapped in an object", () => {
    expect(recordedShapeErrors("exec.approval.list", { approvals: [] })).not.toEqual([]);
  });

  it("chat.history rows of { role, text, ts } and no hasMore", () => {
    const old = { sessionKey: "agent:main:main", messages: [{ role: "user", text: "hi", ts: 1 }] };
    expect(recordedShapeErrors("chat.history", old)).not.toEqual([]);
    expect(transcriptMessageErrors({ role: "user", text: "hi", ts: 1 })).not.toEqual([]);
  });

  it("a toolResult without its call id, and a toolCall block without arguments", () => {
    expect(
      transcriptMessageErrors({ role: "toolResult", content: [{ type: "text", text: "ok" }], timestamp: 1 }),
    ).not.toEqual([]);
    expect(
      transcriptMessageErrors({
        role: "assistant",
        content: [{ type: "toolCall", id: "c1", name: "read" }],
        timestamp: 1,
      }),
    ).not.toEqual([]);
  });

  it("sessions.list with only { ts, path, count, total, sessions }", () => {
    const old = { ts: 1, path: "/x", count: 0, total: 0, sessions: [] };
    expect(recordedShapeErrors("sessions.list", old)).not.toEqual([]);
  });

  it("config.get without parsed, resolved and configRevisionHash", () => {
    const {
      parsed: _p,
      resolved: _r,
      configRevisionHash: _c,
      ...old
    } = recording.answers["config.get"] as Record<string, unknown>;
    expect(recordedShapeErrors("config.get", old)).not.toEqual([]);
  });

  it("cron.list without snapshotRevision", () => {
    const { snapshotRevision: _s, ...old } = recording.answers["cron.list"] as Record<string, unknown>;
    expect(recordedShapeErrors("cron.list", old)).not.toEqual([]);
  });

  it("status as this gateway's own facts only", () => {
    const old = { ok: true, version: "1", pid: 1, sessions: { count: 0 }, channels: [] };
    expect(recordedShapeErrors("status", old)).not.toEqual([]);
  });

  it("chat.send acknowledged as queued", () => {
    expect(recordedShapeErrors("chat.send", { runId: "k1", status: "queued" })).not.toEqual([]);
  });
});

describe("2026.9.6 params where the release takes more than the published schema", () => {
  it("models.list: what OpenClaw's CLI sends passes, an unknown field and a contradiction fail", () => {
    expect(
      releaseParamsErrors("models.list", { view: "all", provider: "fake", includeDetails: true }),
    ).toEqual([]);
    expect(releaseParamsErrors("models.list", { limit: 3 })).not.toEqual([]);
    expect(releaseParamsErrors("models.list", { preparedOnly: true, refresh: true })).not.toEqual([]);
    expect(releaseParamsErrors("chat.send", {})).toBeUndefined();
  });
});

describe("events the server sends are checked against OpenClaw's shapes", () => {
  it("an approval event without request.command, and a chat delta without OpenClaw's message, fail", () => {
    const flat = { id: "a1", commandText: "ls", createdAtMs: 1, expiresAtMs: 2 };
    expect(checkServerFrame({ type: "event", event: "exec.approval.requested", payload: flat })).not.toEqual(
      [],
    );
    const entry = { ...flat, request: { command: "ls" } };
    expect(checkServerFrame({ type: "event", event: "exec.approval.requested", payload: entry })).toEqual([]);
    const delta = { runId: "k1", sessionKey: "agent:main:main", seq: 0, state: "delta", deltaText: "Hi" };
    expect(checkServerFrame({ type: "event", event: "chat", payload: delta })).not.toEqual([]);
    const message = { role: "assistant", content: [{ type: "text", text: "Hi" }], timestamp: 1 };
    expect(checkServerFrame({ type: "event", event: "chat", payload: { ...delta, message } })).toEqual([]);
  });
});
