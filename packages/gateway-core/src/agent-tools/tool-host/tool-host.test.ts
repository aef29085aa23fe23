import type { AgentTool, ToolContext } from "@openclaw/agent";
import { ToolError } from "@openclaw/tools";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type OpenClawConfig, OpenClawConfigSchema } from "../../config/index.js";
import { createToolHost, type ToolHostOptions } from "./tool-host.js";
import { ToolInvokeError } from "./tool-invoke-error.js";

/** A real tool: it validates its own arguments and records the context it ran with. */
function echoTool(name: string, description = `Echoes for ${name}.`) {
  const Args = z.object({ text: z.string().max(100), action: z.enum(["say", "shout"]).optional() });
  const calls: ToolContext[] = [];
  const tool: AgentTool = {
    name,
    description,
    parameters: Args,
    async execute(args, ctx) {
      const { text, action } = Args.parse(args);
      calls.push(ctx);
      return { echoed: action === "shout" ? text.toUpperCase() : text };
    },
  };
  return { tool, calls };
}

function failingTool(name: string, failure: () => Error): AgentTool {
  return {
    name,
    description: "Fails.",
    parameters: z.object({}),
    async execute() {
      throw failure();
    },
  };
}

function setup(config: Record<string, unknown>, extra: Partial<ToolHostOptions> = {}) {
  const read = echoTool("read", "Read file contents.\n\nLong explanation follows.");
  const message = echoTool("message");
  const exec = echoTool("exec");
  const plugin = echoTool("weather_lookup");
  const warnings: string[] = [];
  const tools = [read.tool, message.tool, exec.tool, plugin.tool];
  let current: OpenClawConfig = OpenClawConfigSchema.parse(config);
  const host = createToolHost({
    listTools: () => tools,
    listPluginTools: () => [plugin.tool],
    getConfig: () => current,
    logger: { warn: (text) => warnings.push(text) },
    ...extra,
  });
  return {
    host,
    tools,
    warnings,
    read,
    setConfig: (next: Record<string, unknown>) => {
      current = OpenClawConfigSchema.parse(next);
    },
  };
}

async function invokeError(promise: Promise<unknown>): Promise<ToolInvokeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolInvokeError);
  return error as ToolInvokeError;
}

describe("catalog", () => {
  it("lists every registered tool with its groups, source and JSON Schema", () => {
    const { host } = setup({});
    const catalog = host.catalog();
    expect(catalog.map((item) => [item.name, item.source])).toEqual([
      ["read", "core"],
      ["message", "core"],
      ["exec", "core"],
      ["weather_lookup", "plugin"],
    ]);
    expect(catalog[0]).toMatchObject({
      summary: "Read file contents.",
      groups: ["group:fs"],
      section: "fs",
      profiles: ["coding"],
      parameters: { type: "object", properties: { text: { type: "string", maxLength: 100 } } },
    });
    expect(catalog[3]).toMatchObject({ groups: ["group:plugins"], profiles: [] });
  });
});

describe("effective", () => {
  it("keeps what the policy offers and says why the rest is left out", () => {
    const { host } = setup({ tools: { profile: "coding", deny: ["exec"] } });
    const { context } = host.contextFor({});
    const effective = host.effective(context);
    expect(effective.tools.map((item) => item.name)).toEqual(["read"]);
    expect(effective.profile).toBe("coding");
    expect(effective.removed).toEqual([
      {
        name: "message",
        layer: "tools.profile (coding)",
        reason: "not allowed by tools.profile (coding); add it to tools.alsoAllow to offer it",
      },
      { name: "exec", layer: "tools", reason: 'denied by tools.deny ("exec")' },
      { name: "weather_lookup", layer: "tools.profile (coding)", reason: expect.any(String) },
    ]);
  });

  it("reads the agent's model for byProvider when the caller names none", () => {
    const { host } = setup(
      { tools: { byProvider: { anthropic: { deny: ["read"] } } } },
      { resolveModel: () => ({ provider: "anthropic", model: "claude-sonnet-4-5" }) },
    );
    const { context } = host.contextFor({});
    expect(context).toMatchObject({ agentId: "main", provider: "anthropic" });
    expect(host.effective(context).tools.map((item) => item.name)).not.toContain("read");
    const run = (model?: string) =>
      host
        .effectiveForRun({ agentId: "main", sessionKey: "agent:main:main", model })
        .map((tool) => tool.name);
    expect(run()).not.toContain("read");
    expect(run("openai/gpt-5")).toContain("read");
    expect(run("anthropic/claude-opus-4")).not.toContain("read");
  });
});

describe("effectiveForRun", () => {
  const config = {
    agents: { list: [{ id: "main" }, { id: "ops", tools: { allow: ["group:fs", "group:plugins"] } }] },
    channels: { telegram: { groups: { "-100123": { tools: { deny: ["exec"] } } } } },
  };

  it("derives the group from the session key, so a group's deny reaches the run", () => {
    const { host } = setup(config);
    const names = (sessionKey: string, agentId = "main") =>
      host.effectiveForRun({ agentId, sessionKey }).map((tool) => tool.name);
    expect(names("agent:main:telegram:group:-100123")).toEqual(["read", "message", "weather_lookup"]);
    expect(names("agent:main:telegram:direct:42")).toContain("exec");
    expect(names("agent:ops:main", "ops")).toEqual(["read", "weather_lookup"]);
  });

  it("follows config edits at once and warns once about names nothing matches", () => {
    const { host, warnings, setConfig } = setup({});
    expect(host.effectiveForRun({ agentId: "main", sessionKey: "agent:main:main" })).toHaveLength(4);
    setConfig({ tools: { deny: ["exce", "message"] } });
    for (let run = 0; run < 3; run += 1) {
      expect(host.effectiveForRun({ agentId: "main", sessionKey: "agent:main:main" })).toHaveLength(3);
    }
    expect(warnings).toEqual([
      expect.stringMatching(/^tool policy: tools names "exce", which matches no tool/),
    ]);
  });
});

describe("invoke", () => {
  it("runs the tool outside a model turn and returns its result", async () => {
    const { host, read } = setup({});
    const outcome = await host.invoke({ name: "read", args: { text: "hi" }, action: "shout" });
    expect(outcome).toEqual({ toolName: "read", source: "core", result: { echoed: "HI" } });
    expect(read.calls[0]).toMatchObject({ sessionKey: "agent:main:main", agentId: "main", toolCallId: "" });
    expect(read.calls[0]?.runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses bad arguments before the tool runs", async () => {
    const { host, read } = setup({});
    const error = await invokeError(host.invoke({ name: "read", args: { text: 7 } }));
    expect(error.code).toBe("INVALID_ARGUMENTS");
    expect(error.message).toMatch(/^invalid arguments for read: text: /);
    expect(read.calls).toHaveLength(0);
  });

  it("answers NOT_FOUND for an unknown tool and for one the policy removes, with the reason", async () => {
    const { host } = setup({ tools: { deny: ["read"] } });
    expect((await invokeError(host.invoke({ name: "nope" }))).code).toBe("NOT_FOUND");
    const denied = await invokeError(host.invoke({ name: "read", args: { text: "x" } }));
    expect(denied.code).toBe("NOT_FOUND");
    expect(denied.message).toBe('Tool not available: read (denied by tools.deny ("read"))');
  });

  it("adds the HTTP deny list on the http surface; gateway.tools.allow exposes a tool", async () => {
    const { host, setConfig } = setup({});
    await expect(host.invoke({ name: "exec", args: { text: "x" } })).resolves.toMatchObject({
      toolName: "exec",
    });
    const refused = await invokeError(host.invoke({ name: "exec", args: { text: "x" }, surface: "http" }));
    expect(refused.message).toContain("the default HTTP deny list");
    setConfig({ gateway: { tools: { allow: ["exec"] } } });
    await expect(host.invoke({ name: "bash", args: { text: "x" }, surface: "http" })).resolves.toMatchObject({
      toolName: "exec",
    });
  });

  it("refuses a session key of another agent", async () => {
    const { host } = setup({ agents: { list: [{ id: "main" }, { id: "ops" }] } });
    const error = await invokeError(
      host.invoke({ name: "read", agentId: "main", sessionKey: "agent:ops:main" }),
    );
    expect(error).toMatchObject({ code: "INVALID_REQUEST" });
    expect(error.message).toContain('does not match session agent "ops"');
  });

  it("types the tool's own failures: refusals, reported errors and crashes", async () => {
    const warnings: string[] = [];
    const tools = [
      failingTool("outside", () => new ToolError("PATH_OUTSIDE_WORKSPACE", "that path leaves the workspace")),
      failingTool("missing", () => new ToolError("NOT_FOUND", "no such file")),
      failingTool("crash", () => new Error("secret internals")),
    ];
    const host = createToolHost({
      listTools: () => tools,
      getConfig: () => OpenClawConfigSchema.parse({}),
      logger: { warn: (text, fields) => warnings.push(`${text} ${JSON.stringify(fields)}`) },
    });
    expect(await invokeError(host.invoke({ name: "outside" }))).toMatchObject({
      code: "DENIED",
      message: "that path leaves the workspace",
    });
    expect(await invokeError(host.invoke({ name: "missing" }))).toMatchObject({ code: "TOOL_ERROR" });
    expect(await invokeError(host.invoke({ name: "crash" }))).toMatchObject({
      code: "TOOL_FAILED",
      message: "tool execution failed",
    });
    expect(warnings).toEqual([expect.stringContaining("secret internals")]);
  });
});

describe("the config", () => {
  it("refuses allow and alsoAllow in one place, as OpenClaw's validation does", () => {
    expect(OpenClawConfigSchema.safeParse({ tools: { allow: ["read"], alsoAllow: ["exec"] } }).success).toBe(
      false,
    );
    const agent = { agents: { list: [{ id: "main", tools: { allow: ["read"], alsoAllow: ["exec"] } }] } };
    expect(OpenClawConfigSchema.safeParse(agent).success).toBe(false);
    expect(OpenClawConfigSchema.safeParse({ tools: { profile: "everything" } }).success).toBe(false);
  });
});
