import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_HINT, cliEnv, makeStateDir, removeStateDir, runCli } from "./cli-process.js";
import { KEY, PtySession } from "./pty-session.js";

let stateDir: string;
let sessions: PtySession[] = [];

function pty(args: string[]): PtySession {
  const session = new PtySession(args, cliEnv(stateDir));
  sessions.push(session);
  return session;
}

async function readConfig(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(stateDir, "openclaw.json"), "utf8"));
}

/** The value at a dotted path of a parsed config, for assertions. */
function at(value: unknown, path: string): unknown {
  let node = value;
  for (const key of path.split(".")) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

async function writeConfig(value: unknown): Promise<string> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(join(stateDir, "openclaw.json"), text);
  return text;
}

beforeEach(async () => {
  stateDir = await makeStateDir();
  sessions = [];
});

afterEach(async () => {
  for (const session of sessions) session.kill();
  await removeStateDir(stateDir);
});

describe("openclaw config wizard on a terminal", () => {
  it("gateway section: port, bind lan, token auth with a generated token shown once; other keys kept", async () => {
    await writeConfig({ logging: { level: "debug" }, gateway: { port: 18789 } });
    const session = pty(["config", "--section", "gateway"]);
    await session.answer("Port for the gateway", `${KEY.clearLine}18800${KEY.enter}`);
    await session.answer("Who can reach it?", `${KEY.down}${KEY.enter}`);
    await session.answer("How do clients sign in?", KEY.enter);
    await session.answer("Gateway token", KEY.enter);
    await session.waitFor("gateway.auth.token: •••••••• (hidden)");
    await session.answer("Save to", KEY.enter);
    await session.waitFor("Control UI: http://127.0.0.1:18800/");
    expect(await session.exited).toBe(0);

    const config = await readConfig();
    expect(at(config, "logging")).toEqual({ level: "debug" });
    expect(at(config, "gateway")).toMatchObject({ port: 18800, bind: "lan", auth: { mode: "token" } });
    expect(at(config, "gateway.auth.token")).toMatch(/^[0-9a-f]{64}$/);
    const shown = session.screen.split(String(at(config, "gateway.auth.token"))).length - 1;
    expect(shown).toBe(1);
    expect((await stat(join(stateDir, "openclaw.json"))).mode & 0o777).toBe(0o600);
  });

  it("tailscale: Funnel is refused while sign-in is not a password, Serve is accepted", async () => {
    await writeConfig({ gateway: { auth: { mode: "token", token: "a".repeat(64) } } });
    const session = pty(["config", "--section", "tailscale"]);
    await session.answer("Expose the gateway through Tailscale?", `${KEY.down}${KEY.down}${KEY.enter}`);
    await session.waitFor("Tailscale Funnel publishes the gateway on the public internet");
    await session.answer("Switch gateway sign-in to a password now?", KEY.enter);
    await session.waitFor("Funnel was not turned on");
    await session.answer("Expose the gateway through Tailscale?", `${KEY.up}${KEY.enter}`);
    await session.answer("Undo the Serve/Funnel setup when the gateway stops?", "y");
    await session.answer("Save to", KEY.enter);
    expect(await session.exited).toBe(0);

    const config = await readConfig();
    expect(at(config, "gateway.tailscale")).toEqual({ mode: "serve", resetOnExit: true });
    expect(at(config, "gateway.auth")).toEqual({ mode: "token", token: "a".repeat(64) });
  });

  it("tailscale: Funnel is accepted after switching to a password", async () => {
    const session = pty(["config", "--section", "tailscale"]);
    await session.answer("Expose the gateway through Tailscale?", `${KEY.down}${KEY.down}${KEY.enter}`);
    await session.answer("Switch gateway sign-in to a password now?", "y");
    await session.answer("Gateway password", `short${KEY.enter}`);
    await session.waitFor("use at least 8 characters");
    await session.write(`-but-longer-now${KEY.enter}`);
    await session.answer("Undo the Serve/Funnel setup", KEY.enter);
    await session.waitFor("gateway.auth.password: •••••••• (hidden)");
    await session.answer("Save to", KEY.enter);
    expect(await session.exited).toBe(0);
    const config = await readConfig();
    expect(at(config, "gateway.auth")).toEqual({ mode: "password", password: "short-but-longer-now" });
    expect(at(config, "gateway.tailscale.mode")).toBe("funnel");
  });

  it("models: provider, masked API key and the default model", async () => {
    const session = pty(["config", "--section", "models"]);
    await session.answer("Which model provider?", `${KEY.down}${KEY.enter}`);
    await session.answer("API key", `sk-ant-secret-123${KEY.enter}`);
    await session.answer("Default model", KEY.enter);
    await session.waitFor("models.providers.anthropic.apiKey: •••••••• (hidden)");
    await session.answer("Save to", KEY.enter);
    expect(await session.exited).toBe(0);

    expect(session.screen).not.toContain("sk-ant-secret-123");
    const config = await readConfig();
    expect(at(config, "models.providers.anthropic")).toEqual({
      baseUrl: "https://api.anthropic.com/v1",
      api: "anthropic-messages",
      apiKey: "sk-ant-secret-123",
      models: [{ id: "claude-sonnet-4-5" }],
    });
    expect(at(config, "agents.defaults.model.primary")).toBe("anthropic/claude-sonnet-4-5");
  });

  it("models: an OpenAI-compatible server with its own id, URL and API", async () => {
    const session = pty(["config", "--section", "models"]);
    await session.answer("Which model provider?", `${KEY.down}${KEY.down}${KEY.enter}`);
    await session.answer("A short name for this provider", `${KEY.clearLine}ollama${KEY.enter}`);
    await session.answer("Base URL of the server", KEY.enter);
    await session.answer("Which API does it speak?", KEY.enter);
    await session.answer("API key", KEY.enter);
    await session.answer("Default model", `${KEY.clearLine}qwen3:8b${KEY.enter}`);
    await session.answer("Save to", KEY.enter);
    expect(await session.exited).toBe(0);
    const config = await readConfig();
    expect(at(config, "models.providers.ollama")).toEqual({
      baseUrl: "http://127.0.0.1:11434/v1",
      api: "openai-completions",
      models: [{ id: "qwen3:8b" }],
    });
    expect(at(config, "agents.defaults.model.primary")).toBe("ollama/qwen3:8b");
  });

  it("Ctrl-C exits 130 and writes nothing", async () => {
    const before = await writeConfig({
      gateway: { port: 18789, auth: { mode: "token", token: "b".repeat(64) } },
    });
    const session = pty(["config"]);
    await session.answer("Port for the gateway", `${KEY.clearLine}19999${KEY.enter}`);
    await session.answer("Who can reach it?", KEY.ctrlC);
    await session.waitFor("nothing was written");
    expect(await session.exited).toBe(130);
    expect(await readFile(join(stateDir, "openclaw.json"), "utf8")).toBe(before);
    expect((await readdir(stateDir)).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("onboard: gateway with a generated token, a provider and one channel, then how to start", async () => {
    const session = pty(["onboard"]);
    await session.waitFor("Welcome to OpenClaw");
    await session.answer("Port for the gateway", KEY.enter);
    await session.answer("Who can reach it?", KEY.enter);
    await session.answer("How do clients sign in?", KEY.enter);
    await session.answer("Gateway token", KEY.enter);
    await session.answer("Set up a model provider now?", KEY.enter);
    await session.answer("Which model provider?", KEY.enter);
    await session.answer("API key", `sk-openai-test${KEY.enter}`);
    await session.answer("Default model", KEY.enter);
    await session.answer("Connect a chat channel now?", "y");
    await session.answer("Which channel?", KEY.enter);
    await session.answer("Enable Telegram?", KEY.enter);
    await session.answer("Bot token from @BotFather", `123456:ABC_def-ghi${KEY.enter}`);
    await session.answer("Save to", KEY.enter);
    await session.waitFor(`Start the gateway:  \`${CLI_HINT} gateway\``);
    await session.waitFor("http://127.0.0.1:18789/");
    expect(await session.exited).toBe(0);

    const config = await readConfig();
    expect(at(config, "gateway")).toMatchObject({ port: 18789, bind: "loopback", auth: { mode: "token" } });
    expect(at(config, "gateway.auth.token")).toMatch(/^[0-9a-f]{64}$/);
    expect(at(config, "models.providers.openai")).toMatchObject({
      api: "openai-responses",
      apiKey: "sk-openai-test",
    });
    expect(at(config, "agents.defaults.model")).toEqual({ primary: "openai/gpt-4o-mini" });
    expect(at(config, "channels.telegram")).toEqual({ enabled: true, botToken: "123456:ABC_def-ghi" });
  });

  it("onboard asks before replacing an existing config and leaves it when told no", async () => {
    const before = await writeConfig({ gateway: { port: 18111 } });
    const session = pty(["onboard"]);
    await session.answer("already exists. Start over", KEY.enter);
    await session.waitFor("Kept your config");
    expect(await session.exited).toBe(0);
    expect(await readFile(join(stateDir, "openclaw.json"), "utf8")).toBe(before);
  });

  it("config reset asks for confirmation, then keeps a backup", async () => {
    const before = await writeConfig({ gateway: { port: 18222 } });
    const session = pty(["config", "reset"]);
    await session.answer("Replace", "y");
    await session.waitFor("Backup: ");
    expect(await session.exited).toBe(0);
    const backups = (await readdir(stateDir)).filter((name) => name.startsWith("openclaw.json.bak."));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(stateDir, backups[0] as string), "utf8")).toBe(before);
  });
});

describe("openclaw config wizard without a terminal", () => {
  it("exits 2 naming the flags and `openclaw config set` instead of waiting for input", async () => {
    for (const args of [["config"], ["config", "--section", "gateway"]]) {
      const result = await runCli(args, cliEnv(stateDir));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--non-interactive");
      expect(result.stderr).toContain("--port <port>");
      expect(result.stderr).toContain(`${CLI_HINT} config set`);
    }
    expect(await readdir(stateDir)).toEqual([]);
  });

  it("writes the answers given as flags", async () => {
    await writeConfig({ logging: { level: "warn" } });
    const env = cliEnv(stateDir);
    const gateway = await runCli(
      [
        "config",
        "--section",
        "gateway",
        "--port",
        "18800",
        "--bind",
        "lan",
        "--auth",
        "token",
        "--generate-token",
      ],
      env,
    );
    expect(gateway.code).toBe(0);
    let config = await readConfig();
    expect(at(config, "logging")).toEqual({ level: "warn" });
    expect(at(config, "gateway")).toMatchObject({ port: 18800, bind: "lan", auth: { mode: "token" } });
    expect(gateway.stdout).toContain(String(at(config, "gateway.auth.token")));

    const rest = await runCli(
      [
        "config",
        "--provider",
        "openai-compatible",
        "--provider-id",
        "ollama",
        "--model",
        "llama3.2",
        "--chat-completions",
        "on",
        "--channel",
        "slack",
        "--channel-token",
        "xoxb-1",
        "--slack-app-token",
        "xapp-1",
        "--non-interactive",
      ],
      env,
    );
    expect(rest.code).toBe(0);
    config = await readConfig();
    expect(at(config, "agents.defaults.model.primary")).toBe("ollama/llama3.2");
    expect(at(config, "models.providers.ollama.api")).toBe("openai-completions");
    expect(at(config, "gateway.http.endpoints.chatCompletions.enabled")).toBe(true);
    expect(at(config, "channels.slack")).toEqual({ enabled: true, botToken: "xoxb-1", appToken: "xapp-1" });
    expect(rest.stdout).not.toContain("xapp-1");
  });

  it("a channel's name is a section of its own (the guide in `channels login` points there)", async () => {
    const result = await runCli(
      ["config", "--section", "telegram", "--channel-token", "123456:abc"],
      cliEnv(stateDir),
    );
    expect(result.code).toBe(0);
    expect(at(await readConfig(), "channels.telegram")).toEqual({ enabled: true, botToken: "123456:abc" });
    expect(result.stdout).not.toContain("123456:abc");
  });

  it("refuses unsafe or wrong answers with exit 2 and writes nothing", async () => {
    const env = cliEnv(stateDir);
    const open = await runCli(["config", "--bind", "lan", "--auth", "none"], env);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain("needs sign-in");
    const funnel = await runCli(["config", "--tailscale", "funnel"], env);
    expect(funnel.code).toBe(2);
    expect(funnel.stderr).toContain("Funnel");
    expect(funnel.stderr).toContain("--auth password");
    const misplaced = await runCli(["config", "--section", "gateway", "--model", "x"], env);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain("--section models");
    const unknown = await runCli(["config", "--section", "nope"], env);
    expect(unknown.code).toBe(2);
    expect(await readdir(stateDir)).toEqual([]);
  });

  it("onboard needs --force to replace a config, and keeps a backup when it does", async () => {
    const before = await writeConfig({ gateway: { port: 18333 } });
    const env = cliEnv(stateDir);
    const refused = await runCli(["onboard", "--provider", "openai"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--force");
    const forced = await runCli(
      ["onboard", "--force", "--port", "18444", "--provider", "openai", "--api-key", "sk-1"],
      env,
    );
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`${CLI_HINT} gateway`);
    const config = await readConfig();
    expect(at(config, "gateway.port")).toBe(18444);
    expect(at(config, "gateway.auth.token")).toMatch(/^[0-9a-f]{64}$/);
    const backups = (await readdir(stateDir)).filter((name) => name.startsWith("openclaw.json.bak."));
    expect(await readFile(join(stateDir, backups[0] as string), "utf8")).toBe(before);
  });

  it("config reset needs --yes, then backs up (mode 0600) and writes a fresh config with a new token", async () => {
    const before = await writeConfig({
      gateway: { port: 18555, auth: { mode: "none" } },
      logging: { level: "debug" },
    });
    const env = cliEnv(stateDir);
    const refused = await runCli(["config", "reset"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    const reset = await runCli(["config", "reset", "--yes"], env);
    expect(reset.code).toBe(0);
    const backupPath = /Backup: (\S+)/.exec(reset.stdout)?.[1] as string;
    expect(backupPath).toMatch(/openclaw\.json\.bak\./);
    expect(await readFile(backupPath, "utf8")).toBe(before);
    expect((await stat(backupPath)).mode & 0o777).toBe(0o600);
    const config = await readConfig();
    expect(config).toEqual({
      gateway: {
        port: 18789,
        bind: "loopback",
        auth: { mode: "token", token: expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
    });
  });
});
