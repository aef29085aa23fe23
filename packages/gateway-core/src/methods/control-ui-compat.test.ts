import { readFileSync } from "node:fs";
import { CONTROL_UI_COMPAT_CONTRACTS, SessionsChangedEventSchema } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { configWithFakeModel, startFakeModel, useIntegrationEnv } from "../integration/harness.js";
import { checkMethodResult } from "../integration/raw-client.js";

const env = useIntegrationEnv();

interface RecordedCall {
  params: Record<string, unknown>;
  answer: unknown;
}

/** The real OpenClaw 2026.9.6 gateway's answers to its Control UI, with the params the UI sent. */
const recorded = (
  JSON.parse(
    readFileSync(
      new URL("./__fixtures__/openclaw-2026.9.6-control-ui-answers.json", import.meta.url),
      "utf8",
    ),
  ) as { calls: Record<string, RecordedCall> }
).calls;

/**
 * Top-level fields of OpenClaw's answer this gateway does not send, and why. Every other field it answered with
 * must be in ours, with the same JSON type.
 */
const NOT_SENT: Record<string, Record<string, string>> = {
  "sessions.messages.subscribe": {
    approvalReplay: "no per-session approvals to replay: exec.approval.list answers them",
  },
  "system.info": {
    eventLoop: "event-loop health is in `health`",
    processMemory: "process memory is in `status`",
    disks: "the state dir's disk is diskTotalBytes/diskAvailableBytes",
    defaultAgentUtilityModel: "no utility model",
  },
  "models.authStatus": { providerCapabilities: "no auth-profile store: the answer says unavailable" },
};

/** Where our answer is honestly different in value (same fields): the recorded gateway had these features on. */
const ANSWERED_UNAVAILABLE = new Set<string>();

function jsonType(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

describe("the methods OpenClaw's Control UI calls", () => {
  it("the recording covers every one of them except those the UI calls only on other screens", () => {
    const served = Object.keys(CONTROL_UI_COMPAT_CONTRACTS).sort();
    const unrecorded = served.filter((method) => recorded[method] === undefined);
    expect(unrecorded).toEqual([
      "commands.list",
      "plugins.list",
      "sessions.create",
      "sessions.messages.unsubscribe",
    ]);
  });

  it("answer the UI's real params with the fields the real gateway answered, of the same types", async () => {
    const fake = await startFakeModel(env);
    const gateway = await env.start({ config: configWithFakeModel(fake) });
    const { client } = await env.connect(gateway);
    for (const [method, call] of Object.entries(recorded)) {
      if (ANSWERED_UNAVAILABLE.has(method)) continue;
      const answer = await client.call(method, call.params);
      checkMethodResult(method, answer);
      expect(
        CONTROL_UI_COMPAT_CONTRACTS[method as keyof typeof CONTROL_UI_COMPAT_CONTRACTS].result.safeParse(
          answer,
        ).success,
      ).toBe(true);
      if (Array.isArray(call.answer)) {
        expect(answer, method).toEqual([]);
        continue;
      }
      const ours = answer as Record<string, unknown>;
      for (const [field, value] of Object.entries(call.answer as Record<string, unknown>)) {
        if (NOT_SENT[method]?.[field] !== undefined) continue;
        expect(Object.hasOwn(ours, field), `${method} answers ${field}`).toBe(true);
        if (value === null || ours[field] === null) continue;
        expect(jsonType(ours[field]), `${method}.${field}`).toBe(jsonType(value));
      }
    }
  });

  it("plugin.surface.refresh answers a canvas capability URL the host accepts, and UNAVAILABLE with the host off", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const answer = (await client.call(
      "plugin.surface.refresh",
      recorded["plugin.surface.refresh"]?.params,
    )) as {
      pluginSurfaceUrls: { canvas: string };
      expiresAtMs: number;
    };
    const url = new URL(answer.pluginSurfaceUrls.canvas);
    // Built on the origin the client observed (the recorded UI's), so a client behind any name gets a URL it can use.
    const refreshParams = recorded["plugin.surface.refresh"]?.params as { observedUrl: string } | undefined;
    const observed = refreshParams?.observedUrl ?? "";
    expect(url.origin).toBe(new URL(observed).origin);
    expect(url.pathname).toMatch(/^\/__openclaw__\/cap\/[\w-]{24}$/);
    expect(answer.expiresAtMs).toBeGreaterThan(Date.now());
    const a2ui = await fetch(`${gateway.server.httpUrl}${url.pathname}/__openclaw__/a2ui/a2ui.bundle.js`);
    expect(a2ui.status).toBe(200);
    expect(await a2ui.text()).toContain("openclaw-a2ui-host");
    const forged = await fetch(
      `${gateway.server.httpUrl}/__openclaw__/cap/${"x".repeat(24)}/__openclaw__/a2ui/a2ui.bundle.js`,
    );
    expect(forged.status).toBe(401);

    const off = await env.start({
      config: { plugins: { entries: { canvas: { config: { host: { enabled: false } } } } } },
    });
    const offClient = (await env.connect(off)).client;
    const error = await offClient.callError("plugin.surface.refresh", { surface: "canvas" });
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toContain("plugins.entries.canvas.config.host.enabled");
  });

  it("chat.startup and sessions.describe show a real conversation; agent.identity.get the configured name", async () => {
    const fake = await startFakeModel(env);
    const config = {
      ...configWithFakeModel(fake),
      agents: {
        defaults: { model: { primary: "fake/fast" } },
        list: [{ id: "main", identity: { name: "Molty", emoji: "🦞" } }],
      },
    };
    const gateway = await env.start({ config });
    const { client } = await env.connect(gateway);
    const sessionKey = "agent:main:main";
    const sent = (await client.call("chat.send", {
      sessionKey,
      message: "hello there",
      idempotencyKey: "startup-1",
    })) as { runId: string };
    await client.waitFor(
      (frame) =>
        frame.event === "chat" &&
        (frame.payload as { runId?: string; state?: string }).runId === sent.runId &&
        (frame.payload as { state?: string }).state === "final",
      { what: "the final chat event", timeoutMs: 30_000 },
    );
    const startup = (await client.call("chat.startup", { sessionKey, limit: 80 })) as {
      messages: { role: string; content: { type: string; text?: string }[] }[];
      totalMessages: number;
      defaults: { modelProvider?: string; model?: string };
      sessionInfo: { key: string; isMain: boolean; updatedAt: number | null };
    };
    expect(startup.messages.map((message) => [message.role, message.content[0]?.text])).toEqual([
      ["user", "hello there"],
      ["assistant", "You said: hello there"],
    ]);
    expect(startup.totalMessages).toBe(2);
    expect(startup.defaults).toMatchObject({ modelProvider: "fake", model: "fast" });
    expect(startup.sessionInfo).toMatchObject({ key: sessionKey, isMain: true });
    expect(startup.sessionInfo.updatedAt).toEqual(expect.any(Number));

    const limited = (await client.call("chat.startup", { sessionKey, limit: 1 })) as {
      messages: unknown[];
      hasMore: boolean;
    };
    expect(limited.messages).toHaveLength(1);
    expect(limited.hasMore).toBe(true);

    const described = (await client.call("sessions.describe", { key: sessionKey })) as {
      session: { key: string; messageCount: number } | null;
    };
    expect(described.session).toMatchObject({ key: sessionKey, messageCount: 2 });
    expect(await client.call("sessions.describe", { key: "agent:main:nobody" })).toEqual({ session: null });

    expect(await client.call("agent.identity.get", { agentId: "main" })).toMatchObject({
      agentId: "main",
      name: "Molty",
      nameSource: "config",
      avatar: "🦞",
    });
  });

  it("chat.metadata and commands.list list the gateway's own slash commands and models", async () => {
    const fake = await startFakeModel(env);
    const gateway = await env.start({ config: configWithFakeModel(fake) });
    const { client } = await env.connect(gateway);
    const metadata = (await client.call("chat.metadata", { agentId: "main" })) as {
      models: { id: string; provider: string }[];
      commands: { name: string; textAliases: string[] }[];
    };
    expect(metadata.models).toEqual([expect.objectContaining({ id: "fast", provider: "fake" })]);
    expect(metadata.commands.map((command) => command.name)).toEqual(
      expect.arrayContaining(["new", "reset", "stop", "status", "model", "think", "help"]),
    );
    const listed = (await client.call("commands.list", { scope: "text", includeArgs: false })) as {
      commands: { name: string; args?: unknown }[];
    };
    checkMethodResult("commands.list", listed);
    expect(listed.commands.map((command) => command.name)).toEqual(
      metadata.commands.map((command) => command.name),
    );
    expect(listed.commands.some((command) => command.args !== undefined)).toBe(false);
  });
});

describe("sessions.create", () => {
  it("creates the session OpenClaw's TUI asks for on /new, and runs a first message", async () => {
    const fake = await startFakeModel(env);
    const gateway = await env.start({ config: configWithFakeModel(fake) });
    const { client } = await env.connect(gateway);
    const created = (await client.call("sessions.create", {
      key: "tui-0b7c",
      agentId: "main",
      parentSessionKey: "agent:main:main",
      succeedsParent: true,
      emitCommandHooks: true,
    })) as { ok: boolean; key: string; sessionId?: string; runStarted: boolean };
    // A key that names no agent lives in the agent's namespace, as OpenClaw stores it (and its TUI then uses it).
    expect(created).toMatchObject({ ok: true, key: "agent:main:tui-0b7c", runStarted: false });
    expect(created.sessionId).toEqual(expect.any(String));
    checkMethodResult("sessions.create", created);
    expect(await client.call("sessions.describe", { key: "agent:main:tui-0b7c" })).toMatchObject({
      session: { key: "agent:main:tui-0b7c" },
    });
    expect(await client.call("sessions.describe", { key: "tui-0b7c" })).toEqual({ session: null });

    const withMessage = (await client.call("sessions.create", {
      agentId: "main",
      label: "Standup notes",
      message: "first words",
      idempotencyKey: "create-1",
    })) as { key: string; runStarted: boolean; runId: string; entry: { label?: string } };
    expect(withMessage).toMatchObject({
      runStarted: true,
      runId: "create-1",
      entry: { label: "Standup notes" },
    });
    expect(withMessage.key).toMatch(/^agent:main:session-/);
    await client.waitFor(
      (frame) =>
        frame.event === "chat" &&
        (frame.payload as { runId?: string; state?: string }).runId === "create-1" &&
        (frame.payload as { state?: string }).state === "final",
      { what: "the first message's final chat event", timeoutMs: 30_000 },
    );
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses incognito sessions and agents that are not configured", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    expect((await client.callError("sessions.create", { incognito: true })).message).toContain("incognito");
    expect((await client.callError("sessions.create", { agentId: "ghost" })).message).toContain(
      'no agent "ghost"',
    );
  });
});

describe("sessions.changed", () => {
  it("goes to subscribed connections when a run starts and ends, and to no one else", async () => {
    const fake = await startFakeModel(env);
    const gateway = await env.start({ config: configWithFakeModel(fake) });
    const { client: subscriber } = await env.connect(gateway);
    const { client: bystander } = await env.connect(gateway);
    expect(await subscriber.call("sessions.subscribe", {})).toEqual({ subscribed: true });
    const sent = (await bystander.call("chat.send", {
      sessionKey: "agent:main:main",
      message: "ping",
      idempotencyKey: "changed-1",
    })) as { runId: string };
    const phaseOf = (frame: { event?: string; payload?: unknown }) =>
      frame.event === "sessions.changed" ? (frame.payload as { phase?: string }).phase : undefined;
    const end = await subscriber.waitFor((frame) => phaseOf(frame) === "end", {
      what: "sessions.changed end",
    });
    const events = subscriber.frames.filter((frame) => frame.event === "sessions.changed");
    expect(events.map(phaseOf)).toEqual(["start", "end"]);
    for (const event of events) expect(SessionsChangedEventSchema.parse(event.payload)).toBeDefined();
    expect(end.payload).toMatchObject({ sessionKey: "agent:main:main", agentId: "main", runId: sent.runId });
    await bystander.waitFor(
      (frame) => frame.event === "chat" && (frame.payload as { state?: string }).state === "final",
      { what: "the bystander's final chat event", timeoutMs: 30_000 },
    );
    expect(bystander.frames.some((frame) => frame.event === "sessions.changed")).toBe(false);
  });
});
