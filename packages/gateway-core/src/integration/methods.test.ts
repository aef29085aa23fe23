import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { callChecked, expectConnectRefused, type TestGateway, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

const TOKEN = "methods-test-token-0123456789";

function tokenConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { gateway, ...rest } = extra as { gateway?: Record<string, unknown> };
  return { ...rest, gateway: { ...gateway, auth: { mode: "token", token: TOKEN } } };
}

async function startWithConfig(extra: Record<string, unknown> = {}): Promise<TestGateway> {
  return env.start({ useConfigAuth: true, config: tokenConfig(extra) });
}

async function seedTranscript(gateway: TestGateway, key: string, texts: string[]): Promise<void> {
  let ts = Date.now();
  for (const [index, text] of texts.entries()) {
    ts += 1;
    await gateway.server.runtime.sessions.appendTranscript(key, {
      role: index % 2 === 0 ? "user" : "assistant",
      text,
      ts,
    });
  }
}

describe("sessions.*", () => {
  it("patch then list shows the label", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const patched = await callChecked(client, "sessions.patch", { key: "agent:main:main", label: "Inbox" });
    expect(patched).toMatchObject({
      ok: true,
      key: "agent:main:main",
      entry: { key: "agent:main:main", label: "Inbox" },
    });

    const list = await callChecked(client, "sessions.list", {});
    expect(list.sessions.find((row) => row.key === "agent:main:main")?.label).toBe("Inbox");
    expect(list.count).toBe(list.sessions.length);

    const filtered = await callChecked(client, "sessions.list", { label: "Inbox" });
    expect(filtered.sessions.map((row) => row.key)).toEqual(["agent:main:main"]);
  });

  it("preview returns transcript items, and missing sessions as missing", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    await seedTranscript(gateway, "agent:main:main", ["hello there", "hi, how can I help?"]);

    const preview = await callChecked(client, "sessions.preview", {
      keys: ["agent:main:main", "agent:main:nobody"],
    });
    const main = preview.previews.find((entry) => entry.key === "agent:main:main");
    expect(main?.status).toBe("ok");
    expect(main?.items.map((item) => [item.role, item.text])).toEqual([
      ["user", "hello there"],
      ["assistant", "hi, how can I help?"],
    ]);
    expect(preview.previews.find((entry) => entry.key === "agent:main:nobody")).toMatchObject({ items: [] });
    expect(preview.previews.find((entry) => entry.key === "agent:main:nobody")?.status).not.toBe("ok");

    const short = await callChecked(client, "sessions.preview", {
      keys: ["agent:main:main"],
      limit: 1,
      maxChars: 20,
    });
    expect(short.previews[0]?.items).toHaveLength(1);
    expect(short.previews[0]?.items[0]?.text.length).toBeLessThanOrEqual(20);
  });

  it("resolve by key and label; an ambiguous label lists its candidates", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    await callChecked(client, "sessions.patch", { key: "agent:main:alpha", label: "alpha" });
    await callChecked(client, "sessions.patch", { key: "agent:main:dup-1", label: "dup" });
    await callChecked(client, "sessions.patch", { key: "agent:main:dup-2", label: "dup" });

    expect(await callChecked(client, "sessions.resolve", { key: "agent:main:alpha" })).toMatchObject({
      ok: true,
      key: "agent:main:alpha",
      agentId: "main",
    });
    expect(await callChecked(client, "sessions.resolve", { label: "alpha" })).toMatchObject({
      ok: true,
      key: "agent:main:alpha",
    });

    const ambiguous = await client.request("sessions.resolve", { label: "dup" });
    const candidates = (
      ambiguous.ok
        ? (ambiguous.payload as { ok: boolean; candidates?: { key: string }[] }).candidates
        : (ambiguous.error?.details?.candidates as { key: string }[] | undefined)
    )?.map((candidate) => candidate.key);
    if (ambiguous.ok) expect((ambiguous.payload as { ok: boolean }).ok).toBe(false);
    else expect(ambiguous.error?.details?.code).toBe("SESSION_AMBIGUOUS");
    expect(candidates?.sort()).toEqual(["agent:main:dup-1", "agent:main:dup-2"]);

    const missing = await client.callError("sessions.resolve", { key: "agent:main:nope" });
    expect(missing.details?.code).toBe("SESSION_NOT_FOUND");
  });

  it("resolves the quickstart key @alice/pi-main", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const patched = await callChecked(client, "sessions.patch", { key: "@alice/pi-main", label: "pi" });
    const resolved = await callChecked(client, "sessions.resolve", { key: "@alice/pi-main" });
    expect(resolved).toMatchObject({ ok: true, key: patched.key });
  });

  it("reset starts a new sessionId and keeps the settings", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const before = await callChecked(client, "sessions.patch", { key: "agent:main:work", label: "Work" });
    const reset = await callChecked(client, "sessions.reset", { key: "agent:main:work", reason: "reset" });
    expect(before.entry.sessionId).toEqual(expect.any(String));
    expect(reset.entry.sessionId).toEqual(expect.any(String));
    expect(reset.entry.sessionId).not.toBe(before.entry.sessionId);
    expect(reset.previousSessionId).toBe(before.entry.sessionId);
    expect(reset.entry.label).toBe("Work");
  });

  it("delete removes the session from the list", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    await callChecked(client, "sessions.patch", { key: "agent:main:gone", label: "Gone" });
    const deleted = await callChecked(client, "sessions.delete", { key: "agent:main:gone" });
    expect(deleted).toMatchObject({ ok: true, key: "agent:main:gone", deleted: true });
    const list = await callChecked(client, "sessions.list", {});
    expect(list.sessions.map((row) => row.key)).not.toContain("agent:main:gone");
    const again = await callChecked(client, "sessions.delete", { key: "agent:main:gone" });
    expect(again.deleted).toBe(false);
  });

  it("compact trims a transcript to maxLines", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    await seedTranscript(
      gateway,
      "agent:main:long",
      Array.from({ length: 10 }, (_, index) => `message ${index}`),
    );
    const compacted = await callChecked(client, "sessions.compact", { key: "agent:main:long", maxLines: 3 });
    expect(compacted).toMatchObject({ ok: true, key: "agent:main:long", compacted: true });
    expect(compacted.removed).toBeGreaterThan(0);

    const preview = await callChecked(client, "sessions.preview", { keys: ["agent:main:long"], limit: 200 });
    const texts = preview.previews[0]?.items.map((item) => item.text) ?? [];
    expect(texts.slice(-3)).toEqual(["message 7", "message 8", "message 9"]);
    expect(texts).not.toContain("message 0");
  });
});

describe("config.*", () => {
  it("config.get redacts the token for a read-only client", async () => {
    const gateway = await startWithConfig();
    const { client, hello } = await env.connect(gateway, { scopes: ["operator.read"] });
    expect(hello.auth.scopes).toEqual(["operator.read"]);
    const config = await callChecked(client, "config.get", {});
    expect(config.exists).toBe(true);
    expect(config.raw).not.toContain(TOKEN);
    expect(JSON.stringify(config.config)).not.toContain(TOKEN);
  });

  it("config.set with a stale baseHash fails with CONFIG_CONFLICT and keeps the newer file", async () => {
    const gateway = await startWithConfig();
    const { client } = await env.connect(gateway);
    const { hash } = await callChecked(client, "config.get", {});
    const first = JSON.stringify(tokenConfig({ session: { mainKey: "first" } }));
    const written = await callChecked(client, "config.set", { raw: first, baseHash: hash });
    expect(written.hash).not.toBe(hash);

    const stale = await client.callError("config.set", {
      raw: JSON.stringify(tokenConfig({ session: { mainKey: "second" } })),
      baseHash: hash,
    });
    expect(stale.details?.code).toBe("CONFIG_CONFLICT");
    expect(await readFile(gateway.configPath, "utf8")).toContain('"first"');
  });

  it("two concurrent config.set calls on the same baseHash: exactly one wins", async () => {
    const gateway = await startWithConfig();
    const { client } = await env.connect(gateway);
    const { client: other } = await env.connect(gateway);
    const { hash } = await callChecked(client, "config.get", {});
    const [a, b] = await Promise.all([
      client.request("config.set", {
        raw: JSON.stringify(tokenConfig({ session: { mainKey: "from-a" } })),
        baseHash: hash,
      }),
      other.request("config.set", {
        raw: JSON.stringify(tokenConfig({ session: { mainKey: "from-b" } })),
        baseHash: hash,
      }),
    ]);
    const outcomes = [a, b].map((response) => (response.ok ? "ok" : response.error?.details?.code)).sort();
    expect(outcomes).toEqual(["CONFIG_CONFLICT", "ok"]);
    const winner = a.ok ? "from-a" : "from-b";
    expect(await readFile(gateway.configPath, "utf8")).toContain(winner);
  });

  it("config.set with an invalid config reports the issue paths and leaves the file unchanged", async () => {
    const gateway = await startWithConfig();
    const { client } = await env.connect(gateway);
    const before = await readFile(gateway.configPath, "utf8");
    const { hash } = await callChecked(client, "config.get", {});
    const error = await client.callError("config.set", {
      raw: JSON.stringify({ gateway: { port: "not-a-port", auth: { mode: "token", token: TOKEN } } }),
      baseHash: hash,
    });
    expect(error.code).toBe("INVALID_REQUEST");
    const issues = error.details?.issues as { path: string; message: string }[];
    expect(issues.map((issue) => issue.path)).toContain("gateway.port");
    expect(await readFile(gateway.configPath, "utf8")).toBe(before);
  });

  it("config.patch merges into the file and keeps what it does not mention", async () => {
    const gateway = await startWithConfig({
      gateway: { controlUi: { allowedOrigins: ["https://a.example"] } },
    });
    const { client } = await env.connect(gateway);
    const { hash } = await callChecked(client, "config.get", {});
    const origins = ["https://a.example", "https://b.example"];
    await callChecked(client, "config.patch", {
      raw: JSON.stringify({
        session: { mainKey: "home" },
        gateway: { controlUi: { allowedOrigins: origins } },
      }),
      baseHash: hash,
    });
    const onDisk = JSON.parse(await readFile(gateway.configPath, "utf8")) as {
      gateway: { auth: { token: string }; controlUi: { allowedOrigins: string[] } };
      session: { mainKey: string };
    };
    expect(onDisk.gateway.auth.token).toBe(TOKEN);
    expect(onDisk.gateway.controlUi.allowedOrigins).toEqual(origins);
    expect(onDisk.session.mainKey).toBe("home");

    const after = await callChecked(client, "config.get", {});
    expect((after.config.session as { mainKey: string }).mainKey).toBe("home");

    await callChecked(client, "config.patch", {
      raw: JSON.stringify({ session: { mainKey: null } }),
      baseHash: after.hash,
    });
    const cleared = JSON.parse(await readFile(gateway.configPath, "utf8")) as {
      session?: { mainKey?: string };
    };
    expect(cleared.session?.mainKey).toBeUndefined();
    await env.connect(gateway);
  });

  it("config.patch removes array entries only when the path is in replacePaths", async () => {
    const gateway = await startWithConfig({
      gateway: { controlUi: { allowedOrigins: ["https://a.example", "https://b.example"] } },
    });
    const { client } = await env.connect(gateway);
    const raw = JSON.stringify({ gateway: { controlUi: { allowedOrigins: ["https://b.example"] } } });
    const refused = await client.callError("config.patch", { raw });
    expect(refused.details?.code).toBe("CONFIG_INVALID");

    await callChecked(client, "config.patch", { raw, replacePaths: ["gateway.controlUi.allowedOrigins"] });
    const onDisk = JSON.parse(await readFile(gateway.configPath, "utf8")) as {
      gateway: { controlUi: { allowedOrigins: string[] } };
    };
    expect(onDisk.gateway.controlUi.allowedOrigins).toEqual(["https://b.example"]);
  });

  it("config.apply writes a whole config and says when a restart is needed", async () => {
    const gateway = await startWithConfig();
    const { client } = await env.connect(gateway);
    const { hash } = await callChecked(client, "config.get", {});
    const applied = await callChecked(client, "config.apply", {
      raw: JSON.stringify(tokenConfig({ gateway: { port: 18_999 } })),
      baseHash: hash,
    });
    expect(applied.restartRequired).toBe(true);
    expect(JSON.parse(await readFile(gateway.configPath, "utf8"))).toMatchObject({
      gateway: { port: 18_999 },
    });
  });

  it("config.schema describes the config file", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const schema = await callChecked(client, "config.schema", {});
    expect(schema.schema).toMatchObject({ type: "object" });
    expect(JSON.stringify(schema.schema)).toContain("gateway");
    expect(Object.keys(schema.uiHints).length).toBeGreaterThan(0);
  });
});

describe("agents.*", () => {
  it("create, update, list and delete round trip; main cannot be deleted", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const initial = await callChecked(client, "agents.list", {});
    expect(initial.agents.map((agent) => agent.id)).toContain("main");
    expect(initial.defaultId).toBe("main");

    const created = await callChecked(client, "agents.create", { name: "Research Bot", emoji: "🔬" });
    expect(created).toMatchObject({ ok: true, agentId: "research-bot", name: "Research Bot" });
    expect(created.workspace).toEqual(expect.any(String));

    const duplicate = await client.callError("agents.create", { name: "Research Bot" });
    expect(duplicate.details?.code).toBe("AGENT_EXISTS");

    await callChecked(client, "agents.update", {
      agentId: "research-bot",
      name: "Researcher",
      model: "anthropic/claude-sonnet-4-5",
    });
    const listed = await callChecked(client, "agents.list", {});
    const agent = listed.agents.find((entry) => entry.id === "research-bot");
    expect(agent).toMatchObject({ name: "Researcher", model: { primary: "anthropic/claude-sonnet-4-5" } });

    const removed = await callChecked(client, "agents.delete", { agentId: "research-bot" });
    expect(removed).toMatchObject({ ok: true, agentId: "research-bot", removedBindings: 0 });
    const after = await callChecked(client, "agents.list", {});
    expect(after.agents.map((entry) => entry.id)).not.toContain("research-bot");

    const main = await client.callError("agents.delete", { agentId: "main" });
    expect(main.code).toBe("INVALID_REQUEST");
    const unknown = await client.callError("agents.update", { agentId: "ghost", name: "Ghost" });
    expect(unknown.details?.code).toBe("AGENT_NOT_FOUND");
  });
});

describe("system methods", () => {
  it("logs.tail returns lines and a cursor that continues where it stopped; no secret is logged", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const first = await callChecked(client, "logs.tail", {});
    expect(first.lines.length).toBeGreaterThan(0);
    expect(first.cursor).toBeGreaterThan(0);
    expect(first.cursor).toBeLessThanOrEqual(first.size);

    await expectConnectRefused(env, gateway.server.url, { token: "definitely-wrong-token" });
    const next = await callChecked(client, "logs.tail", { cursor: first.cursor });
    expect(next.lines.length).toBeGreaterThan(0);
    expect(next.cursor).toBeGreaterThan(first.cursor);
    const all = [...first.lines, ...next.lines].join("\n");
    expect(all).not.toContain(gateway.token);
    expect(all).not.toContain("definitely-wrong-token");

    const limited = await callChecked(client, "logs.tail", { limit: 1 });
    expect(limited.lines).toHaveLength(1);
  });

  it("channels.status is empty while no channel is configured", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const status = await callChecked(client, "channels.status", { probe: false });
    expect(status).toMatchObject({ channelOrder: [], channels: {}, channelAccounts: {} });
  });

  it("system-presence lists the connected clients and drops one that leaves", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway, { instanceId: "alpha-ui" });
    const { client: other } = await env.connect(gateway, { instanceId: "beta-cli" });
    const presence = await callChecked(client, "system-presence", {});
    expect(presence.map((entry) => entry.instanceId).sort()).toEqual(["alpha-ui", "beta-cli"]);

    const since = client.frames.length;
    other.close();
    await client.waitFor(
      (frame) =>
        frame.event === "presence" &&
        !((frame.payload as { presence: { instanceId?: string }[] }).presence ?? []).some(
          (entry) => entry.instanceId === "beta-cli",
        ),
      { since },
    );
    const after = await callChecked(client, "system-presence", {});
    expect(after.map((entry) => entry.instanceId)).toEqual(["alpha-ui"]);
  });

  it("health and status describe the running gateway", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    await callChecked(client, "sessions.patch", { key: "agent:main:main", label: "Main" });
    const health = await callChecked(client, "health", {});
    expect(health.ok).toBe(true);
    // health may be served from a short cache, so the fresh count is checked through status.
    expect(health.sessions.path).toEqual(expect.any(String));
    const status = await callChecked(client, "status", {});
    expect(status.sessions.count).toBe(1);
    expect(status).toMatchObject({
      ok: true,
      protocol: 4,
      auth: { mode: "token" },
      bind: { host: "127.0.0.1", port: gateway.server.port },
      stateDir: gateway.stateDir,
    });
    expect(status.connections).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(status)).not.toContain(gateway.token);
  });
});
