import { describe, expect, it } from "vitest";
import {
  callChecked,
  configWithFakeModel,
  startClusterOfTwo,
  startFakeModel,
  useIntegrationEnv,
} from "../integration/harness.js";

const env = useIntegrationEnv();

const scopes = ["operator.read", "operator.write"];

interface AgentAck {
  runId: string;
  status: string;
  deduped?: boolean;
}

describe("an `agent` retried on another instance while its run goes on", () => {
  it("answers with that run's answer once it comes, not as interrupted", async () => {
    const fake = await startFakeModel(env);
    // Long enough that the retry reads the transcript while the first instance's model call is still out.
    fake.enqueue({ text: "worth the wait", delayMs: 1500 });
    const [a, b] = await startClusterOfTwo(env, configWithFakeModel(fake));
    const { client: onA } = await env.connect(a, { scopes });
    const { client: onB } = await env.connect(b, { scopes });
    const send = { message: "take your time", idempotencyKey: "agent-retry-key" };

    const first = (await callChecked(onA, "agent", send)) as AgentAck;
    await fake.waitForRequests(1);
    const retried = (await callChecked(onB, "agent", send)) as AgentAck;

    expect(retried).toMatchObject({ runId: first.runId, deduped: true });
    const answer = await callChecked(onB, "agent.wait", { runId: retried.runId, timeoutMs: 15_000 });
    expect(answer).toMatchObject({ runId: first.runId, status: "ok", text: "worth the wait" });
    expect(fake.requests).toHaveLength(1);
  });
});
