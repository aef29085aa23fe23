import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ConfigReloadPlan } from "../reload/index.js";
import { callChecked, type RawClient, type TestGateway, useIntegrationEnv, writeConfig } from "./harness.js";

const env = useIntegrationEnv();
const TOKEN = "a".repeat(64);

function baseConfig(extra: Record<string, unknown> = {}, reloadMode = "hybrid") {
  return {
    gateway: { auth: { mode: "token", token: TOKEN }, reload: { mode: reloadMode } },
    agents: { list: [{ id: "main" }] },
    ...extra,
  };
}

/** Editors replace the file (write a temp file, rename it over); the watcher must follow that too. */
async function replaceConfig(stateDir: string, config: Record<string, unknown>): Promise<void> {
  const temp = join(stateDir, "openclaw.json.edit");
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`);
  await rename(temp, join(stateDir, "openclaw.json"));
}

async function agentIds(client: RawClient): Promise<string[]> {
  const result = await callChecked(client, "agents.list", {});
  return result.agents.map((agent) => agent.id).sort();
}

async function logText(gateway: TestGateway): Promise<string> {
  return readFile(gateway.server.logFile, "utf8").catch(() => "");
}

describe("config hot reload", () => {
  it("applies a good edit without a restart or a new connection", async () => {
    const gateway = await env.start({ config: baseConfig(), useConfigAuth: true });
    const { client } = await env.connect(gateway, { token: TOKEN });
    expect(await agentIds(client)).toEqual(["main"]);

    await replaceConfig(gateway.stateDir, baseConfig({ agents: { list: [{ id: "main" }, { id: "ops" }] } }));
    await expect.poll(() => agentIds(client)).toEqual(["main", "ops"]);
    await expect.poll(() => logText(gateway)).toContain("config reloaded");
  });

  it("rejects a bad edit and keeps running on the last good config", async () => {
    const gateway = await env.start({ config: baseConfig(), useConfigAuth: true });
    const { client } = await env.connect(gateway, { token: TOKEN });

    await writeFile(join(gateway.stateDir, "openclaw.json"), '{ gateway: { port: "not a port" } }');
    await expect.poll(() => logText(gateway)).toContain("keeping the running config");
    expect(await agentIds(client)).toEqual(["main"]);
    // The credential of the running config still works for a new client.
    await env.connect(gateway, { token: TOKEN });

    // A later good edit is applied as usual.
    await writeConfig(gateway.stateDir, baseConfig({ agents: { list: [{ id: "main" }, { id: "later" }] } }));
    await expect.poll(() => agentIds(client)).toEqual(["later", "main"]);
  });

  it("asks for a restart when a setting such as the port changes (hybrid) and keeps serving meanwhile", async () => {
    const plans: ConfigReloadPlan[] = [];
    const gateway = await env.start({
      config: baseConfig(),
      useConfigAuth: true,
      onRestartRequired: (plan) => plans.push(plan),
    });
    await replaceConfig(gateway.stateDir, {
      ...baseConfig(),
      gateway: { ...baseConfig().gateway, port: 19999 },
    });
    await expect.poll(() => plans.length).toBe(1);
    expect(plans[0]).toMatchObject({ action: "restart", restartPaths: ["gateway.port"] });
    const { client } = await env.connect(gateway, { token: TOKEN });
    expect(await agentIds(client)).toEqual(["main"]);
  });

  it('"hot" applies what it can and only logs what needs a restart', async () => {
    const plans: ConfigReloadPlan[] = [];
    const gateway = await env.start({
      config: baseConfig({}, "hot"),
      useConfigAuth: true,
      onRestartRequired: (plan) => plans.push(plan),
    });
    const { client } = await env.connect(gateway, { token: TOKEN });
    const edited = baseConfig({ agents: { list: [{ id: "main" }, { id: "ops" }] } }, "hot");
    await replaceConfig(gateway.stateDir, { ...edited, gateway: { ...edited.gateway, port: 19998 } });
    await expect.poll(() => agentIds(client)).toEqual(["main", "ops"]);
    await expect.poll(() => logText(gateway)).toContain("apply after a restart");
    expect(plans).toEqual([]);
  });

  it('"off" leaves the running config alone, but a rotated token still takes effect at once', async () => {
    const gateway = await env.start({ config: baseConfig({}, "off"), useConfigAuth: true });
    const { client } = await env.connect(gateway, { token: TOKEN });
    const rotated = "b".repeat(64);
    const edited = baseConfig({ agents: { list: [{ id: "main" }, { id: "ops" }] } }, "off");
    await replaceConfig(gateway.stateDir, {
      ...edited,
      gateway: { ...edited.gateway, auth: { mode: "token", token: rotated } },
    });
    await expect.poll(() => logText(gateway)).toContain("applies after a restart");
    expect(await agentIds(client)).toEqual(["main"]);
    await env.connect(gateway, { token: rotated });
    const socket = await env.open(gateway.server.url);
    await socket.waitForEvent("connect.challenge");
    const refused = await socket.request("connect", {
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: "gateway-client", version: "1", platform: "linux", mode: "test" },
      auth: { token: TOKEN },
    });
    expect(refused.ok).toBe(false);
  });

  it("moves the log file when logging.file changes", async () => {
    const gateway = await env.start({ config: baseConfig(), useConfigAuth: true });
    const first = gateway.server.logFile;
    await replaceConfig(gateway.stateDir, baseConfig({ logging: { file: "logs/custom.log" } }));
    await expect.poll(() => gateway.server.logFile).toBe(join(gateway.stateDir, "logs", "custom.log"));
    expect(first).toBe(join(gateway.stateDir, "logs", "gateway.log"));
    const { client } = await env.connect(gateway, { token: TOKEN });
    await client.call("health", {});
    await expect
      .poll(() => readFile(join(gateway.stateDir, "logs", "custom.log"), "utf8").catch(() => ""))
      .toMatch(/"level"/);
  });
});
