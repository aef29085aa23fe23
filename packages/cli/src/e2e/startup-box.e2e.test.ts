import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CLI_BIN,
  cliEnv,
  freePort,
  makeStateDir,
  type RunningGateway,
  removeStateDir,
  runCli,
  startCliGateway,
} from "./cli-process.js";

let stateDir: string;
let gateway: RunningGateway | undefined;
let telegram: FakeTelegramServer | undefined;

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await telegram?.close();
  telegram = undefined;
  await removeStateDir(stateDir);
});

async function startWithConfig(config: Record<string, unknown>): Promise<string> {
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  gateway = startCliGateway([], cliEnv(stateDir));
  return gateway.ready;
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
    // (the gateway runs in this test's working directory, so the path is relative to it)
    const cli = `node ${relative(process.cwd(), CLI_BIN)}`;
    expect(box).toContain(
      `○ Channels: 0 running (none configured: \`${cli} config --section channels\` adds one)`,
    );
    expect(box).toContain(`Token: stored in your config; print it with \`${cli} config get`);
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
    await writeFile(join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { port } }));
    const health = await runCli(["health"], cliEnv(stateDir));
    expect(health.code).not.toBe(0);
    expect(health.stderr).toContain(`Start it with \`node ${relative(process.cwd(), CLI_BIN)} gateway\``);
  });
});
