import { describe, expect, it } from "vitest";
import {
  callChecked,
  configWithFakeModel,
  startClusterOfTwo,
  startFakeModel,
  useIntegrationEnv,
  type WireFrame,
} from "../integration/harness.js";

const env = useIntegrationEnv();

const scopes = ["operator.read", "operator.write"];

describe("one session across gateway instances", () => {
  it("lists every instance in health and status, the answering one marked", async () => {
    const [a, b] = await startClusterOfTwo(env);
    const { client } = await env.connect(a, { scopes });
    // OpenClaw's shape unless asked: its clients know no `cluster` field.
    expect(await callChecked(client, "health", {})).not.toHaveProperty("cluster");
    type Health = {
      cluster?: { instanceId: string; storage: string; instances: { instanceId: string; self: boolean }[] };
    };
    const askHealth = async () => (await client.request("health", { cluster: true })).payload as Health;
    // Each instance re-reads the member list every 2 s: B may be missing from A's first answer.
    await expect.poll(async () => (await askHealth()).cluster?.instances.length, { timeout: 6000 }).toBe(2);
    const health = await askHealth();
    expect(health.cluster?.instanceId).toBe("a");
    expect(health.cluster?.storage).toBe("ok");
    expect(health.cluster?.instances.map((m) => [m.instanceId, m.self]).sort()).toEqual([
      ["a", true],
      ["b", false],
    ]);
    const status = (await callChecked(client, "status", {})) as { cluster?: { instances: unknown[] } };
    expect(status.cluster?.instances).toHaveLength(2);
    // OpenClaw's hello-ok snapshot keeps its fixed shape: the members are only in the answers above.
    const { hello } = await env.connect(b, { scopes });
    expect(hello.snapshot.health).not.toHaveProperty("cluster");
  });

  it("runs two messages for one session sent to two instances one after the other, in order", async () => {
    const fake = await startFakeModel(env);
    fake.enqueue({ text: "first answer", delayMs: 400 }, { text: "second answer" });
    const [a, b] = await startClusterOfTwo(env, configWithFakeModel(fake));
    const { client: onA } = await env.connect(a, { scopes });
    const { client: onB } = await env.connect(b, { scopes });
    const sessionKey = "agent:main:main";
    const first = (await callChecked(onA, "chat.send", {
      sessionKey,
      message: "one",
      idempotencyKey: "k1",
    })) as {
      runId: string;
    };
    await onA.waitFor((frame) => isChat(frame, first.runId, "delta") || isChat(frame, first.runId, "final"), {
      what: "the first run streaming on A",
      timeoutMs: 10_000,
    });
    const second = (await callChecked(onB, "chat.send", {
      sessionKey,
      message: "two",
      idempotencyKey: "k2",
    })) as {
      runId: string;
    };
    await onB.waitFor((frame) => isChat(frame, second.runId, "final"), {
      what: "second final",
      timeoutMs: 15_000,
    });
    // B's run waited for A's: its model request carried A's finished turn.
    const secondRequest = fake.requests.at(-1)?.body as { messages: { role: string; content: unknown }[] };
    const texts = secondRequest.messages.map(
      (message) => `${message.role}:${JSON.stringify(message.content)}`,
    );
    expect(texts.some((text) => text.includes("first answer"))).toBe(true);
    const history = (await callChecked(onA, "chat.history", { sessionKey })) as {
      messages: { role: string; content: unknown }[];
    };
    expect(history.messages.map((m) => `${m.role}:${JSON.stringify(m.content)}`).join("\n")).toMatch(
      /user:.*one[\s\S]*assistant:.*first answer[\s\S]*user:.*two[\s\S]*assistant:.*second answer/,
    );
  });
});

function isChat(frame: WireFrame, runId: string, state: string): boolean {
  const payload = frame.payload as { runId?: string; state?: string } | undefined;
  return frame.event === "chat" && payload?.runId === runId && payload.state === state;
}
