import { describe, expect, it } from "vitest";
import type { AgentRuntime, TranscriptEntry, TranscriptSink } from "./index.js";
import {
  providerConfig,
  server,
  startRuntime as startTestRuntime,
  useFakeModelServer,
} from "./runtime-test-env.js";

useFakeModelServer();

/** Transcripts that outlive a runtime, as files outlive a gateway process. */
function createTranscripts(): TranscriptSink & {
  entries: Map<string, TranscriptEntry[]>;
  failNext: boolean;
} {
  const entries = new Map<string, TranscriptEntry[]>();
  const sink = {
    entries,
    failNext: false,
    async read(sessionKey: string) {
      return [...(entries.get(sessionKey) ?? [])];
    },
    async append(sessionKey: string, entry: TranscriptEntry) {
      if (sink.failNext) {
        sink.failNext = false;
        throw new Error("ENOSPC: no space left on device");
      }
      entries.set(sessionKey, [...(entries.get(sessionKey) ?? []), entry]);
    },
  };
  return sink;
}

function startRuntime(transcripts: TranscriptSink): AgentRuntime {
  return startTestRuntime(providerConfig(server, "openai-completions"), {}, { transcripts }).runtime;
}

const userTexts = (request: (typeof server.requests)[number] | undefined) =>
  ((request?.body.messages ?? []) as { role: string; content: string }[]).filter((m) => m.role === "user");

describe("accept", () => {
  it("resolves with the user entry already in the transcript, under its run id and key, written once", async () => {
    const transcripts = createTranscripts();
    const runtime = startRuntime(transcripts);
    const accepted = await runtime.accept({ sessionKey: "s", message: "hello", idempotencyKey: "k1" });

    expect(transcripts.entries.get("s")?.[0]).toMatchObject({
      role: "user",
      text: "hello",
      runId: accepted.runId,
      idempotencyKey: "k1",
    });
    await accepted.done;
    expect(transcripts.entries.get("s")?.map((entry) => entry.role)).toEqual(["user", "assistant"]);
    expect(userTexts(server.requests[0])).toEqual([{ role: "user", content: "hello" }]);
  });

  it("resolves before its run reads the history, so the ack waits on no run setup", async () => {
    const transcripts = createTranscripts();
    const order: string[] = [];
    const read = transcripts.read.bind(transcripts);
    transcripts.read = (sessionKey) => {
      order.push("read");
      return read(sessionKey);
    };
    const runtime = startRuntime(transcripts);
    const accepted = await runtime.accept({ sessionKey: "s", message: "hello", idempotencyKey: "k1" });
    order.push("accepted");
    await accepted.done;
    // The first read looks for the idempotency key, the second is the run's history.
    expect(order).toEqual(["read", "accepted", "read"]);
  });

  it("after a restart, a retry with the same key answers the original run and starts nothing", async () => {
    const transcripts = createTranscripts();
    server.enqueue({ text: "first answer" });
    const first = await startRuntime(transcripts).accept({
      sessionKey: "s",
      message: "hi",
      idempotencyKey: "k",
    });
    await first.done;
    const before = transcripts.entries.get("s")?.length;

    const retry = await startRuntime(transcripts).accept({
      sessionKey: "s",
      message: "hi",
      idempotencyKey: "k",
    });

    expect(retry).toMatchObject({ runId: first.runId, deduped: true });
    expect(await retry.done).toMatchObject({ status: "ok", text: "first answer" });
    expect(transcripts.entries.get("s")?.length).toBe(before);
    expect(server.requests).toHaveLength(1);
  });

  it("looks a retry's key up through readTurn, without reading the whole transcript", async () => {
    const transcripts = createTranscripts();
    const others = Array.from(
      { length: 50 },
      (_, i): TranscriptEntry => ({ role: "user", text: `m${i}`, ts: i }),
    );
    transcripts.entries.set("s", [
      { role: "user", text: "hi", ts: 100, runId: "run-0", idempotencyKey: "k" },
      ...others,
      { role: "assistant", text: "cut off", ts: 200, runId: "run-0", isError: true },
      { role: "assistant", text: "resumed answer", ts: 300, runId: "run-0:resume-1" },
    ]);
    const turnReads: string[] = [];
    transcripts.read = () => Promise.reject(new Error("the whole transcript was read"));
    transcripts.readTurn = async (sessionKey, idempotencyKey) => {
      turnReads.push(idempotencyKey);
      const entries = transcripts.entries.get(sessionKey) ?? [];
      return entries.filter((entry) => entry.runId === "run-0" || entry.runId?.startsWith("run-0:resume-"));
    };

    const retry = await startRuntime(transcripts).accept({
      sessionKey: "s",
      message: "hi",
      idempotencyKey: "k",
    });

    expect(retry).toMatchObject({ runId: "run-0:resume-1", deduped: true });
    expect(await retry.done).toMatchObject({ status: "ok", text: "resumed answer" });
    expect(turnReads).toEqual(["k"]);
    expect(server.requests).toHaveLength(0);
  });

  it("reports a run cut off by a restart as interrupted instead of running it again", async () => {
    const transcripts = createTranscripts();
    transcripts.entries.set("s", [{ role: "user", text: "hi", ts: 1, runId: "run-0", idempotencyKey: "k" }]);

    const retry = await startRuntime(transcripts).accept({
      sessionKey: "s",
      message: "hi",
      idempotencyKey: "k",
    });

    expect(retry).toMatchObject({ runId: "run-0", deduped: true });
    expect(await retry.done).toMatchObject({ status: "error", error: { code: "RUN_INTERRUPTED" } });
    expect(server.requests).toHaveLength(0);
  });

  it("starts one run for concurrent accepts of the same key", async () => {
    const transcripts = createTranscripts();
    const runtime = startRuntime(transcripts);
    const [a, b] = await Promise.all([
      runtime.accept({ sessionKey: "s", message: "once", idempotencyKey: "same" }),
      runtime.accept({ sessionKey: "s", message: "once", idempotencyKey: "same" }),
    ]);
    await Promise.all([a.done, b.done]);

    expect(b).toMatchObject({ runId: a.runId, deduped: true });
    expect(transcripts.entries.get("s")?.filter((entry) => entry.role === "user")).toHaveLength(1);
  });

  it("rejects when the user entry cannot be written, and the model never sees the message", async () => {
    const transcripts = createTranscripts();
    const runtime = startRuntime(transcripts);
    transcripts.failNext = true;

    await expect(runtime.accept({ sessionKey: "s", message: "lost?", idempotencyKey: "k" })).rejects.toThrow(
      /ENOSPC/,
    );
    const next = await runtime.accept({ sessionKey: "s", message: "again", idempotencyKey: "k" });
    await next.done;

    expect(next.deduped).toBe(false);
    expect(server.requests.map((request) => userTexts(request).map((m) => m.content))).toEqual([["again"]]);
  });
});
