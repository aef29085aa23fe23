import { MISC_COMPAT_CONTRACTS, USER_PREFS_STORED_KEY_LIMIT } from "@openclaw/protocol";
import { sqliteStorageDriver } from "@openclaw/store-sqlite";
import { describe, expect, it } from "vitest";
import { PluginRegistry } from "../channels/index.js";
import { callChecked, useIntegrationEnv } from "../integration/harness.js";

const env = useIntegrationEnv();

/** A gateway over SQLite storage, as `openclaw gateway` runs by default (gateway-core alone has no driver). */
async function startWithSqlite(stateDir?: string) {
  const plugins = new PluginRegistry();
  plugins.registerStorageDriver(sqliteStorageDriver);
  return env.start({ ...(stateDir ? { stateDir } : {}), plugins, config: { storage: { driver: "sqlite" } } });
}

describe("config.schema.lookup", () => {
  it("answers one path's schema node, hint, reload kind and children, as OpenClaw's", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const auth = await callChecked(client, "config.schema.lookup", { path: "gateway.auth" });
    expect(auth.path).toBe("gateway.auth");
    expect(auth.reloadKind).toBe("restart");
    expect(auth.hintPath).toBe("gateway.auth");
    const token = auth.children.find((child) => child.key === "token");
    // A token is a string or a SecretRef object, so it has children (the ref's fields), as in OpenClaw.
    expect(token).toMatchObject({ path: "gateway.auth.token", required: false, hasChildren: true });
    expect(token?.hint?.sensitive).toBe(true);
    expect((auth.schema as { properties?: unknown }).properties).toBeUndefined();

    // Array items by index or `[]`, record values by `*`; the root is ".".
    const agent = await callChecked(client, "config.schema.lookup", { path: "agents.list[0]" });
    expect(agent.path).toBe("agents.list.0");
    expect(agent.children.map((child) => child.key)).toContain("id");
    const root = await callChecked(client, "config.schema.lookup", { path: "." });
    expect(root.path).toBe(".");
    expect(root.children.map((child) => child.key)).toEqual(expect.arrayContaining(["gateway", "agents"]));
    const port = await callChecked(client, "config.schema.lookup", { path: "gateway.port" });
    expect(port.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 65535 });
    expect(port.children).toEqual([]);
    // A record's values are the `*` child; a hint written for `[]` items matches an index.
    const providers = await callChecked(client, "config.schema.lookup", { path: "models.providers" });
    expect(providers.children.find((child) => child.key === "*")?.hasChildren).toBe(true);
    const provider = await callChecked(client, "config.schema.lookup", { path: "models.providers.fake" });
    expect(provider.children.map((child) => child.key)).toEqual(
      expect.arrayContaining(["baseUrl", "apiKey"]),
    );
    expect(agent.children.find((child) => child.key === "id")).toMatchObject({
      required: true,
      hintPath: "agents.list[].id",
    });
  });

  it("refuses a path the schema does not have, and one that is not a config path", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const missing = await client.callError("config.schema.lookup", { path: "gateway.nope" });
    expect(missing.code).toBe("INVALID_REQUEST");
    expect(missing.message).toContain("config schema path not found: gateway.nope");
    const proto = await client.callError("config.schema.lookup", { path: "gateway.__proto__" });
    expect(proto.message).toContain("not found");
    const bad = await client.callError("config.schema.lookup", { path: "gateway auth" });
    expect(bad.code).toBe("INVALID_REQUEST");
  });
});

describe("users.prefs", () => {
  it("keeps the Control UI's preferences per gateway, across a restart", async () => {
    const first = await startWithSqlite();
    const { client } = await env.connect(first);
    const keys = ["ui.theme", "ui.themeMode", "ui.accent", "ui.fontUi", "ui.fontChat"];
    // The Control UI's own first call, answered as the real gateway answered it.
    expect(await callChecked(client, "users.prefs.get", { keys })).toEqual({ status: "ok", entries: {} });
    expect(
      await callChecked(client, "users.prefs.set", {
        entries: { "ui.theme": "tide", "ui.accent": "#aa00ff" },
      }),
    ).toEqual({ status: "ok" });
    await first.server.close({ reason: "restart" });

    const second = await startWithSqlite(first.stateDir);
    const { client: again } = await env.connect(second);
    expect(await callChecked(again, "users.prefs.get", { keys })).toEqual({
      status: "ok",
      entries: { "ui.theme": "tide", "ui.accent": "#aa00ff" },
    });
    // null deletes; no keys lists everything; a key named like an Object member is just a key.
    await callChecked(again, "users.prefs.set", { entries: { "ui.accent": null, constructor: 1 } });
    expect(await callChecked(again, "users.prefs.get", {})).toEqual({
      status: "ok",
      entries: { constructor: 1, "ui.theme": "tide" },
    });
  });

  it("writes conditionally on expectedEntries and answers conflict when they do not match", async () => {
    const gateway = await startWithSqlite();
    const { client } = await env.connect(gateway);
    await callChecked(client, "users.prefs.set", { entries: { "ui.theme": "claw" } });
    // `conflict` is newer than the published oracle (2026.9.6 has it), so this call is checked by our contract only.
    expect(
      await client.call("users.prefs.set", {
        entries: { "ui.theme": "rose" },
        expectedEntries: { "ui.theme": "tide" },
      }),
    ).toEqual({ status: "conflict" });
    expect(
      await client.call("users.prefs.set", {
        entries: { "ui.theme": "rose" },
        expectedEntries: { "ui.theme": "claw", "ui.fontUi": null },
      }),
    ).toEqual({ status: "ok" });
    expect(await callChecked(client, "users.prefs.get", { keys: ["ui.theme"] })).toEqual({
      status: "ok",
      entries: { "ui.theme": "rose" },
    });
  });

  it("keeps every key when several clients set different keys at the same moment", async () => {
    const gateway = await startWithSqlite();
    const clients = await Promise.all([1, 2, 3].map(async () => (await env.connect(gateway)).client));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        callChecked(clients[i % clients.length] as (typeof clients)[number], "users.prefs.set", {
          entries: { [`race.${i}`]: i },
        }),
      ),
    );
    const all = await callChecked(clients[0] as (typeof clients)[number], "users.prefs.get", {});
    expect(all).toEqual({
      status: "ok",
      entries: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`race.${i}`, i])),
    });
  });

  it("bounds values to 4 KB of JSON and a gateway to its key limit, and needs operator.write to set", async () => {
    const gateway = await startWithSqlite();
    const { client } = await env.connect(gateway);
    const large = await client.callError("users.prefs.set", { entries: { big: "x".repeat(4_100) } });
    expect(large.code).toBe("INVALID_REQUEST");
    expect(large.message).toContain("value-too-large");

    for (let batch = 0; batch < USER_PREFS_STORED_KEY_LIMIT / 32; batch += 1) {
      const entries = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k.${batch}.${i}`, i]));
      await callChecked(client, "users.prefs.set", { entries });
    }
    const full = await client.callError("users.prefs.set", { entries: { "one.more": true } });
    expect(full.code).toBe("INVALID_REQUEST");
    expect(full.details).toEqual({
      code: "USER_PREFS_LIMIT_EXCEEDED",
      limit: USER_PREFS_STORED_KEY_LIMIT,
      currentCount: USER_PREFS_STORED_KEY_LIMIT,
    });
    // Replacing an existing key and deleting stay allowed at the limit.
    await callChecked(client, "users.prefs.set", { entries: { "k.0.0": "changed", "k.0.1": null } });

    const { client: reader } = await env.connect(gateway, { scopes: ["operator.read"] });
    expect((await callChecked(reader, "users.prefs.get", { keys: ["k.0.0"] })).status).toBe("ok");
    const refused = await reader.callError("users.prefs.set", { entries: { "ui.theme": "claw" } });
    expect(refused.message).toContain("operator.write");
  });

  it("answers OpenClaw's no_durable_identity in the legacy file layout, where nothing durable holds them", async () => {
    const gateway = await env.start();
    expect(gateway.server.runtime.storage).toBeUndefined();
    const { client } = await env.connect(gateway);
    expect(await callChecked(client, "users.prefs.get", { keys: ["ui.theme"] })).toEqual({
      status: "no_durable_identity",
    });
    expect(await callChecked(client, "users.prefs.set", { entries: { "ui.theme": "claw" } })).toEqual({
      status: "no_durable_identity",
    });
  });
});

describe("usage.status", () => {
  it("lists each configured model provider, with no usage windows", async () => {
    const gateway = await env.start({
      config: {
        models: {
          providers: {
            zeta: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", models: [] },
            alpha: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", models: [] },
          },
        },
      },
    });
    const { client } = await env.connect(gateway, { scopes: ["operator.read"] });
    const status = await callChecked(client, "usage.status", {});
    expect(status.providers).toEqual([
      { provider: "alpha", displayName: "alpha", windows: [] },
      { provider: "zeta", displayName: "zeta", windows: [] },
    ]);
    expect(Math.abs(status.updatedAt - Date.now())).toBeLessThan(60_000);
  });
});

describe("wizard", () => {
  it("start ends at once with OpenClaw's error status, and every session id is not found", async () => {
    const gateway = await env.start();
    const { client, hello } = await env.connect(gateway);
    // Served (hello lists them), so OpenClaw's clients call them instead of treating them as missing.
    expect(hello.features.methods).toEqual(expect.arrayContaining(Object.keys(MISC_COMPAT_CONTRACTS)));
    const started = await callChecked(client, "wizard.start", { flow: "setup" });
    expect(started).toMatchObject({ done: true, status: "error" });
    expect(started.error).toContain("no hosted setup wizard");
    for (const method of ["wizard.status", "wizard.next", "wizard.cancel"] as const) {
      const error = await client.callError(method, { sessionId: started.sessionId });
      expect(error.code, method).toBe("INVALID_REQUEST");
      expect(error.message).toBe("wizard not found");
      expect(error.details).toEqual({ code: "WIZARD_NOT_FOUND" });
    }
    const { client: reader } = await env.connect(gateway, { scopes: ["operator.read"] });
    expect((await reader.callError("wizard.start", {})).message).toContain("operator.admin");
  });
});
