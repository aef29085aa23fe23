import { createMemoryStorage, createMemoryStorageData, expireMemoryClusterLease } from "@openclaw/sessions";
import { describe, expect, it } from "vitest";
import {
  callChecked,
  configWithFakeModel,
  startFakeModel,
  useIntegrationEnv,
} from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { memoChannel } from "./memo-gateway.test-support.js";
import { inboundMessage } from "./reply-delivery.test-support.js";

const env = useIntegrationEnv();

/** One gateway of a cluster over `data`, running the in-memory "memo" channel (long-polled: leased). */
async function memoInstance(
  instanceId: string,
  data: ReturnType<typeof createMemoryStorageData>,
  config: object,
) {
  const { platform, plugins, context } = memoChannel();
  const gateway = await env.start({
    plugins,
    config: { ...config, channels: { memo: { dmPolicy: "open", allowFrom: ["*"] } } },
    storage: createMemoryStorage({ data }),
    instanceId,
    cluster: true,
    auth: { mode: "token", token: "cluster-test-token" },
  });
  const sends = () => platform.calls.flatMap((call) => (call.op === "send" ? [call.text] : []));
  return { gateway, sends, context };
}

describe("a takeover answers what the previous owner never answered, with the real agent", () => {
  it("resumes a turn that ended with a failed answer on the recorded message: one user line, one reply", async () => {
    const fake = await startFakeModel(env);
    // The first owner's run fails once the lease has moved on (the owner notices a lost lease within a renewal,
    // 2 s); the next owner's resumed run answers.
    fake.enqueue({ status: 400, delayMs: 5_000 }, { text: "the real answer" });
    const data = createMemoryStorageData();
    const config = configWithFakeModel(fake);
    const a = await memoInstance("a", data, config);
    const b = await memoInstance("b", data, config);
    await eventually(() => a.context() !== undefined, "the account on a");
    void a.context()?.onInbound(inboundMessage({ text: "what is the weather" }));
    await eventually(() => fake.requests.length === 1, "the first owner's model call");
    // The owner is cut off (a partition, or a stop whose drain timed out) while its turn runs.
    expect(expireMemoryClusterLease(data, "channel:memo:default")).toBe(true);
    await eventually(() => b.sends().length === 1, "the next owner's reply", 20_000);
    expect(b.sends()).toEqual(["the real answer"]);
    expect(a.sends()).toEqual([]);
    expect(fake.requests).toHaveLength(2);

    const { client } = await env.connect(b.gateway, {
      scopes: ["operator.read"],
      token: "cluster-test-token",
    });
    const history = (await callChecked(client, "chat.history", { sessionKey: "agent:main:main" })) as {
      messages: { role: string; content: unknown }[];
    };
    const users = history.messages.filter((message) => message.role === "user");
    expect(users).toHaveLength(1);
    expect(JSON.stringify(users[0]?.content)).toContain("what is the weather");
  });
});
