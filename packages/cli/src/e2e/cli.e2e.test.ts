import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CLI_HINT,
  cliEnv,
  freePort,
  makeStateDir,
  occupyPort,
  type RunningGateway,
  removeStateDir,
  runCli,
  startCliGateway,
} from "./cli-process.js";

let stateDir: string;
let gateway: RunningGateway | undefined;

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await removeStateDir(stateDir);
});

describe("openclaw CLI end to end", () => {
  it("prints its version", async () => {
    const result = await runCli(["--version"], cliEnv(stateDir));
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("first run generates a token, stores it 0600, prints it, and the gateway answers with it", async () => {
    const port = await freePort();
    const env = cliEnv(stateDir);
    gateway = startCliGateway(["--port", String(port)], env);
    const output = await gateway.ready;
    expect(output).toContain(`ws://127.0.0.1:${port}`);
    expect(output).toMatch(new RegExp(`Control UI\\s+http://127\\.0\\.0\\.1:${port}/`));
    const token = /Token: ([0-9a-f]{64})/.exec(output)?.[1];
    expect(token).toBeDefined();

    const configPath = join(stateDir, "openclaw.json");
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(configPath, "utf8")).toContain(token);

    const url = `ws://127.0.0.1:${port}`;
    const health = await runCli(["health", "--url", url, "--json"], env);
    expect(health.stderr).toBe("");
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: true });

    const response = await fetch(`http://127.0.0.1:${port}/v1/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await response.json()).toEqual({ status: "ok" });

    // The Control UI ships with the command: its page is served at the root.
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("<script");

    const patched = await runCli(
      [
        "gateway",
        "call",
        "sessions.patch",
        "--url",
        url,
        "--params",
        '{"key":"agent:main:main","label":"e2e"}',
      ],
      env,
    );
    expect(patched.code).toBe(0);
    const list = await runCli(["sessions", "list", "--url", url, "--json"], env);
    expect(JSON.parse(list.stdout).sessions).toEqual([
      expect.objectContaining({ key: "agent:main:main", label: "e2e" }),
    ]);

    const status = await runCli(["status", "--url", url, "--json"], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, protocol: 4, auth: { mode: "token" } });

    const wrong = await runCli(["health", "--url", url, "--token", "f".repeat(64)], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("token does not match");

    expect(await gateway.stop("SIGTERM")).toBe(0);
    expect(gateway.output()).toContain("shutting down");
  });

  it("a second start reuses the stored token instead of printing a new one", async () => {
    const env = cliEnv(stateDir);
    const first = startCliGateway(["--port", String(await freePort())], env);
    const token = /Token: ([0-9a-f]{64})/.exec(await first.ready)?.[1];
    await first.stop();
    gateway = startCliGateway(["--port", String(await freePort())], env);
    const output = await gateway.ready;
    expect(output).not.toContain(token);
    expect(output).toContain("config get gateway.auth.token --show-secrets");
    const shown = await runCli(["config", "get", "gateway.auth.token", "--show-secrets"], env);
    expect(shown.stdout.trim()).toBe(token);
  });

  it("config set validates before saving and config get reads the value back", async () => {
    const env = cliEnv(stateDir);
    const bad = await runCli(["config", "set", "gateway.port", "not-a-port"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("gateway.port");
    const good = await runCli(["config", "set", "gateway.port", "19123"], env);
    expect(good.code).toBe(0);
    const read = await runCli(["config", "get", "gateway.port"], env);
    expect(read.stdout.trim()).toBe("19123");
    const whole = await runCli(["config", "get", "--json"], env);
    expect(JSON.parse(whole.stdout).config.gateway.port).toBe(19123);
  });

  it("config --section models without a terminal or flags names the flags instead of waiting for input", async () => {
    const result = await runCli(["config", "--section", "models"], cliEnv(stateDir));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--provider");
    expect(result.stderr).toContain(`${CLI_HINT} config set`);
    const unknown = await runCli(["config", "--section", "nope"], cliEnv(stateDir));
    expect(unknown.code).toBe(2);
  });

  it("refuses to start on a broken config and says where and how to fix it", async () => {
    const env = cliEnv(stateDir);
    await writeFile(join(stateDir, "openclaw.json"), '{ gateway: { port: "abc" } }');
    const invalid = await runCli(["gateway"], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("gateway.port");
    expect(invalid.stderr).toContain(`${CLI_HINT} config set gateway.port`);
    await writeFile(join(stateDir, "openclaw.json"), "{ gateway: { port: 1");
    const unparsable = await runCli(["gateway"], env);
    expect(unparsable.code).toBe(1);
    expect(unparsable.stderr).toMatch(/not valid JSON5 at line 1/);
  });

  it("refuses to bind beyond loopback without auth", async () => {
    const result = await runCli(
      ["gateway", "--bind", "lan", "--auth", "none", "--port", "0"],
      cliEnv(stateDir),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("without authentication");
  });

  it("an explicit --port that is taken fails clearly; a configured one falls back to the next free port", async () => {
    const taken = await occupyPort();
    try {
      const env = cliEnv(stateDir, { OPENCLAW_GATEWAY_TOKEN: "e".repeat(64) });
      const explicit = await runCli(["gateway", "--port", String(taken.port)], env);
      expect(explicit.code).toBe(1);
      expect(explicit.stderr).toContain("already in use");

      gateway = startCliGateway([], { ...env, OPENCLAW_GATEWAY_PORT: String(taken.port) });
      const output = await gateway.ready;
      expect(output).toContain(`${taken.port} was taken`);
    } finally {
      taken.server.close();
    }
  });

  it("reports an unreachable gateway with what to do", async () => {
    const port = await freePort();
    const result = await runCli(
      ["health", "--url", `ws://127.0.0.1:${port}`, "--token", "x"],
      cliEnv(stateDir),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${CLI_HINT} gateway`);
  });

  it("restarts in place when a config edit needs it (new port), and answers on the new port", async () => {
    const [first, second] = [await freePort(), await freePort()];
    const token = "c".repeat(64);
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({ gateway: { port: first, auth: { mode: "token", token } } }),
    );
    const env = cliEnv(stateDir);
    gateway = startCliGateway([], env);
    expect(await gateway.ready).toContain(`ws://127.0.0.1:${first}`);

    const set = await runCli(["config", "set", "gateway.port", String(second)], env);
    expect(set.code).toBe(0);
    await expect
      .poll(() => gateway?.output() ?? "")
      .toContain(`gateway restarted on ws://127.0.0.1:${second}`);
    const health = await runCli(
      ["health", "--url", `ws://127.0.0.1:${second}`, "--token", token, "--json"],
      env,
    );
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: true });
    expect(await gateway.stop("SIGTERM")).toBe(0);
  });
});
