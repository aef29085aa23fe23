import { createMemoryStorage, createMemoryStorageData, type SessionStorage } from "@openclaw/sessions";
import type { FakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import {
  callChecked,
  configWithFakeModel,
  type RawClient,
  startFakeModel,
  useIntegrationEnv,
  type WireFrame,
} from "../integration/harness.js";

const env = useIntegrationEnv();

const scopes = ["operator.read", "operator.write"];
/** Long enough that both instances read the transcript before either one's user message is in it. */
const APPEND_DELAY_MS = 300;

interface SendResult {
  runId: string;
  status: string;
  deduped?: boolean;
}

/** The memory storage with slow transcript appends: the window in which a send is not yet durable. */
function withSlowAppends(storage: SessionStorage): SessionStorage {
  return new Proxy(storage, {
    get(target, property) {
      if (property === "appendTranscript") {
        return async (...args: Parameters<SessionStorage["appendTranscript"]>) => {
          await new Promise((resolve) => setTimeout(resolve, APPEND_DELAY_MS));
          return target.appendTranscript(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function startSlowCluster(fake: FakeModelServer): Promise<[RawClient, RawClient]> {
  const data = createMemoryStorageData();
  const start = (instanceId: string) =>
    env.start({
      config: configWithFakeModel(fake),
      storage: withSlowAppends(createMemoryStorage({ data })),
      instanceId,
      cluster: true,
      auth: { mode: "token", token: "cluster-test-token" },
    });
  const [a, b] = [await start("a"), await start("b")];
  return [(await env.connect(a, { scopes })).client, (await env.connect(b, { scopes })).client];
}

function isFinal(frame: WireFrame, runId: string): boolean {
  const payload = frame.payload as { runId?: string; state?: string } | undefined;
  return frame.event === "chat" && payload?.runId === runId && payload.state === "final";
}

async function userEntriesWithKey(client: RawClient, sessionKey: string, key: string): Promise<number> {
  const history = (await callChecked(client, "chat.history", { sessionKey })) as {
    messages: { role: string; __openclaw?: { idempotencyKey?: string } }[];
  };
  return history.messages.filter((m) => m.role === "user" && m.__openclaw?.idempotencyKey === key).length;
}

describe("one idempotency key sent to two instances at once", () => {
  it("runs the turn once; the other instance answers as a retry with the same run", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ text: "the only answer" }, { text: "a second run's answer" });
    const [onA, onB] = await startSlowCluster(fake);
    const sessionKey = "agent:main:main";
    const send = { sessionKey, message: "once, please", idempotencyKey: "same-key" };
    const answers = (await Promise.all([
      callChecked(onA, "chat.send", send),
      callChecked(onB, "chat.send", send),
    ])) as [SendResult, SendResult];
    expect(answers[0].runId).toBe(answers[1].runId);
    expect(answers.filter((answer) => answer.deduped === true)).toHaveLength(1);
    expect(answers.map((answer) => answer.status).sort()).toEqual(["in_flight", "started"]);
    const winner = answers[0].deduped ? onB : onA;
    await winner.waitFor((frame) => isFinal(frame, answers[0].runId), {
      what: "the run's final answer",
      timeoutMs: 15_000,
    });
    // Both answers came after their instance's user message was durable: a second run would have written its own.
    expect(await userEntriesWithKey(onA, sessionKey, "same-key")).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it("takes a session key and an idempotency key at their longest (lease names past the port's limit are hashed)", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ text: "long keys are fine" });
    const [onA, onB] = await startSlowCluster(fake);
    const sessionKey = `agent:main:${"s".repeat(500)}`;
    const idempotencyKey = "k".repeat(256);
    const first = (await callChecked(onA, "chat.send", {
      sessionKey,
      message: "hello",
      idempotencyKey,
    })) as SendResult;
    expect(first.deduped).toBeUndefined();
    await onA.waitFor((frame) => isFinal(frame, first.runId), { what: "final", timeoutMs: 15_000 });
    const retried = (await callChecked(onB, "chat.send", {
      sessionKey,
      message: "hello",
      idempotencyKey,
    })) as SendResult;
    expect(retried).toMatchObject({ runId: first.runId, deduped: true });
    expect(fake.requests).toHaveLength(1);
  });
});
