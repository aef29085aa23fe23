import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { callChecked, type RawClient, type TestGateway, useIntegrationEnv, writeConfig } from "./harness.js";

const env = useIntegrationEnv();
const SECRET = "disk-secret-".repeat(4);

/** config.get as it is on the wire: our contract strips fields it does not know, so read the raw payload too. */
interface ConfigGetWire {
  exists: boolean;
  raw: string;
  hash: string;
  valid: boolean;
  issues: { path: string; message: string }[];
  config: { agents?: { list?: { id: string }[] } };
  running: string;
  appliedConfigHash: string;
}

async function configGet(client: RawClient): Promise<ConfigGetWire> {
  await callChecked(client, "config.get", {});
  return (await client.call("config.get", {})) as ConfigGetWire;
}

function agentIds(result: ConfigGetWire): string[] {
  return (result.config.agents?.list ?? []).map((agent) => agent.id).sort();
}

async function startWithAgents(ids: string[]): Promise<TestGateway> {
  return env.start({ config: { agents: { list: ids.map((id) => ({ id })) } } });
}

describe("config.get reports the file on disk, not only the config that runs", () => {
  it("an invalid edit: valid false with the file's issues, the last good config running; fixed: valid again", async () => {
    const gateway = await startWithAgents(["main"]);
    const { client } = await env.connect(gateway);
    const good = await configGet(client);
    expect(good).toMatchObject({ valid: true, issues: [], running: "file" });
    expect(good.appliedConfigHash).toBe(good.hash);

    const broken = '{ gateway: { port: "not a port" }, agents: { list: [{ id: "main" }, { id: "ops" }] } }\n';
    await writeFile(gateway.configPath, broken);
    const invalid = await configGet(client);
    expect(invalid.valid).toBe(false);
    expect(invalid.running).toBe("last-good");
    expect(invalid.issues.map((issue) => issue.path)).toContain("gateway.port");
    expect(invalid.raw).toBe(broken);
    expect(invalid.hash).not.toBe(good.hash);
    expect(invalid.appliedConfigHash).toBe(good.hash);
    expect(agentIds(invalid)).toEqual(["main"]);

    await writeConfig(gateway.stateDir, { agents: { list: [{ id: "main" }, { id: "ops" }] } });
    const fixed = await configGet(client);
    expect(fixed).toMatchObject({ valid: true, issues: [], running: "file" });
    expect(fixed.appliedConfigHash).toBe(fixed.hash);
    expect(agentIds(fixed)).toEqual(["main", "ops"]);
  });

  it("config.set with the hash of the invalid file replaces it, and config.get is valid again", async () => {
    const gateway = await startWithAgents(["main"]);
    const { client } = await env.connect(gateway);
    await writeFile(gateway.configPath, "{ agents: { list: [ ");
    const invalid = await configGet(client);
    expect(invalid).toMatchObject({ valid: false, running: "last-good", raw: "{ agents: { list: [ " });
    expect(invalid.issues.length).toBeGreaterThan(0);

    await callChecked(client, "config.set", {
      raw: JSON.stringify({ agents: { list: [{ id: "main" }, { id: "fixed" }] } }),
      baseHash: invalid.hash,
    });
    const after = await configGet(client);
    expect(after).toMatchObject({ valid: true, running: "file" });
    expect(agentIds(after)).toEqual(["fixed", "main"]);
  });

  it("a reader without operator.admin gets the invalid file redacted, or nothing when it does not parse", async () => {
    const gateway = await startWithAgents(["main"]);
    const { client } = await env.connect(gateway, { scopes: ["operator.read"] });
    await writeFile(gateway.configPath, `{ gateway: { port: "x", auth: { token: "${SECRET}" } } }`);
    const redacted = await configGet(client);
    expect(redacted.valid).toBe(false);
    expect(redacted.raw).toContain("gateway");
    expect(redacted.raw).not.toContain(SECRET);

    await writeFile(gateway.configPath, `{ gateway: { auth: { token: "${SECRET}" } `);
    const unparsable = await configGet(client);
    expect(unparsable).toMatchObject({ valid: false, raw: "", exists: true });
    expect(JSON.stringify(unparsable)).not.toContain(SECRET);
  });

  it("bounds the issues it reports for a file with very many problems", async () => {
    const gateway = await startWithAgents(["main"]);
    const { client } = await env.connect(gateway);
    const list = Array.from({ length: 60 }, (_, index) => ({ id: index }));
    await writeFile(gateway.configPath, JSON.stringify({ agents: { list } }));
    const invalid = await configGet(client);
    expect(invalid.valid).toBe(false);
    expect(invalid.issues).toHaveLength(21);
    expect(invalid.issues.at(-1)?.message).toMatch(/^and \d+ more issues$/);
  });
});

describe("while the file on disk is invalid, no write silently replaces it", () => {
  const BROKEN = '{ gateway: { port: "not a port" }, agents: { list: [{ id: "main" }, { id: "ops" }] } }\n';

  async function breakFile(): Promise<{ gateway: TestGateway; client: RawClient; good: ConfigGetWire }> {
    const gateway = await startWithAgents(["main"]);
    const { client } = await env.connect(gateway);
    const good = await configGet(client);
    await writeFile(gateway.configPath, BROKEN);
    return { gateway, client, good };
  }

  function expectFileInvalid(error: { code: string; message: string; details?: Record<string, unknown> }) {
    expect(error.code).toBe("INVALID_REQUEST");
    expect(error.details?.code).toBe("CONFIG_FILE_INVALID");
    expect(error.message).toContain("on disk is invalid");
    expect(error.message).toContain("gateway.port");
    expect(error.message).toMatch(/config\.set or config\.apply with the hash of the file on disk/);
  }

  it("config.patch is refused with CONFIG_FILE_INVALID, with or without the running config's hash", async () => {
    const { gateway, client, good } = await breakFile();
    const patch = JSON.stringify({ agents: { list: [{ id: "main" }, { id: "patched" }] } });
    const blind = await client.callError("config.patch", { raw: patch });
    expectFileInvalid(blind);
    expect(blind.details?.hash).toBe((await configGet(client)).hash);
    expectFileInvalid(await client.callError("config.patch", { raw: patch, baseHash: good.hash }));
    expect(await readFile(gateway.configPath, "utf8")).toBe(BROKEN);
  });

  it("config.set and config.apply based on the running config (or on nothing) are refused", async () => {
    const { gateway, client, good } = await breakFile();
    const raw = JSON.stringify({ agents: { list: [{ id: "main" }, { id: "stale" }] } });
    expectFileInvalid(await client.callError("config.set", { raw, baseHash: good.hash }));
    expectFileInvalid(await client.callError("config.apply", { raw, baseHash: good.hash }));
    expectFileInvalid(await client.callError("config.set", { raw }));
    expect(await readFile(gateway.configPath, "utf8")).toBe(BROKEN);
  });

  it("the store itself refuses a write based on the running config, whatever its caller checked before", async () => {
    const { gateway, good } = await breakFile();
    // A caller that checked while the file was still valid and writes now (the file broke in between).
    const write = gateway.server.runtime.configState.write(
      `${JSON.stringify({ agents: { list: [] } })}\n`,
      good.hash,
    );
    await expect(write).rejects.toMatchObject({ details: { code: "CONFIG_FILE_INVALID" } });
    expect(await readFile(gateway.configPath, "utf8")).toBe(BROKEN);
  });

  it("methods that edit the file (agents.create) are refused too", async () => {
    const { gateway, client } = await breakFile();
    expectFileInvalid(await client.callError("agents.create", { name: "helper" }));
    expect(await readFile(gateway.configPath, "utf8")).toBe(BROKEN);
    // The refused agent leaves no workspace folder behind.
    expect(existsSync(join(gateway.stateDir, "workspace-helper"))).toBe(false);
    expect(readdirSync(gateway.stateDir).filter((name) => name.includes("helper"))).toEqual([]);
  });

  it("config.apply with the hash of the file on disk replaces it; then config.patch works again", async () => {
    const { client } = await breakFile();
    const invalid = await configGet(client);
    await callChecked(client, "config.apply", {
      raw: JSON.stringify({ agents: { list: [{ id: "main" }, { id: "ops" }] } }),
      baseHash: invalid.hash,
    });
    await callChecked(client, "config.patch", {
      raw: JSON.stringify({ agents: { list: [{ id: "main" }, { id: "ops" }, { id: "later" }] } }),
    });
    const after = await configGet(client);
    expect(after).toMatchObject({ valid: true, running: "file" });
    expect(agentIds(after)).toEqual(["later", "main", "ops"]);
  });
});
