import { readFile } from "node:fs/promises";
import JSON5 from "json5";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { isSecretKey, REDACTED_SECRET, redactConfig, restoreRedactedSecrets } from "./config-redaction.js";

describe("isSecretKey", () => {
  it("matches secret-looking keys by their ending", () => {
    for (const key of [
      "token",
      "botToken",
      "appToken",
      "password",
      "apiKey",
      "api_key",
      "signingSecret",
      "clientSecret",
      "privateKey",
      "OPENROUTER_API_KEY",
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ["maxTokens", "tokenFile", "mainKey", "sessionKey", "secrets", "publicKey", "mode"]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });
});

describe("redactConfig", () => {
  it("replaces every secret of an OpenClaw config and nothing else", async () => {
    const raw = await readFile(new URL("./__fixtures__/openclaw-shaped.json5", import.meta.url), "utf8");
    const config = JSON5.parse(raw) as Record<string, unknown>;
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    expect(text).not.toMatch(/secret"|-secret|sk-/);
    expect(redacted).toMatchObject({
      channels: {
        telegram: { botToken: REDACTED_SECRET, dmPolicy: "pairing", allowFrom: ["tg:42"] },
        slack: { botToken: REDACTED_SECRET, appToken: REDACTED_SECRET, signingSecret: REDACTED_SECRET },
      },
      models: { providers: { custom: { apiKey: REDACTED_SECRET, baseUrl: "https://llm.example.com/v1" } } },
      env: { vars: { OPENROUTER_API_KEY: REDACTED_SECRET } },
      hooks: { token: REDACTED_SECRET, enabled: false },
      gateway: { port: 18789, auth: { mode: "token" } },
    });
    // An env reference reveals nothing and stays readable.
    expect((redacted.gateway as { auth: { token: string } }).auth.token).toBe(`\${OPENCLAW_GATEWAY_TOKEN}`);
    expect(config.channels).toMatchObject({ telegram: { botToken: "123456:ABC-telegram-secret" } });
  });

  it("redacts inline env vars under any name, however deep under a secret key", () => {
    const redacted = redactConfig({
      env: { vars: { SOME_SERVICE: "s1" }, FLAT_NAME: "s2", shellEnv: { enabled: true } },
      skills: { entries: { x: { env: { ANY: "s3" } } } },
      gateway: { auth: { token: { value: "s4" } } },
    });
    expect(JSON.stringify(redacted)).not.toMatch(/"s\d"/);
    expect(redacted).toMatchObject({
      env: { vars: { SOME_SERVICE: REDACTED_SECRET }, shellEnv: { enabled: true } },
    });
  });

  it("keeps SecretRef objects and empty strings, and gives {} for a non-object", () => {
    const ref = { source: "env", provider: "default", id: "GW" };
    expect(redactConfig({ gateway: { auth: { token: ref, password: "" } } })).toEqual({
      gateway: { auth: { token: ref, password: "" } },
    });
    expect(redactConfig(null)).toEqual({});
    expect(redactConfig("x")).toEqual({});
  });
});

describe("restoreRedactedSecrets", () => {
  it("puts stored secrets back where the placeholder remains", () => {
    const stored = {
      gateway: { auth: { token: "real", mode: "token" } },
      channels: { slack: { botToken: "xoxb" } },
    };
    const edited = {
      gateway: { auth: { token: REDACTED_SECRET, mode: "password", password: "new" } },
      channels: { slack: { botToken: REDACTED_SECRET } },
    };
    expect(restoreRedactedSecrets(edited, stored)).toEqual({
      gateway: { auth: { token: "real", mode: "password", password: "new" } },
      channels: { slack: { botToken: "xoxb" } },
    });
  });

  it("refuses a placeholder with nothing stored behind it", () => {
    try {
      restoreRedactedSecrets({ gateway: { auth: { password: REDACTED_SECRET } } }, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        { path: "gateway.auth.password", message: expect.stringContaining("write the real value") },
      ]);
    }
  });
});
