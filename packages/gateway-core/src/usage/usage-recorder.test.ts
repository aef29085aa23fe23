import {
  createMemoryStorage,
  createMemoryStorageData,
  createSessionStore,
  type UsageGroup,
} from "@openclaw/sessions";
import { describe, expect, it } from "vitest";
import { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import { createLogger } from "../logging/logger.js";
import { startUsageRecorder } from "./usage-recorder.js";

const T0 = Date.UTC(2026, 5, 1, 12);
const RUN = { runId: "run-1", sessionKey: "agent:main:main", agentId: "main" };
const models = {
  providers: {
    openai: { models: [{ id: "priced", cost: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 } }] },
    local: { models: [{ id: "free-text" }] },
  },
};

function modelCall(model: string, provider: string, usage: Partial<Record<string, number>>, at = T0) {
  return {
    type: "model.call" as const,
    ...RUN,
    provider,
    model,
    startedAt: at,
    endedAt: at + 500,
    outcome: "ok" as const,
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, ...usage },
  };
}

async function recorderWithStorage() {
  const data = createMemoryStorageData();
  const storage = createMemoryStorage({ data });
  const sessions = createSessionStore(storage, { defaultAgentId: "main", logger: { warn() {} } });
  const diagnostics = new DiagnosticBus();
  const logger = createLogger({ level: "error", sinks: [] });
  const recorder = startUsageRecorder({
    diagnostics,
    ledger: storage.usage,
    sessions,
    models: () => models,
    logger,
  });
  return { data, storage, sessions, diagnostics, recorder };
}

describe("usage recorder", () => {
  it("writes one row per turn and model: the run's calls summed, priced at the configured price", async () => {
    const { data, storage, sessions, diagnostics, recorder } = await recorderWithStorage();
    const session = await sessions.ensure(RUN.sessionKey);
    diagnostics.emit({ type: "run.accepted", ...RUN, channel: "telegram", trigger: "user", at: T0 } as never);
    diagnostics.emit(
      modelCall("priced", "openai", { input: 1_000, output: 100, cacheRead: 2_000, cacheWrite: 500 }),
    );
    diagnostics.emit({
      type: "tool.call",
      ...RUN,
      tool: "read",
      toolCallId: "t1",
      startedAt: T0 + 600,
      endedAt: T0 + 700,
      outcome: "error",
    });
    diagnostics.emit(modelCall("priced", "openai", { input: 200, output: 50 }, T0 + 800));
    diagnostics.emit(modelCall("free-text", "local", { input: 40, output: 2 }, T0 + 2_000));
    diagnostics.emit({ type: "run.end", ...RUN, endedAt: T0 + 3_000, status: "ok" });
    await recorder.flush();

    const groups = await storage.usage?.query({
      from: 0,
      to: T0 + 10_000,
      groupBy: ["model", "session", "channel"],
    });
    const byModel = new Map((groups ?? []).map((group) => [group.model, group]));
    const priced = byModel.get("priced") as UsageGroup;
    expect(priced).toMatchObject({
      sessionKey: RUN.sessionKey,
      channel: "telegram",
      rows: 1,
      turns: 1,
      calls: 2,
      input: 1_200,
      output: 150,
      cacheRead: 2_000,
      cacheWrite: 500,
      toolCalls: 1,
      errors: 1,
      unpriced: 0,
      durationSum: 1_000,
      lastTs: T0 + 3_000,
    });
    expect(priced.costInput).toBeCloseTo((1_200 * 3) / 1e6, 12);
    expect(priced.costOutput).toBeCloseTo((150 * 15) / 1e6, 12);
    expect(priced.costCacheRead).toBeCloseTo((2_000 * 0.3) / 1e6, 12);
    expect(priced.costCacheWrite).toBeCloseTo((500 * 3.75) / 1e6, 12);
    expect(priced.costTotal).toBeCloseTo((1_200 * 3 + 150 * 15 + 2_000 * 0.3 + 500 * 3.75) / 1e6, 12);
    expect(byModel.get("free-text")).toMatchObject({ input: 40, output: 2, unpriced: 1, costTotal: 0 });

    // The rows name the transcript the turn went to.
    expect([...(data.usage?.values() ?? [])].map((row) => row.sessionId)).toEqual([
      session.sessionId,
      session.sessionId,
    ]);
    await recorder.close();
  });

  it("records nothing for a run without model calls, and forgets the run once it ended", async () => {
    const { storage, diagnostics, recorder } = await recorderWithStorage();
    diagnostics.emit({ type: "run.accepted", ...RUN, channel: "webchat", trigger: "user", at: T0 } as never);
    diagnostics.emit({ type: "run.end", ...RUN, endedAt: T0 + 1, status: "error" });
    // A late observation of an ended run opens a new tally that no run.end will close; it is never written.
    diagnostics.emit(modelCall("priced", "openai", { input: 5 }));
    await recorder.close();
    expect(await storage.usage?.query({ from: 0, to: T0 + 10_000, groupBy: [] })).toEqual([]);
  });

  it("runs without a ledger (a store that keeps none): observations are ignored, nothing throws", async () => {
    const diagnostics = new DiagnosticBus((error) => {
      throw error;
    });
    const storage = createMemoryStorage();
    const sessions = createSessionStore(storage, { defaultAgentId: "main", logger: { warn() {} } });
    const recorder = startUsageRecorder({
      diagnostics,
      ledger: undefined,
      sessions,
      models: () => models,
      logger: createLogger({ level: "error", sinks: [] }),
    });
    diagnostics.emit(modelCall("priced", "openai", { input: 5 }));
    diagnostics.emit({ type: "run.end", ...RUN, endedAt: T0, status: "ok" });
    expect(diagnostics.active).toBe(false);
    await recorder.close();
  });
});
