import type { AgentTool } from "@openclaw/agent";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PluginRegistry } from "../channels/index.js";
import { callChecked, type TestGateway, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

/** A plugin's tool: it checks its own arguments and reports the session and agent it ran for. */
function noteTool(name: string): AgentTool {
  const Args = z.object({ text: z.string().max(200), times: z.int().min(1).max(3).optional() });
  return {
    name,
    description: `Repeats a note (${name}).\n\nUsed by the tools integration test.`,
    parameters: Args,
    async execute(args, ctx) {
      const { text, times = 1 } = Args.parse(args);
      return { note: text.repeat(times), sessionKey: ctx.sessionKey, agentId: ctx.agentId };
    },
  };
}

async function startWithTools(): Promise<TestGateway> {
  const plugins = new PluginRegistry();
  plugins.registerTool(noteTool("note_echo"));
  plugins.registerTool(noteTool("note_secret"));
  return env.start({
    plugins,
    config: {
      tools: { deny: ["note_secret"], exec: { mode: "ask" } },
      channels: { telegram: { groups: { "-100777": { tools: { deny: ["note_echo"] } } } } },
    },
  });
}

async function invoke(
  gateway: TestGateway,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${gateway.token}` },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.server.httpUrl}/tools/invoke`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe("tools over WebSocket", () => {
  it("tools.catalog lists a plugin's tools; tools.effective leaves out what the policy denies, saying why", async () => {
    const gateway = await startWithTools();
    const { client } = await env.connect(gateway);

    const catalog = await callChecked(client, "tools.catalog", {});
    expect(catalog.agentId).toBe("main");
    expect(catalog.profiles.map((profile) => profile.id)).toEqual(["minimal", "coding", "messaging", "full"]);
    const plugin = catalog.groups.find((group) => group.source === "plugin");
    expect(plugin?.tools.map((tool) => tool.id)).toEqual(["note_echo", "note_secret"]);
    expect(plugin?.tools[0]).toMatchObject({
      description: "Repeats a note (note_echo).",
      defaultProfiles: [],
    });
    const runtime = catalog.groups.find((group) => group.id === "runtime");
    expect(runtime?.tools.map((tool) => tool.id)).toContain("exec");
    expect((await callChecked(client, "tools.catalog", { includePlugins: false })).groups).not.toContainEqual(
      expect.objectContaining({ source: "plugin" }),
    );

    const effective = await callChecked(client, "tools.effective", { sessionKey: "agent:main:main" });
    expect(effective.profile).toBe("full");
    const offered = effective.groups.flatMap((group) => group.tools.map((tool) => tool.id));
    expect(offered).toEqual(expect.arrayContaining(["exec", "note_echo"]));
    expect(offered).not.toContain("note_secret");
    expect(effective.notices).toContainEqual({
      id: "tool-removed:note_secret",
      severity: "info",
      message: 'note_secret is not offered here: denied by tools.deny ("note_secret")',
    });

    const group = await callChecked(client, "tools.effective", {
      sessionKey: "agent:main:telegram:group:-100777",
    });
    const inGroup = group.groups.flatMap((entry) => entry.tools.map((tool) => tool.id));
    expect(inGroup).toContain("exec");
    expect(inGroup).not.toContain("note_echo");

    const unknownAgent = await client.callError("tools.catalog", { agentId: "nobody" });
    expect(unknownAgent).toMatchObject({ code: "INVALID_REQUEST", details: { code: "AGENT_NOT_FOUND" } });
    const mismatch = await client.callError("tools.effective", {
      agentId: "main",
      sessionKey: "agent:ops:main",
    });
    expect(mismatch.code).toBe("INVALID_REQUEST");
  });
});

describe("POST /tools/invoke", () => {
  it("runs an allowed tool and answers OpenClaw's shapes for every refusal", async () => {
    const gateway = await startWithTools();

    expect(await invoke(gateway, { tool: "note_echo", args: { text: "hi", times: 2 } })).toEqual({
      status: 200,
      body: { ok: true, result: { note: "hihi", sessionKey: "agent:main:main", agentId: "main" } },
    });

    const unauthorized = await invoke(gateway, { tool: "note_echo", args: { text: "hi" } }, {});
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body).toMatchObject({ error: { type: "unauthorized" } });
    const wrongToken = await invoke(gateway, { tool: "note_echo" }, { authorization: "Bearer nope" });
    expect(wrongToken.status).toBe(401);

    const denied = await invoke(gateway, { name: "note_secret", args: { text: "hi" } });
    expect(denied).toEqual({
      status: 404,
      body: {
        ok: false,
        error: {
          type: "not_found",
          code: "NOT_FOUND",
          message: 'Tool not available: note_secret (denied by tools.deny ("note_secret"))',
          details: { tool: "note_secret" },
        },
      },
    });
    const inGroup = await invoke(gateway, {
      tool: "note_echo",
      args: { text: "hi" },
      sessionKey: "agent:main:telegram:group:-100777",
    });
    expect(inGroup.status).toBe(404);
    // exec is offered to runs (tools.exec.mode "ask") but never over HTTP unless gateway.tools.allow lists it.
    const exec = await invoke(gateway, { tool: "exec", args: { command: "echo hi" } });
    expect(exec.status).toBe(404);
    expect(JSON.stringify(exec.body)).toContain("the default HTTP deny list");
    expect((await invoke(gateway, { tool: "no_such_tool" })).status).toBe(404);

    const badArgs = await invoke(gateway, { tool: "note_echo", args: { text: "hi", times: 9 } });
    expect(badArgs.status).toBe(400);
    expect(badArgs.body).toMatchObject({
      ok: false,
      error: { type: "tool_error", code: "INVALID_ARGUMENTS" },
    });
    const noName = await invoke(gateway, { args: {} });
    expect(noName).toMatchObject({ status: 400, body: { error: { type: "invalid_request" } } });
    const notJson = await invoke(gateway, "{not json");
    expect(notJson.status).toBe(400);
  });

  it("takes JSON bodies only, by POST only, within the size limit", async () => {
    const gateway = await startWithTools();
    const auth = { authorization: `Bearer ${gateway.token}` };
    const form = await fetch(`${gateway.server.httpUrl}/tools/invoke`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      body: "tool=note_echo",
    });
    expect(form.status).toBe(415);
    await form.body?.cancel();
    const get = await fetch(`${gateway.server.httpUrl}/tools/invoke`, { headers: auth });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    await get.body?.cancel();
    const huge = await invoke(gateway, { tool: "note_echo", args: { text: "x".repeat(3 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
  });
});
