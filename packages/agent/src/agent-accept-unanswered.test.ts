import { describe, expect, it, vi } from "vitest";
import type { AgentRuntime, AgentRuntimeOptions, TranscriptEntry } from "./index.js";
import {
  createMemoryTranscripts,
  providerConfig,
  server,
  startRuntime as startTestRuntime,
  useFakeModelServer,
} from "./runtime-test-env.js";

useFakeModelServer();

const recordedUser: TranscriptEntry = {
  role: "user",
  text: "hi",
  ts: 1,
  runId: "run-0",
  idempotencyKey: "k",
};

/** A runtime over transcripts another process wrote, as a gateway instance that took over a session. */
function startRuntime(entries: TranscriptEntry[], extra: Partial<AgentRuntimeOptions> = {}) {
  const transcripts = createMemoryTranscripts();
  transcripts.entries.set("s", [...entries]);
  const { runtime } = startTestRuntime(
    providerConfig(server, "openai-completions"),
    {},
    {
      transcripts,
      ...extra,
    },
  );
  return { runtime, transcripts };
}

const userTexts = (index: number) =>
  ((server.requests[index]?.body.messages ?? []) as { role: string; content: string }[])
    .filter((message) => message.role === "user")
    .map((message) => message.content);

const assistantTexts = (index: number) =>
  ((server.requests[index]?.body.messages ?? []) as { role: string; content: string }[])
    .filter((message) => message.role === "assistant")
    .map((message) => message.content);

function retry(runtime: AgentRuntime, resumeUnanswered?: boolean) {
  return runtime.accept({
    sessionKey: "s",
    message: "hi",
    idempotencyKey: "k",
    ...(resumeUnanswered ? { resumeUnanswered } : {}),
  });
}

describe("accept with resumeUnanswered", () => {
  it("runs a message whose run was cut off again under a new run id, reusing its user entry", async () => {
    server.enqueue({ text: "the answer at last" });
    const { runtime, transcripts } = startRuntime([recordedUser]);

    const resumed = await retry(runtime, true);

    expect(resumed).toMatchObject({ runId: "run-0:resume-1", deduped: false, resumed: true });
    expect(await resumed.done).toMatchObject({ status: "ok", text: "the answer at last" });
    expect(transcripts.entries.get("s")?.map((entry) => [entry.role, entry.runId])).toEqual([
      ["user", "run-0"],
      ["assistant", "run-0:resume-1"],
    ]);
    expect(userTexts(0)).toEqual(["hi"]);
    // A later retry of the key, on any instance, answers with the resumed run.
    const again = await retry(startRuntime(transcripts.entries.get("s") ?? []).runtime);
    expect(again).toMatchObject({ runId: "run-0:resume-1", deduped: true });
    expect(await again.done).toMatchObject({ status: "ok", text: "the answer at last" });
    expect(server.requests).toHaveLength(1);
  });

  it("runs a message again whose run left a failed answer; the model sees neither that answer nor the message twice", async () => {
    server.enqueue({ text: "a whole answer" });
    const failed: TranscriptEntry = {
      role: "assistant",
      text: "half an ans",
      ts: 2,
      runId: "run-0",
      isError: true,
    };
    const { runtime, transcripts } = startRuntime([recordedUser, failed]);

    const resumed = await retry(runtime, true);

    expect(await resumed.done).toMatchObject({
      runId: "run-0:resume-1",
      status: "ok",
      text: "a whole answer",
    });
    expect(userTexts(0)).toEqual(["hi"]);
    expect(assistantTexts(0)).toEqual([]);
    expect(transcripts.entries.get("s")?.filter((entry) => entry.role === "user")).toHaveLength(1);
  });

  it("numbers a further resume after the last one, which also failed", async () => {
    server.enqueue({ text: "third time lucky" });
    const { runtime } = startRuntime([
      recordedUser,
      { role: "assistant", text: "", ts: 2, runId: "run-0", isError: true },
      { role: "assistant", text: "", ts: 3, runId: "run-0:resume-1", isError: true },
    ]);

    const resumed = await retry(runtime, true);

    expect(resumed.runId).toBe("run-0:resume-2");
    expect(await resumed.done).toMatchObject({ status: "ok", text: "third time lucky" });
  });

  it("answers a retry of a message being resumed here with that run", async () => {
    server.enqueue({ text: "resumed once" });
    const { runtime } = startRuntime([recordedUser]);

    const [first, second] = [await retry(runtime, true), await retry(runtime, true)];

    expect(second).toMatchObject({ runId: first.runId, deduped: true });
    await Promise.all([first.done, second.done]);
    expect(server.requests).toHaveLength(1);
  });

  it("runs nothing again for an answered message", async () => {
    const answer: TranscriptEntry = { role: "assistant", text: "done before", ts: 2, runId: "run-0" };
    const { runtime } = startRuntime([recordedUser, answer]);

    const retried = await retry(runtime, true);

    expect(retried).toMatchObject({ runId: "run-0", deduped: true });
    expect(await retried.done).toMatchObject({ status: "ok", text: "done before" });
    expect(server.requests).toHaveLength(0);
  });

  it("does not run a message again while another process holds its session: it waits for that run's answer", async () => {
    let held = true;
    const { runtime, transcripts } = startRuntime([recordedUser], {
      sessionHeldElsewhere: async () => held,
    });

    const retried = await retry(runtime, true);
    expect(retried).toMatchObject({ runId: "run-0", deduped: true });
    await transcripts.append("s", { role: "assistant", text: "from the other one", ts: 2, runId: "run-0" });
    held = false;

    expect(await retried.done).toMatchObject({ status: "ok", text: "from the other one" });
    expect(server.requests).toHaveLength(0);
  });

  it("runs the message here once the run it waited for elsewhere ended without an answer, once for all retries", async () => {
    server.enqueue({ text: "answered here" });
    let held = true;
    const { runtime, transcripts } = startRuntime([recordedUser], {
      sessionHeldElsewhere: async () => held,
    });

    const retries = [await retry(runtime, true), await retry(runtime, true)];
    expect(retries.map((accepted) => accepted.deduped)).toEqual([true, true]);
    // The other process stopped and gave up on its run: the answer it left is a failed one.
    await transcripts.append("s", { role: "assistant", text: "", ts: 2, runId: "run-0", isError: true });
    held = false;

    const results = await Promise.all(retries.map((accepted) => accepted.done));
    expect(results.map((result) => [result.runId, result.status, result.text])).toEqual([
      ["run-0:resume-1", "ok", "answered here"],
      ["run-0:resume-1", "ok", "answered here"],
    ]);
    expect(server.requests).toHaveLength(1);
    expect(transcripts.entries.get("s")?.filter((entry) => entry.role === "user")).toHaveLength(1);
  });
});

describe("accept of a key whose run has no answer yet, with sessionHeldElsewhere", () => {
  it("waits for the answer while the session is held elsewhere instead of reporting the run interrupted", async () => {
    let held = true;
    let polls = 0;
    const { runtime, transcripts } = startRuntime([recordedUser], {
      sessionHeldElsewhere: async () => {
        polls += 1;
        return held;
      },
    });

    const retried = await retry(runtime);
    let settled = false;
    void retried.done.then(() => {
      settled = true;
    });
    // Several reads go by while the other process still runs it.
    await vi.waitFor(() => expect(polls).toBeGreaterThanOrEqual(3), { timeout: 5_000 });
    expect(settled).toBe(false);
    await transcripts.append("s", { role: "assistant", text: "late but whole", ts: 2, runId: "run-0" });
    held = false;

    expect(await retried.done).toMatchObject({ runId: "run-0", status: "ok", text: "late but whole" });
  });

  it("reports the run interrupted once the session is free and no answer came", async () => {
    let held = true;
    const { runtime } = startRuntime([recordedUser], { sessionHeldElsewhere: async () => held });

    const retried = await retry(runtime);
    held = false;

    expect(await retried.done).toMatchObject({ status: "error", error: { code: "RUN_INTERRUPTED" } });
  });

  it("waits no longer than the request's timeout", async () => {
    const { runtime } = startRuntime([recordedUser], { sessionHeldElsewhere: async () => true });

    const retried = await runtime.accept({
      sessionKey: "s",
      message: "hi",
      idempotencyKey: "k",
      timeoutMs: 300,
    });

    expect(await retried.done).toMatchObject({ runId: "run-0", status: "error", error: { code: "TIMEOUT" } });
  });

  it("ends the wait when the runtime closes", async () => {
    const { runtime } = startRuntime([recordedUser], { sessionHeldElsewhere: async () => true });

    const retried = await retry(runtime);
    await runtime.close();

    expect(await retried.done).toMatchObject({ status: "error", error: { code: "RUN_INTERRUPTED" } });
  });
});
