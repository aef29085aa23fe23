import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { callChecked, type RawClient, useIntegrationEnv } from "../integration/harness.js";

const env = useIntegrationEnv();

/** Dollars per million tokens of the priced model; the "cheap" model has no price. */
const PRICE = { input: 2.5, output: 10, cacheRead: 0.25, cacheWrite: 3 };

/** A storage as a third party's store written before the ledger existed: everything but `usage`. */
function withoutLedger(storage: SessionStorage): SessionStorage {
  return new Proxy(storage, {
    get(target, property) {
      if (property === "usage") return undefined;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function gatewayWithModel(
  storage: SessionStorage = createMemoryStorage(),
): Promise<{ client: RawClient; fake: FakeModelServer; storage: SessionStorage }> {
  const fake = await startFakeModelServer();
  env.defer(() => fake.close());
  const gateway = await env.start({
    storage,
    config: {
      models: {
        providers: {
          fake: {
            baseUrl: fake.baseUrlFor("openai-completions"),
            apiKey: "fake-key",
            api: "openai-completions",
            models: [{ id: "fast", cost: PRICE }, { id: "cheap" }],
          },
        },
      },
      agents: {
        defaults: { model: { primary: "fake/fast" } },
        list: [{ id: "main" }, { id: "work" }],
      },
    },
  });
  const { client } = await env.connect(gateway);
  return { client, fake, storage };
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

/** Rows are written a moment after a turn ends (batched); wait until the ledger holds `rows` of them. */
async function ledgerRows(storage: SessionStorage, rows: number): Promise<void> {
  await expect
    .poll(async () => {
      const [all] = (await storage.usage?.query({ from: 0, to: Date.now() + 60_000, groupBy: [] })) ?? [];
      return all?.rows ?? 0;
    })
    .toBe(rows);
}

const cost = (input: number, output: number) => (input * PRICE.input + output * PRICE.output) / 1e6;

describe("usage.cost and sessions.usage from the usage ledger", () => {
  it("price each turn at the configured price; an unpriced model counts in missingCostEntries", async () => {
    const { client, fake, storage } = await gatewayWithModel();
    fake.enqueue(
      { text: "one", usage: { inputTokens: 1_100, outputTokens: 700 } },
      { text: "two", usage: { inputTokens: 500, outputTokens: 300 } },
      { text: "three", usage: { inputTokens: 100, outputTokens: 100 } },
    );
    await chat(client, "agent:main:main", "first");
    await chat(client, "agent:main:other", "second");
    // The work session runs the model without a price.
    await callChecked(client, "sessions.patch", { key: "agent:work:main", model: "fake/cheap" });
    await chat(client, "agent:work:main", "third");
    await ledgerRows(storage, 3);

    const today = new Date().toISOString().slice(0, 10);
    const main = await callChecked(client, "usage.cost", { days: 7 });
    expect(main.days).toBe(7);
    expect(main.totals).toMatchObject({
      input: 1_600,
      output: 1_000,
      totalTokens: 2_600,
      missingCostEntries: 0,
    });
    expect(main.totals.totalCost).toBeCloseTo(cost(1_600, 1_000), 12);
    expect(main.totals.inputCost).toBeCloseTo((1_600 * PRICE.input) / 1e6, 12);
    expect(main.totals.outputCost).toBeCloseTo((1_000 * PRICE.output) / 1e6, 12);
    expect(main.daily.map((day) => day.date)).toEqual([today]);

    const work = await callChecked(client, "usage.cost", { agentId: "work" });
    expect(work.totals).toMatchObject({
      input: 100,
      output: 100,
      totalCost: 0,
      missingCostEntries: 1,
      missingCostByModel: { "fake/cheap": 1 },
    });
    const all = await callChecked(client, "usage.cost", { agentScope: "all" });
    expect(all.totals).toMatchObject({ input: 1_700, output: 1_100, missingCostEntries: 1 });
    expect(all.totals.totalCost).toBeCloseTo(cost(1_600, 1_000), 12);

    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = await callChecked(client, "usage.cost", { startDate: yesterday, endDate: yesterday });
    expect(before).toMatchObject({ days: 1, daily: [], totals: { totalTokens: 0, missingCostEntries: 0 } });

    const usage = await callChecked(client, "sessions.usage", { agentScope: "all", range: "7d" });
    expect(usage.totals).toEqual(all.totals);
    expect(usage.sessions.map((session) => session.key).sort()).toEqual([
      "agent:main:main",
      "agent:main:other",
      "agent:work:main",
    ]);
    const first = usage.sessions.find((session) => session.key === "agent:main:main");
    expect(first).toMatchObject({
      agentId: "main",
      channel: "webchat",
      modelProvider: "fake",
      model: "fast",
      usage: { input: 1_100, output: 700, messageCounts: { user: 1, assistant: 1 } },
    });
    expect(first?.usage?.totalCost).toBeCloseTo(cost(1_100, 700), 12);
    expect(first?.usage?.dailyBreakdown?.map((day) => day.date)).toEqual([today]);
    expect(first?.usage?.utcQuarterHourTokenUsage?.[0]).toMatchObject({ date: today, input: 1_100 });
    expect(usage.aggregates.sessionCount).toBe(3);
    expect(usage.aggregates.byAgent.map((agent) => agent.agentId)).toEqual(["main", "work"]);
    expect(usage.aggregates.byModel.map((model) => [model.provider, model.model, model.count])).toEqual([
      ["fake", "fast", 2],
      ["fake", "cheap", 1],
    ]);
    expect(usage.aggregates.byChannel).toEqual([{ channel: "webchat", totals: all.totals }]);
    expect(usage.aggregates.daily).toEqual([
      { date: today, tokens: 2_800, cost: all.totals.totalCost, messages: 6, toolCalls: 0, errors: 0 },
    ]);

    const one = await callChecked(client, "sessions.usage", { key: "agent:work:main" });
    expect(one.sessions.map((session) => session.key)).toEqual(["agent:work:main"]);
    expect(one.totals).toEqual(work.totals);
    // The answer's transcript entry carries the turn's cost in OpenClaw's shape; an unpriced model's carries none.
    const history = await callChecked(client, "chat.history", { sessionKey: "agent:main:main" });
    const answer = history.messages.find((message) => message.role === "assistant");
    expect(answer?.usage).toMatchObject({ input: 1_100, output: 700 });
    expect(answer?.usage?.cost?.total).toBeCloseTo(cost(1_100, 700), 12);
    expect(answer?.usage?.cost?.input).toBeCloseTo((1_100 * PRICE.input) / 1e6, 12);
    const unpriced = await callChecked(client, "chat.history", { sessionKey: "agent:work:main" });
    const unpricedAnswer = unpriced.messages.find((message) => message.role === "assistant");
    expect(unpricedAnswer?.usage).toMatchObject({ input: 100, output: 100 });
    expect(unpricedAnswer?.usage?.cost).toBeUndefined();

    const limited = await callChecked(client, "sessions.usage", { agentScope: "all", limit: 1 });
    expect(limited).toMatchObject({ sessionsLimitReached: true, aggregates: { sessionCount: 3 } });
    expect(limited.sessions).toHaveLength(1);
  });

  it("buckets days in a time zone or offset (mode specific)", async () => {
    const { client, fake, storage } = await gatewayWithModel();
    fake.enqueue({ text: "hi", usage: { inputTokens: 10, outputTokens: 5 } });
    await chat(client, "agent:main:main", "tz");
    await ledgerRows(storage, 1);
    const now = Date.now();
    const dayIn = (timeZone: string) =>
      new Intl.DateTimeFormat("en-CA", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).format(now);
    for (const timeZone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu"]) {
      const zoned = await callChecked(client, "usage.cost", { mode: "specific", timeZone, days: 2 });
      expect(zoned.daily.map((day) => day.date)).toEqual([dayIn(timeZone)]);
      const sessions = await callChecked(client, "sessions.usage", { mode: "specific", timeZone });
      expect(sessions.aggregates.daily.map((day) => day.date)).toEqual([dayIn(timeZone)]);
      expect(sessions.sessions[0]?.usage?.activityDates).toEqual([dayIn(timeZone)]);
    }
    const plus14 = await callChecked(client, "usage.cost", { mode: "specific", utcOffset: "UTC+14" });
    expect(plus14.daily.map((day) => day.date)).toEqual([
      new Date(now + 14 * 3_600_000).toISOString().slice(0, 10),
    ]);
  });

  it("refuses what OpenClaw refuses, naming the fix", async () => {
    const { client } = await gatewayWithModel();
    const both = await client.callError("usage.cost", { agentScope: "all", agentId: "main" });
    expect(both.message).toMatch(/agentScope=all cannot be combined with agentId/);
    const unknown = await client.callError("usage.cost", { agentId: "ghost" });
    expect(unknown.details).toMatchObject({ code: "AGENT_NOT_FOUND", agentId: "ghost" });
    const reversed = await client.callError("usage.cost", { startDate: "2026-03-02", endDate: "2026-03-01" });
    expect(reversed.message).toMatch(/startDate 2026-03-02 is after endDate 2026-03-01/);
    const alone = await client.callError("sessions.usage", { startDate: "2026-03-01" });
    expect(alone.message).toMatch(/startDate and endDate must be given together/);
    const zone = await client.callError("sessions.usage", { mode: "specific", timeZone: "Mars/Olympus" });
    expect(zone.message).toMatch(/invalid timeZone "Mars\/Olympus"/);
    const offset = await client.callError("sessions.usage", { mode: "specific", utcOffset: "UTC+99" });
    expect(offset.details).toMatchObject({ code: "INVALID_PARAMS" });
    const scoped = await client.callError("sessions.usage", { agentScope: "all", key: "agent:main:main" });
    expect(scoped.message).toMatch(/agentScope=all cannot be combined with key or agentId/);
  });

  it("answers zeros with a note when the storage keeps no ledger", async () => {
    const { client } = await gatewayWithModel(withoutLedger(createMemoryStorage()));
    const cost = await callChecked(client, "usage.cost", {});
    expect(cost).toMatchObject({
      daily: [],
      totals: { totalTokens: 0 },
      note: expect.stringMatching(/no usage ledger/),
    });
    const sessions = await callChecked(client, "sessions.usage", {});
    expect(sessions).toMatchObject({ sessions: [], note: expect.stringMatching(/no usage ledger/) });
  });
});
