import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { OpenClawConfigSchema } from "../config/config-schema.js";
import { useIntegrationEnv } from "../integration/harness.js";
import type { Logger } from "../logging/logger.js";
import { createModelCredentials } from "./model-credentials.js";

const env = useIntegrationEnv();
const KEY = "sk-profile-0123456789";

/** A fake model that answers only requests carrying {@link KEY}. */
async function keyedModel(): Promise<FakeModelServer> {
  const fake = await startFakeModelServer({ apiKey: KEY });
  env.defer(() => fake.close());
  return fake;
}

function modelConfig(fake: FakeModelServer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    models: {
      providers: {
        fake: {
          baseUrl: fake.baseUrlFor("openai-completions"),
          api: "openai-completions",
          models: [{ id: "m1" }],
          ...extra,
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/m1" }, skipBootstrap: true } },
  };
}

async function agentDir(stateDir: string): Promise<string> {
  const dir = join(stateDir, "agents", "main", "agent");
  await mkdir(dir, { recursive: true });
  return dir;
}

/** OpenClaw 2026.9's profile store: the primary row of auth_profile_store in the agent's database. */
function writeSqliteStore(dir: string, store: unknown): void {
  const db = new DatabaseSync(join(dir, "openclaw-agent.sqlite"));
  db.exec(
    "CREATE TABLE auth_profile_store (store_key TEXT NOT NULL PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT",
  );
  db.prepare("INSERT INTO auth_profile_store VALUES ('primary', ?, ?)").run(
    JSON.stringify(store),
    Date.now(),
  );
  db.close();
}

async function ask(stateDir: string, config: Record<string, unknown>) {
  const gateway = await env.start({ stateDir, config });
  const turn = gateway.server.runtime.chat.start({ sessionKey: "agent:main:main", message: "hi" });
  return turn.done;
}

describe("model auth profiles through the gateway", () => {
  it("auth.order picks the profile from the legacy auth-profiles.json; the wrong first choice fails the run", async () => {
    const fake = await keyedModel();
    const stateDir = await env.makeStateDir();
    await writeFile(
      join(await agentDir(stateDir), "auth-profiles.json"),
      JSON.stringify({
        version: 1,
        profiles: {
          "fake:old": { type: "api_key", provider: "fake", key: "sk-revoked" },
          "fake:work": { type: "api_key", provider: "fake", key: KEY },
        },
      }),
    );
    const good = await ask(stateDir, {
      ...modelConfig(fake),
      auth: { order: { fake: ["fake:work", "fake:old"] } },
    });
    expect(good).toMatchObject({ status: "ok" });
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);

    const bad = await ask(await copyOf(stateDir), {
      ...modelConfig(fake),
      auth: { order: { fake: ["fake:old", "fake:work"] } },
    });
    expect(bad.status).toBe("error");
    expect(fake.requests.at(-1)?.headers.authorization).toBe("Bearer sk-revoked");
  });

  it("reads OpenClaw 2026.9's SQLite store, with a keyRef resolved from a secrets file (JSON pointer)", async () => {
    const fake = await keyedModel();
    const stateDir = await env.makeStateDir();
    writeSqliteStore(await agentDir(stateDir), {
      version: 1,
      profiles: {
        "fake:default": {
          type: "api_key",
          provider: "fake",
          keyRef: { source: "file", provider: "vaultfile", id: "/providers/fake/apiKey" },
        },
      },
    });
    const secretsFile = join(stateDir, "secrets.json");
    await writeFile(secretsFile, JSON.stringify({ providers: { fake: { apiKey: KEY } } }));
    const result = await ask(stateDir, {
      ...modelConfig(fake),
      auth: { profiles: { "fake:default": { provider: "fake", mode: "api_key" } } },
      secrets: { providers: { vaultfile: { source: "file", path: secretsFile } } },
    });
    expect(result).toMatchObject({ status: "ok" });
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("a SecretRef as models.providers.<id>.apiKey reads a singleValue secrets file", async () => {
    const fake = await keyedModel();
    const stateDir = await env.makeStateDir();
    const keyFile = join(stateDir, "fake.key");
    await writeFile(keyFile, `${KEY}\n`);
    const result = await ask(stateDir, {
      ...modelConfig(fake, { apiKey: { source: "file", provider: "keyfile", id: "value" } }),
      secrets: { providers: { keyfile: { source: "file", path: keyFile, mode: "singleValue" } } },
    });
    expect(result).toMatchObject({ status: "ok" });
  });

  /** A second state dir with the same profile files, so each gateway owns its own. */
  async function copyOf(stateDir: string): Promise<string> {
    const copy = await env.makeStateDir();
    const { cp } = await import("node:fs/promises");
    await cp(join(stateDir, "agents"), join(copy, "agents"), { recursive: true });
    return copy;
  }
});

describe("createModelCredentials", () => {
  const logs: string[] = [];
  const logger = {
    warn: (message: string) => logs.push(message),
    info: () => undefined,
    error: () => undefined,
    debug: () => undefined,
    child: () => logger,
  } as unknown as Logger;

  it("env refs read the environment; exec refs and OAuth profiles are reported once and stay unset", async () => {
    const stateDir = await env.makeStateDir();
    await writeFile(
      join(await agentDir(stateDir), "auth-profiles.json"),
      JSON.stringify({
        profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access: "a", refresh: "r" } },
      }),
    );
    const config = OpenClawConfigSchema.parse({});
    const credentials = createModelCredentials({
      config: () => config,
      stateDir,
      env: { MY_KEY: "from-env" },
      logger,
    });
    expect(credentials.resolveRef({ source: "env", id: "MY_KEY" })).toBe("from-env");
    expect(credentials.resolveRef({ source: "exec", provider: "vault", id: "x" })).toBeUndefined();
    expect(credentials.profileKey("anthropic", "main")).toBeUndefined();
    expect(credentials.profileKey("anthropic", "main")).toBeUndefined();
    expect(logs.filter((line) => line.includes('"anthropic:me" is an oauth profile'))).toHaveLength(1);
    expect(logs.some((line) => line.includes('source "exec" is not supported'))).toBe(true);
  });

  it("an expired token profile is skipped for the next one in order", async () => {
    const stateDir = await env.makeStateDir();
    await writeFile(
      join(await agentDir(stateDir), "auth-profiles.json"),
      JSON.stringify({
        profiles: {
          "fake:a": { type: "token", provider: "fake", token: "old", expires: 1_000 },
          "fake:b": { type: "token", provider: "fake", token: "fresh", expires: Date.now() + 60_000 },
        },
      }),
    );
    const config = OpenClawConfigSchema.parse({});
    const credentials = createModelCredentials({ config: () => config, stateDir, env: {}, logger });
    expect(credentials.profileKey("fake", "main")).toBe("fresh");
    expect(credentials.profileKey("other", "main")).toBeUndefined();
  });
});
