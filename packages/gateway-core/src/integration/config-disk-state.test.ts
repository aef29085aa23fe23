import { writeFile } from "node:fs/promises";
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
