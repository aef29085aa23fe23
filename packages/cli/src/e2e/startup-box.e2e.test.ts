import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_HINT, freePort, runCli, useCliState } from "./cli-process.js";

const cli = useCliState();
let telegram: FakeTelegramServer | undefined;

afterEach(async () => {
  await telegram?.close();
  telegram = undefined;
});

async function startWithConfig(config: Record<string, unknown>): Promise<string> {
  await writeFile(join(cli.stateDir, "openclaw.json"), JSON.stringify(config));
  return cli.startGateway().ready;
}

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
  return pkg.version;
}

describe("the startup box", () => {
  it("names our version and checks WebSocket, Control UI and Auth; no channel configured says how to add one", async () => {
    const port = await freePort();
    const box = await startWithConfig({ gateway: { port, auth: { mode: "token", token: "a".repeat(64) } } });
    expect(box).toContain(`┌─ OpenClaw Gateway v${await packageVersion()} `);
    expect(box).toMatch(new RegExp(`✓ WebSocket\\s+ws://127\\.0\\.0\\.1:${port}`));
    expect(box).toMatch(new RegExp(`✓ Control UI\\s+http://127\\.0\\.0\\.1:${port}/`));
    expect(box).toMatch(/✓ Auth\s+token \(from gateway\.auth\.token in /);
    // Started as `node <path>/bin.js`, the hints name exactly that command, not an `openclaw` the user may lack.
    expect(box).toContain(
      `○ Channels: 0 running (none configured: \`${CLI_HINT} config --section channels\` adds one)`,
    );
    expect(box).toContain(`Token: stored in your config; print it with \`${CLI_HINT} config get`);
  });

  it("counts a connected channel as running", async () => {
    telegram = await startFakeTelegramServer();
    const box = await startWithConfig({
      gateway: { port: await freePort(), auth: { mode: "token", token: "b".repeat(64) } },
      channels: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 } },
    });
    expect(box).toContain("✓ Channels: 1 running (telegram)");
  });

  it("marks a channel that cannot reach its platform as failed, with the reason", async () => {
    const deadPort = await freePort();
    const box = await startWithConfig({
      gateway: { port: await freePort(), auth: { mode: "token", token: "c".repeat(64) } },
      channels: { telegram: { botToken: "123:abc", apiRoot: `http://127.0.0.1:${deadPort}` } },
    });
    expect(box).toMatch(/✗ Channels: 0 running \(telegram failed: .+\)/);
  });

  it("hints in errors name the same command (no gateway running: how to start one)", async () => {
    const port = await freePort();
    await writeFile(join(cli.stateDir, "openclaw.json"), JSON.stringify({ gateway: { port } }));
    const health = await runCli(["health"], cli.env);
    expect(health.code).not.toBe(0);
    expect(health.stderr).toContain(`Start it with \`${CLI_HINT} gateway\``);
  });
});
