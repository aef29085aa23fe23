import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, makeStateDir, removeStateDir, runCli } from "./cli-process.js";

const PLACEHOLDER = "__OPENCLAW_REDACTED__";
const SECRETS = {
  gatewayToken: "gw-token-secret-0123456789",
  hooksToken: "hooks-token-secret",
  providerKey: "sk-provider-secret",
  telegramBot: "123456:telegram-bot-secret",
  slackBot: "xoxb-slack-bot-secret",
  slackApp: "xapp-slack-app-secret",
  slackSigning: "slack-signing-secret",
  inlineEnv: "inline-env-secret",
};
const SECRET_REF = { source: "env", provider: "default", id: "GATEWAY_PASSWORD" };

let stateDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  stateDir = await makeStateDir();
  env = cliEnv(stateDir);
  const config = {
    gateway: { port: 19555, auth: { mode: "token", token: SECRETS.gatewayToken, password: SECRET_REF } },
    hooks: { enabled: true, token: SECRETS.hooksToken },
    models: {
      providers: {
        ollama: {
          baseUrl: "http://127.0.0.1:11434/v1",
          api: "openai-completions",
          apiKey: SECRETS.providerKey,
          models: [{ id: "llama3.2" }],
        },
      },
    },
    channels: {
      telegram: { botToken: SECRETS.telegramBot },
      slack: { botToken: SECRETS.slackBot, appToken: SECRETS.slackApp, signingSecret: SECRETS.slackSigning },
    },
    env: { vars: { SOME_SERVICE: SECRETS.inlineEnv } },
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
});

afterAll(async () => {
  await removeStateDir(stateDir);
});

function expectNoSecret(text: string): void {
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
}

async function get(...args: string[]) {
  const result = await runCli(["config", "get", ...args], env);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe("openclaw config get redacts secrets wherever they are printed", () => {
  it("a subtree (gateway, gateway.auth) shows the token redacted, with a hint on stderr", async () => {
    for (const path of ["gateway", "gateway.auth"]) {
      const result = await get(path);
      expectNoSecret(result.stdout);
      expect(result.stdout).toContain(PLACEHOLDER);
      expect(result.stderr).toContain("--show-secrets");
    }
    const auth = JSON.parse((await get("gateway.auth")).stdout);
    expect(auth).toMatchObject({ mode: "token", token: PLACEHOLDER, password: SECRET_REF });
  });

  it("a leaf secret prints the placeholder; a leaf that is no secret prints as is, without the hint", async () => {
    const token = await get("gateway.auth.token");
    expect(token.stdout.trim()).toBe(PLACEHOLDER);
    expect(token.stderr).toContain("--show-secrets");
    const port = await get("gateway.port");
    expect(port.stdout.trim()).toBe("19555");
    expect(port.stderr).toBe("");
  });

  it("a SecretRef reveals nothing and is shown as written", async () => {
    expect(JSON.parse((await get("gateway.auth.password")).stdout)).toEqual(SECRET_REF);
  });

  it("provider apiKey, hooks.token, channel tokens and inline env vars are redacted, --json included", async () => {
    for (const path of [
      "models",
      "models.providers.ollama.apiKey",
      "hooks",
      "channels",
      "channels.slack",
      "env",
    ]) {
      expectNoSecret((await get(path)).stdout);
      const json = await get(path, "--json");
      expectNoSecret(json.stdout);
      expect(json.stdout).toContain(PLACEHOLDER);
      // --json keeps stderr quiet: stdout is exactly the JSON a script parses.
      expect(json.stderr).toBe("");
    }
    const channels = JSON.parse((await get("channels", "--json")).stdout);
    expect(channels).toMatchObject({
      telegram: { botToken: PLACEHOLDER },
      slack: { botToken: PLACEHOLDER, appToken: PLACEHOLDER, signingSecret: PLACEHOLDER },
    });
  });

  it("the whole config, plain and --json, holds no secret", async () => {
    const plain = await get();
    expectNoSecret(plain.stdout);
    expect(plain.stderr).toContain("--show-secrets");
    const json = await get("--json");
    expectNoSecret(json.stdout);
    expect(JSON.parse(json.stdout).config.gateway.auth.token).toBe(PLACEHOLDER);
  });

  it("--show-secrets prints them in clear, for a leaf, a subtree and the whole config", async () => {
    expect((await get("gateway.auth.token", "--show-secrets")).stdout.trim()).toBe(SECRETS.gatewayToken);
    const slack = JSON.parse((await get("channels.slack", "--json", "--show-secrets")).stdout);
    expect(slack).toMatchObject({ botToken: SECRETS.slackBot, signingSecret: SECRETS.slackSigning });
    const whole = await get("--show-secrets");
    for (const secret of Object.values(SECRETS)) expect(whole.stdout).toContain(secret);
    expect(whole.stderr).not.toContain("--show-secrets");
  });

  it("the help documents --show-secrets", async () => {
    const help = await runCli(["config", "get", "--help"], env);
    expect(help.stdout).toContain("--show-secrets");
    expect(help.stdout).toContain("redacted");
  });
});
