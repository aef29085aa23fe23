import { type AgentRuntimeConfig, createAgentRuntime, type TranscriptEntry } from "@openclaw/agent";
import type { ChatEvent } from "@openclaw/protocol";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { configWithFakeModel } from "../integration/harness.js";
import { silentLogger } from "../logging/logger.js";
import { ChatService } from "./chat-service.js";

const SESSION = "agent:main:main";

let model: FakeModelServer;
const services: ChatService[] = [];

beforeAll(async () => {
  model = await startFakeModelServer();
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const chat of services.splice(0)) {
    chat.close();
    await chat.agent.close();
  }
  model.reset();
});
afterAll(async () => {
  await model.close();
});

/** A chat service over a transcript another gateway instance already wrote to. */
function startChat(entries: TranscriptEntry[] = []) {
  const transcript = [...entries];
  const agent = createAgentRuntime({
    getConfig: () => configWithFakeModel(model) as AgentRuntimeConfig,
    transcripts: {
      read: async () => [...transcript],
      append: async (_sessionKey, entry) => {
        transcript.push(entry);
      },
    },
    env: {},
    retry: { maxRetries: 0 },
  });
  const chatEvents: ChatEvent[] = [];
  const chat = new ChatService({
    agent,
    emit: (event, payload) => {
      if (event === "chat") chatEvents.push(payload as ChatEvent);
    },
    logger: silentLogger,
  });
  services.push(chat);
  return { chat, transcript, chatEvents };
}

const recordedUser: TranscriptEntry = {
  role: "user",
  text: "hi",
  ts: 1,
  runId: "key-1",
  idempotencyKey: "key-1",
};
const retry = { runId: "key-1", sessionKey: SESSION, message: "hi", idempotencyKey: "key-1" };

describe("ChatService.accept of a key another instance ran", () => {
  it("keeps nothing for the deduped turn (its run is never finished here)", async () => {
    const answer: TranscriptEntry = { role: "assistant", text: "answered there", ts: 2, runId: "key-1" };
    const { chat } = startChat([recordedUser, answer]);

    const turn = await chat.accept(retry);

    expect(turn).toMatchObject({ runId: "key-1", deduped: true });
    expect(await turn.done).toMatchObject({ status: "ok", text: "answered there" });
    expect(chat.followedRuns).toBe(0);
  });

  it("keeps the counter of a run going on here that a retry is deduped onto", async () => {
    model.enqueue({ text: "one two three", chunkDelayMs: 30 });
    const realNow = Date.now;
    let later = 0;
    vi.spyOn(Date, "now").mockImplementation(() => realNow() + later);
    const { chat, chatEvents } = startChat();
    const first = await chat.accept({ ...retry, runId: "live-run" });
    const events = () => chatEvents.filter((event) => event.runId === "live-run");
    await expect.poll(() => events().length).toBeGreaterThan(0);

    // Past the in-memory cache's 10 minutes: the agent dedupes the retry from the transcript onto the live run.
    later = 11 * 60_000;
    const again = await chat.accept({ ...retry, runId: "live-run" });
    await first.done;

    expect(again).toMatchObject({ runId: "live-run", deduped: true });
    const seqs = events().map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index));
    expect(events().at(-1)?.state).toBe("final");
    expect(chat.followedRuns).toBe(0);
  });
});

describe("ChatService.accept with resumeUnanswered", () => {
  it("runs a recorded message that never answered under a new run id, with its chat events, and one user line", async () => {
    model.enqueue({ text: "answered after all" });
    const { chat, transcript, chatEvents } = startChat([recordedUser]);

    const turn = await chat.accept({ ...retry, resumeUnanswered: true });

    expect(turn).toMatchObject({ runId: "key-1:resume-1", deduped: false });
    expect(await turn.done).toMatchObject({ status: "ok", text: "answered after all" });
    await expect
      .poll(() => chatEvents.find((event) => event.runId === turn.runId && event.state === "final"))
      .toBeDefined();
    expect(transcript.filter((entry) => entry.role === "user")).toHaveLength(1);
    expect(transcript.at(-1)).toMatchObject({ role: "assistant", runId: "key-1:resume-1" });
    expect(chat.followedRuns).toBe(0);
  });

  it("without it, reports the recorded run interrupted and runs nothing", async () => {
    const { chat } = startChat([recordedUser]);

    const turn = await chat.accept(retry);

    expect(await turn.done).toMatchObject({ status: "error", error: { code: "RUN_INTERRUPTED" } });
    expect(model.requests).toHaveLength(0);
    expect(chat.followedRuns).toBe(0);
  });
});
