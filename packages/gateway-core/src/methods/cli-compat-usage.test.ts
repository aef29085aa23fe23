import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { callChecked, type RawClient, useIntegrationEnv } from "../integration/harness.js";
import { usageRange } from "./cli-compat-usage.js";

const env = useIntegrationEnv();

async function gatewayWithModel(): Promise<{ client: RawClient; fake: FakeModelServer }> {
  const fake = await startFakeModelServer();
  env.defer(() => fake.close());
  const gateway = await env.start({
    config: {
      models: {
        providers: {
          fake: {
            baseUrl: fake.baseUrlFor("openai-completions"),
            apiKey: "fake-key",
            api: "openai-completions",
            models: [{ id: "fast" }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/fast" } }, list: [{ id: "main" }, { id: "work" }] },
    },
  });
  const { client } = await env.connect(gateway);
  return { client, fake };
}

async function chat(client: RawClient, sessionKey: string, message: string): Promise<void> {
  const sent = (await client.call("chat.send", {
    sessionKey,
    message,
    idempotencyKey: `usage-${message}`,
  })) as {
    runId: string;
  };
  await client.call("agent.wait", { runId: sent.runId, timeoutMs: 10_000 });
}

describe("usage.cost (openclaw gateway usage-cost)", () => {
  it("sums the tokens each answer recorded, per UTC day, and counts every answer as unpriced", async () => {
    const { client, fake } = await gatewayWithModel();
    fake.enqueue(
      { text: "one", usage: { inputTokens: 11, outputTokens: 7 } },
      { text: "two", usage: { inputTokens: 5, outputTokens: 3 } },
      { text: "three", usage: { inputTokens: 100, outputTokens: 100 } },
    );
    await chat(client, "agent:main:main", "first");
    await chat(client, "agent:main:other", "second");
    await chat(client, "agent:work:main", "third");

    const today = new Date().toISOString().slice(0, 10);
    const main = await callChecked(client, "usage.cost", { days: 7 });
    expect(main.days).toBe(7);
    expect(main.totals).toMatchObject({
      input: 16,
      output: 10,
      totalTokens: 26,
      totalCost: 0,
      missingCostEntries: 2,
      missingCostByModel: { "fake/fast": 2 },
    });
    expect(main.daily).toEqual([{ date: today, ...main.totals }]);

    const work = await callChecked(client, "usage.cost", { agentId: "work" });
    expect(work.totals).toMatchObject({ input: 100, output: 100, missingCostEntries: 1 });
    const all = await callChecked(client, "usage.cost", { days: 30, agentScope: "all" });
    expect(all.totals).toMatchObject({ input: 116, output: 110, totalTokens: 226, missingCostEntries: 3 });

    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = await callChecked(client, "usage.cost", { startDate: yesterday, endDate: yesterday });
    expect(before).toMatchObject({ days: 1, daily: [], totals: { totalTokens: 0, missingCostEntries: 0 } });
  });

  it("refuses what OpenClaw refuses, naming the fix", async () => {
    const { client } = await gatewayWithModel();
    const both = await client.callError("usage.cost", { agentScope: "all", agentId: "main" });
    expect(both.message).toMatch(/agentScope=all cannot be combined with agentId/);
    const unknown = await client.callError("usage.cost", { agentId: "ghost" });
    expect(unknown.details).toMatchObject({ code: "AGENT_NOT_FOUND", agentId: "ghost" });
    const reversed = await client.callError("usage.cost", { startDate: "2026-03-02", endDate: "2026-03-01" });
    expect(reversed.message).toMatch(/startDate must not be after endDate/);
    const badDate = await client.callError("usage.cost", { startDate: "March 1st" });
    expect(badDate.details).toMatchObject({ code: "INVALID_PARAMS" });
  });
});

describe("usageRange", () => {
  const noon = Date.parse("2026-03-10T12:00:00.000Z");

  it("is the last N UTC days up to today, 30 by default", () => {
    expect(usageRange({ days: 1 }, noon)).toEqual({
      startMs: Date.parse("2026-03-10T00:00:00.000Z"),
      endMs: Date.parse("2026-03-10T23:59:59.999Z"),
      days: 1,
    });
    expect(usageRange(undefined, noon)).toMatchObject({
      startMs: Date.parse("2026-02-09T00:00:00.000Z"),
      days: 30,
    });
  });

  it("takes explicit dates over days", () => {
    expect(usageRange({ days: 3, startDate: "2026-01-01", endDate: "2026-01-31" }, noon)).toMatchObject({
      days: 31,
    });
  });
});
