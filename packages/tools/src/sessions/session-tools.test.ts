import type { AgentTool } from "@openclaw/agent";
import { describe, expect, it } from "vitest";
import { ToolError } from "../tool-error.js";
import { createSessionTools } from "./create-session-tools.js";
import { MemorySessionsPort, session, settings, toolContext } from "./memory-sessions-port.test-support.js";
import type { SessionToolSettings } from "./session-tools-config.js";

const DM = "agent:main:telegram:direct:42";

function setup(overrides: Partial<SessionToolSettings> = {}) {
  const port = new MemorySessionsPort().add(
    session("agent:main:main", { kind: "main", isMain: true, updatedAt: 3 }),
    session(DM, { channel: "telegram", updatedAt: 2, running: true }),
    session("agent:main:subagent:a", { parentSessionKey: DM, spawnDepth: 1, label: "research" }),
    session("agent:main:cron:daily", { kind: "cron", channel: "internal" }),
    session("agent:ops:main", { kind: "main", isMain: true }),
  );
  port.agentList.push({ id: "ops", name: "Ops", configured: true, isDefault: false, model: "fake/model-b" });
  const current = settings(overrides);
  const tools = new Map(
    createSessionTools(port, { settings: () => current }).map((tool) => [tool.name, tool]),
  );
  const tool = (name: string): AgentTool => {
    const found = tools.get(name);
    if (!found) throw new Error(`no tool ${name}`);
    return found;
  };
  return { port, tool, current };
}

async function run(tool: AgentTool, args: unknown, sessionKey = DM, agentId = "main") {
  return (await tool.execute(args, toolContext(sessionKey, agentId))) as Record<string, unknown> & {
    sessions: { key: string }[];
  };
}

describe("createSessionTools", () => {
  it("offers OpenClaw's six session tools by name", () => {
    const { port } = setup();
    expect(createSessionTools(port, { settings: () => settings() }).map((tool) => tool.name)).toEqual([
      "sessions_list",
      "sessions_history",
      "sessions_send",
      "sessions_spawn",
      "session_status",
      "agents_list",
    ]);
  });
});

describe("sessions_list", () => {
  it("under tree from a DM session lists the session and its children, and says the view is restricted", async () => {
    const { tool } = setup();
    const result = await run(tool("sessions_list"), {});
    expect(result.sessions.map((row) => row.key)).toEqual([DM, "agent:main:subagent:a"]);
    expect(result.sessions[1]).toMatchObject({ parentSessionKey: DM, label: "research", status: "idle" });
    expect(result.sessions[0]).toMatchObject({ channel: "telegram", status: "running" });
    expect(result.visibility).toMatchObject({ mode: "tree", restricted: true });
    expect(result).toMatchObject({ count: 2, hasMore: false, limitApplied: 100 });
  });

  it("from the main session lists every session of its agent, none of another's", async () => {
    const { tool } = setup();
    const result = await run(tool("sessions_list"), {}, "agent:main:main");
    expect(result.sessions.map((row) => row.key).sort()).toEqual(
      ["agent:main:main", DM, "agent:main:subagent:a", "agent:main:cron:daily"].sort(),
    );
  });

  it("filters by kinds and excludeSubagents and activeOnly", async () => {
    const { tool } = setup({ visibility: "agent" });
    const cron = await run(tool("sessions_list"), { kinds: ["cron"] });
    expect(cron.sessions.map((row) => row.key)).toEqual(["agent:main:cron:daily"]);
    const noSubagents = await run(tool("sessions_list"), { excludeSubagents: true });
    expect(noSubagents.sessions.map((row) => row.key)).not.toContain("agent:main:subagent:a");
    const active = await run(tool("sessions_list"), { activeOnly: true });
    expect(active.sessions.map((row) => row.key)).toEqual([DM]);
  });

  it("caps a page at 200 rows and continues with nextOffset", async () => {
    const { port, tool } = setup({ visibility: "all" });
    for (let i = 0; i < 250; i += 1) port.add(session(`agent:main:extra-${i}`));
    const first = await run(tool("sessions_list"), { limit: 1000 });
    expect(first).toMatchObject({ count: 200, limitApplied: 200, hasMore: true });
    const second = await run(tool("sessions_list"), { limit: 1000, offset: first.nextOffset });
    expect(second.count).toBe(255 - 200);
    expect(second.hasMore).toBe(false);
    const keys = new Set([...first.sessions, ...second.sessions].map((row) => row.key));
    expect(keys.size).toBe(255);
  });

  it("stops at the 64 KiB budget, with byte-limit and a continuation at the first omitted row", async () => {
    const { port, tool } = setup({ visibility: "all" });
    for (let i = 0; i < 150; i += 1) port.add(session(`agent:main:big-${i}`, { label: "x".repeat(500) }));
    const result = await run(tool("sessions_list"), { limit: 200 });
    expect(result.truncationReason).toBe("byte-limit");
    expect(JSON.stringify(result.sessions).length).toBeLessThan(64 * 1024);
    const next = await run(tool("sessions_list"), { limit: 200, offset: result.nextOffset });
    expect(next.sessions[0]?.key).not.toBe(result.sessions.at(-1)?.key);
    expect(Number(result.count) + Number(next.count)).toBe(155);
  });

  it("adds the newest messages per row with messageLimit, credentials masked", async () => {
    const { port, tool } = setup();
    port.histories.set("agent:main:subagent:a", [
      { role: "user", text: "token=abcdef123456", ts: 1 },
      { role: "tool", text: "", ts: 2, toolName: "read" },
      { role: "assistant", text: "done", ts: 3 },
    ]);
    const result = await run(tool("sessions_list"), { messageLimit: 5 });
    const child = result.sessions.find((row) => row.key === "agent:main:subagent:a") as unknown as {
      messages: { role: string; text: string }[];
    };
    expect(child.messages).toEqual([
      { role: "user", text: "[redacted]", timestamp: 1 },
      { role: "assistant", text: "done", timestamp: 3 },
    ]);
  });

  it("refuses OpenClaw filters it cannot apply instead of ignoring them", async () => {
    const { tool } = setup();
    await expect(run(tool("sessions_list"), { relationship: "owned" })).rejects.toThrow(/relationship/);
    await expect(run(tool("sessions_list"), { includeDerivedTitles: false })).resolves.toBeDefined();
  });
});

describe("sessions_history", () => {
  function withHistory() {
    const context = setup();
    context.port.histories.set("agent:main:subagent:a", [
      { role: "user", text: "find the report", ts: 1 },
      { role: "tool", text: "", ts: 2, toolName: "web_fetch", toolCallId: "c1", args: { url: "https://x" } },
      { role: "assistant", text: `Authorization: Bearer sk-abcdefghijklmnop0123 ${"y".repeat(5000)}`, ts: 3 },
    ]);
    return context;
  }

  it("returns the newest messages without tool rows, long text cut and credentials masked", async () => {
    const { tool } = withHistory();
    const result = await run(tool("sessions_history"), { sessionKey: "agent:main:subagent:a" });
    const messages = result.messages as { role: string; text: string }[];
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[1]?.text).toContain("[redacted]");
    expect(messages[1]?.text).not.toContain("sk-abcdef");
    expect(messages[1]?.text.endsWith("…(truncated)…")).toBe(true);
    expect(result).toMatchObject({ contentTruncated: true, contentRedacted: true, hasMore: false });
  });

  it("includes tool calls with includeTools and pages back with offset", async () => {
    const { tool } = withHistory();
    const all = await run(tool("sessions_history"), {
      sessionKey: "agent:main:subagent:a",
      includeTools: true,
    });
    expect((all.messages as { role: string }[]).map((m) => m.role)).toEqual(["user", "tool", "assistant"]);
    const page = await run(tool("sessions_history"), { sessionKey: "agent:main:subagent:a", limit: 1 });
    expect(page).toMatchObject({ hasMore: true, nextOffset: 1 });
    const older = await run(tool("sessions_history"), {
      sessionKey: "agent:main:subagent:a",
      limit: 1,
      offset: 1,
    });
    expect(older.messages).toEqual([{ role: "user", text: "find the report", timestamp: 1 }]);
    expect(older.hasMore).toBe(false);
  });

  it("keeps the newest messages within 80 KB and says older ones were dropped", async () => {
    const { port, tool } = setup();
    port.histories.set(
      DM,
      Array.from({ length: 100 }, (_, i) => ({
        role: "user" as const,
        text: `${i} ${"z".repeat(3000)}`,
        ts: i,
      })),
    );
    const result = await run(tool("sessions_history"), { sessionKey: "current", limit: 100 });
    const messages = result.messages as { text: string }[];
    expect(result.droppedMessages).toBe(true);
    expect(result.bytes).toBeLessThanOrEqual(80 * 1024);
    expect(messages.at(-1)?.text.startsWith("99 ")).toBe(true);
  });

  it("answers forbidden for a session outside the visibility scope", async () => {
    const { tool } = setup();
    const result = await run(tool("sessions_history"), { sessionKey: "agent:main:main" });
    expect(result).toEqual({
      status: "forbidden",
      error: expect.stringContaining("tools.sessions.visibility"),
    });
  });
});

describe("sessions_send", () => {
  it("waits for the reply and returns it, marking the request with the caller", async () => {
    const { port, tool } = setup();
    const result = await run(tool("sessions_send"), {
      sessionKey: "agent:main:subagent:a",
      message: "status?",
    });
    expect(result).toEqual({
      runId: "run-1",
      status: "ok",
      sessionKey: "agent:main:subagent:a",
      delivery: { status: "skipped", mode: "announce" },
      reply: "pong",
    });
    expect(port.sent[0]).toMatchObject({ requesterSessionKey: DM, waitMs: 30_000, message: "status?" });
  });

  it("reports accepted for timeoutSeconds 0, timeout and no_reply in OpenClaw's shapes", async () => {
    const { port, tool } = setup();
    port.sendOutcome = (request) =>
      request.waitMs === 0 ? { status: "accepted", runId: "r0" } : { status: "timeout", runId: "r1" };
    expect(
      await run(tool("sessions_send"), {
        sessionKey: "agent:main:subagent:a",
        message: "go",
        timeoutSeconds: 0,
      }),
    ).toMatchObject({ status: "accepted", runId: "r0", targetDisposition: "queued" });
    expect(
      await run(tool("sessions_send"), {
        sessionKey: "agent:main:subagent:a",
        message: "go",
        timeoutSeconds: 5,
      }),
    ).toMatchObject({
      status: "timeout",
      sentBeforeError: true,
      error: expect.stringContaining("sessions_history"),
    });
    port.sendOutcome = () => ({ status: "ok", runId: "r2", reply: "  " });
    expect(
      await run(tool("sessions_send"), { sessionKey: "agent:main:subagent:a", message: "go" }),
    ).toMatchObject({
      status: "no_reply",
    });
  });

  it("refuses the caller's own session, invisible sessions and modes it does not implement", async () => {
    const { port, tool } = setup();
    expect(await run(tool("sessions_send"), { sessionKey: DM, message: "hi" })).toMatchObject({
      status: "error",
      error: expect.stringContaining("current session"),
    });
    expect(await run(tool("sessions_send"), { sessionKey: "agent:ops:main", message: "hi" })).toMatchObject({
      status: "forbidden",
    });
    expect(
      await run(tool("sessions_send"), { sessionKey: "agent:main:subagent:a", message: "hi", mode: "steer" }),
    ).toMatchObject({ status: "error", error: expect.stringContaining('mode "steer"') });
    await expect(
      run(tool("sessions_send"), { sessionKey: "agent:main:subagent:a", message: "hi", watch: true }),
    ).rejects.toThrow(ToolError);
    expect(port.sent).toHaveLength(0);
  });

  it("finds a target by label", async () => {
    const { port, tool } = setup();
    await run(tool("sessions_send"), { label: "research", message: "hi" });
    expect(port.sent[0]?.sessionKey).toBe("agent:main:subagent:a");
  });
});

describe("sessions_spawn", () => {
  it("accepts a spawn and hands the port the task, limits and defaults", async () => {
    const { port, tool, current } = setup();
    current.subagents = { ...current.subagents, model: "fake/cheap", runTimeoutSeconds: 90 };
    const result = await run(tool("sessions_spawn"), { task: "summarise the logs", taskName: "logs" });
    expect(result).toEqual({
      status: "accepted",
      childSessionKey: "agent:main:subagent:1",
      runId: "child-run-1",
      mode: "run",
      expectsCompletionMessage: true,
      context: "isolated",
      taskName: "logs",
      resolvedModel: "fake/cheap",
      resolvedProvider: "fake",
    });
    expect(port.spawned[0]).toMatchObject({
      parentSessionKey: DM,
      agentId: "main",
      task: "summarise the logs",
      label: "logs",
      model: "fake/cheap",
      runTimeoutMs: 90_000,
      cleanup: "keep",
      limits: { maxChildrenPerSession: 5, maxConcurrent: 8 },
    });
  });

  it("refuses at maxSpawnDepth and beyond maxChildrenPerAgent", async () => {
    const { tool, current } = setup();
    current.subagents = { ...current.subagents, maxSpawnDepth: 1, maxChildrenPerAgent: 1 };
    expect(await run(tool("sessions_spawn"), { task: "deeper" }, "agent:main:subagent:a")).toMatchObject({
      status: "forbidden",
      error: expect.stringContaining("current depth: 1, max: 1"),
    });
    expect((await run(tool("sessions_spawn"), { task: "one" })).status).toBe("accepted");
    expect(await run(tool("sessions_spawn"), { task: "two" })).toMatchObject({ status: "forbidden" });
  });

  it("targets another agent only when allowAgents lists it, and never forks across agents", async () => {
    const { tool, current } = setup();
    expect(await run(tool("sessions_spawn"), { task: "t", agentId: "ops" })).toMatchObject({
      status: "forbidden",
      error: expect.stringContaining("allowAgents"),
    });
    current.subagents = { ...current.subagents, allowAgents: ["ops"] };
    expect(await run(tool("sessions_spawn"), { task: "t", agentId: "ops" })).toMatchObject({
      status: "accepted",
      childSessionKey: "agent:ops:subagent:1",
    });
    expect(await run(tool("sessions_spawn"), { task: "t", agentId: "ops", context: "fork" })).toMatchObject({
      status: "error",
    });
  });

  it("refuses parameters that would change behaviour it does not implement", async () => {
    const { port, tool } = setup();
    await expect(run(tool("sessions_spawn"), { task: "t", thinking: "high" })).rejects.toThrow(/thinking/);
    await expect(run(tool("sessions_spawn"), { task: "t", channel: "telegram" })).rejects.toThrow(/channel/);
    expect(await run(tool("sessions_spawn"), { task: "t", sandbox: "require" })).toMatchObject({
      status: "forbidden",
    });
    expect(await run(tool("sessions_spawn"), { task: "t", runtime: "acp" })).toMatchObject({
      status: "forbidden",
    });
    expect(port.spawned).toHaveLength(0);
  });
});

describe("session_status and agents_list", () => {
  it("describes the current session with its model and usage", async () => {
    const { port, tool } = setup();
    port.sessions[1] = {
      ...(port.sessions[1] ?? session(DM)),
      inputTokens: 10,
      outputTokens: 4,
      messageCount: 6,
    };
    const result = await run(tool("session_status"), {});
    expect(result).toMatchObject({
      ok: true,
      sessionKey: DM,
      agentId: "main",
      model: "fake/model-a",
      usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14 },
      messageCount: 6,
      running: true,
    });
    expect(result.statusText).toContain("Model: fake/model-a");
    await expect(run(tool("session_status"), { model: "fake/other" })).rejects.toThrow(/model/);
  });

  it("lists the spawn targets: the caller's agent, and others only as allowAgents permits", async () => {
    const { tool, current } = setup();
    expect(await run(tool("agents_list"), {})).toEqual({
      requester: "main",
      allowAny: false,
      agents: [{ id: "main", configured: true, model: "fake/model-a" }],
    });
    current.subagents = { ...current.subagents, allowAgents: ["*"] };
    const all = await run(tool("agents_list"), {});
    expect(all).toMatchObject({ allowAny: true, agents: [{ id: "main" }, { id: "ops", name: "Ops" }] });
  });
});
