import { describe, expect, it } from "vitest";
import { CORE_TOOL_GROUPS } from "./core-tool-catalog.js";
import { evaluateTool, filterTools, partitionTools } from "./filter-tools.js";
import { httpToolDenyLayers } from "./http-tool-deny.js";
import { resolveToolPolicy, type ToolPolicySource } from "./resolve-tool-policy.js";
import { ToolPolicyConfigSchema } from "./tool-policy-config.js";
import { describeUnknownToolNames } from "./unknown-tool-names.js";

/** The tools this gateway registers, plus one plugin tool. */
const TOOLS = [
  "read",
  "write",
  "edit",
  "apply_patch",
  "exec",
  "process",
  "web_fetch",
  "web_search",
  "memory_search",
  "memory_get",
  "message",
  "sessions_list",
  "sessions_spawn",
  "session_status",
  "agents_list",
  "cron",
  "view_image",
].map((name) => ({ name }));
const PLUGIN_TOOL = { name: "weather_lookup", source: "plugin" as const, pluginId: "weather" };

function offered(config: ToolPolicySource, context: Partial<Parameters<typeof resolveToolPolicy>[1]> = {}) {
  const policy = resolveToolPolicy(config, { agentId: "main", ...context });
  return filterTools([...TOOLS, PLUGIN_TOOL], policy, (tool) => tool).map((tool) => tool.name);
}

describe("groups", () => {
  it("match OpenClaw's membership", () => {
    expect(CORE_TOOL_GROUPS.get("group:fs")).toEqual(["ls", "read", "write", "edit", "apply_patch"]);
    expect(CORE_TOOL_GROUPS.get("group:runtime")).toEqual(["exec", "process", "code_execution", "secrets"]);
    expect(CORE_TOOL_GROUPS.get("group:web")).toEqual(["web_search", "web_fetch", "x_search"]);
    expect(CORE_TOOL_GROUPS.get("group:memory")).toEqual(["memory_search", "memory_get"]);
    expect(CORE_TOOL_GROUPS.get("group:messaging")).toEqual(["message"]);
    expect(CORE_TOOL_GROUPS.get("group:automation")).toEqual([
      "heartbeat_respond",
      "automations",
      "gateway",
      "plugins",
      "openclaw",
    ]);
    expect(CORE_TOOL_GROUPS.get("group:sessions")).toContain("sessions_spawn");
    expect(CORE_TOOL_GROUPS.get("group:openclaw")).not.toContain("read");
    expect(CORE_TOOL_GROUPS.get("group:openclaw")).not.toContain("canvas");
    expect(CORE_TOOL_GROUPS.get("group:openclaw")).toContain("web_fetch");
  });

  it("expand in allow and deny, and cron counts as OpenClaw's automations tool", () => {
    expect(offered({ tools: { allow: ["group:fs", "group:automation"] } })).toEqual([
      "read",
      "write",
      "edit",
      "apply_patch",
      "cron",
    ]);
    expect(offered({ tools: { deny: ["group:runtime", "group:web", "group:sessions"] } })).toEqual([
      "read",
      "write",
      "edit",
      "apply_patch",
      "memory_search",
      "memory_get",
      "message",
      "agents_list",
      "cron",
      "view_image",
      "weather_lookup",
    ]);
  });

  it("group:plugins and a plugin id cover plugin tools only", () => {
    expect(offered({ tools: { allow: ["group:plugins"] } })).toEqual(["weather_lookup"]);
    expect(offered({ tools: { deny: ["weather"] } })).not.toContain("weather_lookup");
    expect(offered({ tools: { allow: ["group:openclaw"] } })).not.toContain("weather_lookup");
  });
});

describe("profiles", () => {
  it("unset offers every tool, as OpenClaw does", () => {
    expect(offered({})).toEqual([...TOOLS.map((tool) => tool.name), "weather_lookup"]);
    expect(resolveToolPolicy({}, { agentId: "main" })).toMatchObject({ profile: undefined, layers: [] });
  });

  it("minimal, coding, messaging and full select OpenClaw's base allowlists", () => {
    expect(offered({ tools: { profile: "minimal" } })).toEqual(["session_status"]);
    expect(offered({ tools: { profile: "messaging" } })).toEqual([
      "message",
      "sessions_list",
      "sessions_spawn",
      "session_status",
    ]);
    const coding = offered({ tools: { profile: "coding" } });
    expect(coding).toEqual(
      expect.arrayContaining(["read", "exec", "web_fetch", "memory_get", "cron", "view_image"]),
    );
    expect(coding).not.toContain("message");
    expect(coding).not.toContain("agents_list");
    expect(coding).not.toContain("weather_lookup");
    expect(offered({ tools: { profile: "full" } })).toHaveLength(TOOLS.length + 1);
  });

  it("alsoAllow widens the profile; alsoAllow alone narrows nothing", () => {
    expect(offered({ tools: { profile: "minimal", alsoAllow: ["message", "group:memory"] } })).toEqual([
      "memory_search",
      "memory_get",
      "message",
      "session_status",
    ]);
    expect(offered({ tools: { alsoAllow: ["message"] } })).toHaveLength(TOOLS.length + 1);
  });

  it("allow with alsoAllow in one place is refused, as OpenClaw's validation does", () => {
    const parsed = ToolPolicyConfigSchema.safeParse({ allow: ["read"], alsoAllow: ["write"] });
    expect(parsed.success).toBe(false);
    // At run time such a rule offers nothing rather than guessing.
    expect(offered({ tools: { allow: ["read"], alsoAllow: ["write"] } })).toEqual([]);
  });

  it("explains what removed a tool and what would offer it", () => {
    const policy = resolveToolPolicy({ tools: { profile: "minimal", deny: ["exec"] } }, { agentId: "main" });
    expect(evaluateTool({ name: "read" }, policy)).toEqual({
      allowed: false,
      layer: "tools.profile (minimal)",
      reason: "not allowed by tools.profile (minimal); add it to tools.alsoAllow to offer it",
    });
    expect(evaluateTool({ name: "exec" }, policy)).toMatchObject({ allowed: false });
  });
});

describe("allow and deny", () => {
  it("deny wins over allow, in the same layer and across layers", () => {
    expect(offered({ tools: { allow: ["read", "exec"], deny: ["exec"] } })).toEqual(["read"]);
    expect(
      offered({ tools: { profile: "coding", alsoAllow: ["exec"], deny: ["group:runtime"] } }),
    ).not.toContain("exec");
  });

  it("matches case-insensitively, with * wildcards and aliases", () => {
    expect(offered({ tools: { allow: ["WEB_*", "Memory_*"] } })).toEqual([
      "web_fetch",
      "web_search",
      "memory_search",
      "memory_get",
    ]);
    expect(offered({ tools: { deny: ["*"] } })).toEqual([]);
    expect(offered({ tools: { allow: ["bash"] } })).toEqual(["exec"]);
    expect(offered({ tools: { deny: ["automations"] } })).not.toContain("cron");
  });

  it("allowing write also allows apply_patch, but denying write does not deny it", () => {
    expect(offered({ tools: { allow: ["write"] } })).toEqual(["write", "apply_patch"]);
    expect(offered({ tools: { deny: ["write"] } })).toContain("apply_patch");
  });
});

describe("per agent and per provider", () => {
  const config: ToolPolicySource = {
    tools: {
      profile: "coding",
      byProvider: { anthropic: { profile: "minimal" }, "openai/gpt-5": { deny: ["exec"] } },
    },
    agents: {
      list: [
        { id: "main" },
        { id: "reader", tools: { allow: ["read", "memory_*"] } },
        { id: "chat", tools: { profile: "messaging", alsoAllow: ["web_fetch"] } },
      ],
    },
  };

  it("an agent's tools narrow the global policy; its profile replaces the global one", () => {
    expect(offered(config, { agentId: "reader" })).toEqual(["read", "memory_search", "memory_get"]);
    expect(offered(config, { agentId: "chat" })).toEqual([
      "web_fetch",
      "message",
      "sessions_list",
      "sessions_spawn",
      "session_status",
    ]);
    expect(resolveToolPolicy(config, { agentId: "chat" }).layers.map((layer) => layer.label)).toEqual([
      "agents.list[2].tools.profile (messaging)",
      "agents.list[2].tools",
    ]);
  });

  it("the keyed roster (agents.entries) is read when present", () => {
    const keyed = { agents: { entries: { ops: { tools: { deny: ["group:fs"] } } } } };
    expect(offered(keyed, { agentId: "ops" })).not.toContain("read");
    expect(offered(keyed, { agentId: "main" })).toContain("read");
  });

  it("byProvider narrows for a provider, and a provider/model key wins over the provider", () => {
    expect(offered(config, { provider: "anthropic", model: "claude-sonnet-4-5" })).toEqual([
      "session_status",
    ]);
    const gpt = offered(config, { provider: "OpenAI", model: "gpt-5" });
    expect(gpt).toContain("read");
    expect(gpt).not.toContain("exec");
    expect(offered(config, { provider: "openai", model: "gpt-4o" })).toContain("exec");
  });

  it("an invalid agent rule offers nothing and says where to fix it", () => {
    const policy = resolveToolPolicy(
      { agents: { list: [{ id: "main", tools: { deny: "exec" } }] } },
      { agentId: "main" },
    );
    expect(filterTools(TOOLS, policy)).toEqual([]);
    expect(evaluateTool({ name: "read" }, policy)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("agents.list[0].tools.deny"),
    });
  });
});

describe("channel groups and senders", () => {
  const channels = {
    telegram: {
      groups: {
        "*": { tools: { deny: ["exec"] } },
        "-100123": {
          tools: { deny: ["exec", "write"] },
          toolsBySender: { "id:42": { alsoAllow: ["exec"] } },
        },
        "-100777:topic:9": { tools: { allow: ["read"] } },
      },
      accounts: { work: { groups: { "-100123": { tools: { allow: ["message"] } } } } },
    },
  };
  const group = { channel: "telegram", chatType: "group" as const, groupId: "-100123" };

  it("a group's tools narrow the run; the default group '*' covers the others", () => {
    expect(offered({ channels }, group)).not.toContain("write");
    expect(offered({ channels }, { ...group, groupId: "-100999" })).toEqual(
      expect.not.arrayContaining(["exec"]),
    );
    expect(offered({ channels }, { ...group, groupId: "-100999" })).toContain("write");
    expect(offered({ channels }, { chatType: "direct", channel: "telegram", senderId: "7" })).toContain(
      "exec",
    );
  });

  it("a sender's rule in the group replaces the group's tools (most specific wins)", () => {
    expect(offered({ channels }, { ...group, senderId: "42" })).toContain("write");
    expect(offered({ channels }, { ...group, senderId: "43" })).not.toContain("write");
  });

  it("a forum topic is looked up before its chat, and an account's groups replace the channel's", () => {
    expect(offered({ channels }, { ...group, groupId: "-100777", threadId: "9" })).toEqual(["read"]);
    expect(offered({ channels }, { ...group, accountId: "work" })).toEqual(["message"]);
  });

  it("tools.toolsBySender needs a reported sender; an agent's match overrides the global one", () => {
    const config = {
      tools: { toolsBySender: { "*": { deny: ["exec"] }, "channel:telegram:42": { deny: ["write"] } } },
      agents: { list: [{ id: "main" }, { id: "ops", tools: { toolsBySender: { "id:42": {} } } }] },
    };
    expect(offered(config)).toContain("exec");
    expect(offered(config, { channel: "telegram", senderId: "7" })).not.toContain("exec");
    const fortyTwo = offered(config, { channel: "telegram", senderId: "42" });
    expect(fortyTwo).toContain("exec");
    expect(fortyTwo).not.toContain("write");
    expect(offered(config, { agentId: "ops", channel: "telegram", senderId: "42" })).toContain("write");
  });
});

describe("the HTTP deny list", () => {
  it("refuses OpenClaw's dangerous tools unless gateway.tools.allow exposes them", () => {
    const base = resolveToolPolicy({}, { agentId: "main" });
    const http = { ...base, layers: [...base.layers, ...httpToolDenyLayers(undefined)] };
    const { kept, removed } = partitionTools(TOOLS, http);
    expect(removed.map(({ tool }) => tool.name)).toEqual(["apply_patch", "exec", "sessions_spawn", "cron"]);
    expect(kept.map((tool) => tool.name)).toContain("read");
    const exposed = { ...base, layers: httpToolDenyLayers({ allow: ["cron"], deny: ["read"] }) };
    expect(filterTools(TOOLS, exposed).map((tool) => tool.name)).toContain("cron");
    expect(filterTools(TOOLS, exposed).map((tool) => tool.name)).not.toContain("read");
  });
});

describe("unknown tool names", () => {
  it("are kept as patterns and reported once per layer", () => {
    const policy = resolveToolPolicy(
      { tools: { deny: ["exce", "browser", "group:fs"], allow: ["web_*", "nosuch_*", "weather"] } },
      { agentId: "main" },
    );
    expect(describeUnknownToolNames(policy, [...TOOLS, PLUGIN_TOOL])).toEqual([
      'tools names "nosuch_*", "exce", which matches no tool, group or plugin this gateway knows: check the spelling, or load the plugin that provides it',
    ]);
    expect(evaluateTool({ name: "exce" }, policy)).toMatchObject({ allowed: false });
  });
});
