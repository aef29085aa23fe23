import { describe, expect, it } from "vitest";
import { MemorySessionsPort, session, settings } from "./memory-sessions-port.test-support.js";
import { resolveSessionToolSettings } from "./session-tools-config.js";
import { agentToAgentAllows, decideSessionAccess } from "./session-visibility.js";

const MAIN = { key: "agent:main:main", agentId: "main", isMain: true };
const DM = { key: "agent:main:telegram:direct:42", agentId: "main", isMain: false };

function world() {
  return new MemorySessionsPort().add(
    session("agent:main:main"),
    session("agent:main:telegram:direct:42"),
    session("agent:main:subagent:a", { parentSessionKey: DM.key, spawnDepth: 1 }),
    session("agent:main:subagent:b", { parentSessionKey: "agent:main:subagent:a", spawnDepth: 2 }),
    session("agent:work:subagent:c", { parentSessionKey: DM.key, spawnDepth: 1 }),
    session("agent:work:main"),
  );
}

async function allowed(
  caller: typeof MAIN,
  key: string,
  visibility: "self" | "tree" | "agent" | "all",
  agentToAgent: { enabled: boolean; allow?: string[] } = { enabled: true },
) {
  const port = world();
  const target = await port.get(key);
  if (!target) throw new Error(`no session ${key}`);
  const decision = await decideSessionAccess(caller, target, { visibility, agentToAgent }, (k) =>
    port.get(k),
  );
  return decision.allowed;
}

describe("decideSessionAccess", () => {
  it("self: only the caller's own session, even from main", async () => {
    expect(await allowed(MAIN, MAIN.key, "self")).toBe(true);
    expect(await allowed(MAIN, DM.key, "self")).toBe(false);
  });

  it("tree: the caller and its descendants at any depth, across agents for its own children", async () => {
    expect(await allowed(DM, "agent:main:subagent:a", "tree")).toBe(true);
    expect(await allowed(DM, "agent:main:subagent:b", "tree")).toBe(true);
    expect(await allowed(DM, "agent:work:subagent:c", "tree")).toBe(true);
    expect(await allowed(DM, MAIN.key, "tree")).toBe(false);
    expect(await allowed({ ...DM, key: "agent:main:subagent:a" }, DM.key, "tree")).toBe(false);
  });

  it("tree: from the main session, every session of the same agent but not other agents'", async () => {
    expect(await allowed(MAIN, DM.key, "tree")).toBe(true);
    expect(await allowed(MAIN, "agent:main:subagent:b", "tree")).toBe(true);
    expect(await allowed(MAIN, "agent:work:main", "tree")).toBe(false);
  });

  it("agent: every session of the agent, and no other agent's, not even an owned child", async () => {
    expect(await allowed(DM, MAIN.key, "agent")).toBe(true);
    expect(await allowed(DM, "agent:work:subagent:c", "agent")).toBe(false);
  });

  it("all: other agents only while tools.agentToAgent allows both agents", async () => {
    expect(await allowed(MAIN, "agent:work:main", "all")).toBe(true);
    expect(await allowed(MAIN, "agent:work:main", "all", { enabled: false })).toBe(false);
    expect(await allowed(MAIN, "agent:work:main", "all", { enabled: true, allow: ["main"] })).toBe(false);
    expect(await allowed(MAIN, "agent:work:main", "all", { enabled: true, allow: ["main", "work"] })).toBe(
      true,
    );
    // Owned children stay reachable even with cross-agent access off.
    expect(await allowed(DM, "agent:work:subagent:c", "all", { enabled: false })).toBe(true);
  });

  it("explains a denial with the config key to change", async () => {
    const port = world();
    const target = await port.get(MAIN.key);
    const decision = await decideSessionAccess(DM, target ?? session("x"), settings(), (k) => port.get(k));
    expect(decision).toEqual({
      allowed: false,
      reason: expect.stringContaining('tools.sessions.visibility is "tree"'),
    });
  });
});

describe("agentToAgentAllows", () => {
  it("treats an empty list as allow-all, blank-only as deny-all, and * patterns case-insensitively", () => {
    expect(agentToAgentAllows(undefined, "a", "b")).toBe(true);
    expect(agentToAgentAllows([], "a", "b")).toBe(true);
    expect(agentToAgentAllows(["  "], "a", "b")).toBe(false);
    expect(agentToAgentAllows(["home", "WORK-*"], "home", "work-2")).toBe(true);
    expect(agentToAgentAllows(["Home"], "home", "home")).toBe(false);
  });
});

describe("resolveSessionToolSettings", () => {
  it("defaults to tree visibility and OpenClaw's sub-agent limits", () => {
    expect(resolveSessionToolSettings({}, "main")).toEqual({
      visibility: "tree",
      agentToAgent: { enabled: true },
      subagents: {
        maxSpawnDepth: 5,
        maxChildrenPerAgent: 5,
        maxConcurrent: 8,
        runTimeoutSeconds: 0,
        requireAgentId: false,
      },
    });
  });

  it("lets an agent's own subagents fields override the defaults, in both roster forms", () => {
    const config = {
      tools: { sessions: { visibility: "all" }, agentToAgent: { allow: ["main", "ops"] } },
      agents: {
        defaults: { subagents: { maxSpawnDepth: 2, maxChildrenPerAgent: 3, allowAgents: ["*"] } },
        list: [{ id: "ops", subagents: { maxChildrenPerAgent: 1 } }],
      },
    };
    const ops = resolveSessionToolSettings(config, "ops");
    expect(ops.visibility).toBe("all");
    expect(ops.agentToAgent).toEqual({ enabled: true, allow: ["main", "ops"] });
    expect(ops.subagents).toMatchObject({ maxSpawnDepth: 2, maxChildrenPerAgent: 1, allowAgents: ["*"] });
    const keyed = resolveSessionToolSettings(
      { agents: { entries: { ops: { subagents: { maxSpawnDepth: 1 } } } } },
      "ops",
    );
    expect(keyed.subagents.maxSpawnDepth).toBe(1);
  });

  it("refuses an out-of-range value, naming it", () => {
    expect(() =>
      resolveSessionToolSettings({ agents: { defaults: { subagents: { maxSpawnDepth: 9 } } } }, "main"),
    ).toThrow(/maxSpawnDepth/);
    expect(() =>
      resolveSessionToolSettings({ tools: { sessions: { visibility: "everyone" } } }, "main"),
    ).toThrow(/visibility/);
  });
});
