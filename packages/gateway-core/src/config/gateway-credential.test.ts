import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSON5 from "json5";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import type { ConfigPaths } from "./config-paths.js";
import {
  ensureGatewayToken,
  generateGatewayToken,
  MAX_SECRET_FILE_BYTES,
  resolveGatewayCredential,
  resolveGatewayPort,
} from "./gateway-credential.js";
import { loadConfig } from "./load-config.js";
import { parseConfigText } from "./parse-config-text.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-credential-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function configOf(raw: string) {
  return parseConfigText(raw, "/test/openclaw.json").config;
}

describe("resolveGatewayCredential", () => {
  const withToken = configOf('{ gateway: { auth: { token: "from-config" } } }');

  it("takes the token from the config when nothing overrides it", async () => {
    expect(await resolveGatewayCredential({ config: withToken, env: {} })).toEqual({
      mode: "token",
      secret: "from-config",
      source: "config",
    });
  });

  it("prefers the flag, then OPENCLAW_GATEWAY_TOKEN, then OPENCLAW_GATEWAY_TOKEN_FILE, then the config", async () => {
    const file = join(dir, "token");
    await writeFile(file, "  from-file\n", { mode: 0o600 });
    const env = { OPENCLAW_GATEWAY_TOKEN: "from-env", OPENCLAW_GATEWAY_TOKEN_FILE: file };
    expect(await resolveGatewayCredential({ config: withToken, env, flagToken: "from-flag" })).toEqual({
      mode: "token",
      secret: "from-flag",
      source: "flag",
    });
    expect(await resolveGatewayCredential({ config: withToken, env })).toMatchObject({
      secret: "from-env",
      source: "env",
    });
    expect(
      await resolveGatewayCredential({ config: withToken, env: { OPENCLAW_GATEWAY_TOKEN_FILE: file } }),
    ).toMatchObject({ secret: "from-file", source: "env-file" });
  });

  it("fails clearly when the token file cannot be read or is empty", async () => {
    const missing = join(dir, "missing");
    const error = await resolveGatewayCredential({
      config: withToken,
      env: { OPENCLAW_GATEWAY_TOKEN_FILE: missing },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe("CONFIG_IO");
    expect((error as ConfigError).message).toContain(`OPENCLAW_GATEWAY_TOKEN_FILE points to ${missing}`);

    const empty = join(dir, "empty");
    await writeFile(empty, "\n", { mode: 0o600 });
    await expect(
      resolveGatewayCredential({ config: withToken, env: { OPENCLAW_GATEWAY_TOKEN_FILE: empty } }),
    ).rejects.toThrow(/which is empty/);
  });

  it.skipIf(process.platform === "win32")(
    "refuses a secret file other users can read or change, naming chmod 600",
    async () => {
      for (const mode of [0o644, 0o640, 0o604, 0o620]) {
        const file = join(dir, `token-${mode.toString(8)}`);
        await writeFile(file, "secret\n");
        await chmod(file, mode);
        const error = await resolveGatewayCredential({
          config: withToken,
          env: { OPENCLAW_GATEWAY_TOKEN_FILE: file },
        }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).code).toBe("CONFIG_INVALID");
        expect((error as ConfigError).message).toContain(`chmod 600 ${file}`);
        expect((error as ConfigError).message).toContain(`mode 0${mode.toString(8)}`);
        expect((error as ConfigError).message).not.toContain("secret\n");
      }
      const owned = join(dir, "token-400");
      await writeFile(owned, "owner-only\n");
      await chmod(owned, 0o400);
      expect(
        await resolveGatewayCredential({ config: withToken, env: { OPENCLAW_GATEWAY_TOKEN_FILE: owned } }),
      ).toMatchObject({ secret: "owner-only", source: "env-file" });
    },
  );

  it("refuses a secret file that is not a regular file or is too large to be a secret", async () => {
    await expect(
      resolveGatewayCredential({ config: withToken, env: { OPENCLAW_GATEWAY_TOKEN_FILE: dir } }),
    ).rejects.toThrow(/is not a regular file/);
    const huge = join(dir, "huge");
    await writeFile(huge, "a".repeat(MAX_SECRET_FILE_BYTES + 1), { mode: 0o600 });
    await expect(
      resolveGatewayCredential({ config: withToken, env: { OPENCLAW_GATEWAY_TOKEN_FILE: huge } }),
    ).rejects.toThrow(`is larger than ${MAX_SECRET_FILE_BYTES} bytes`);
    const largest = join(dir, "largest");
    await writeFile(largest, "b".repeat(MAX_SECRET_FILE_BYTES), { mode: 0o600 });
    expect(
      (await resolveGatewayCredential({ config: withToken, env: { OPENCLAW_GATEWAY_TOKEN_FILE: largest } }))
        .secret,
    ).toHaveLength(MAX_SECRET_FILE_BYTES);
  });

  it("reads OPENCLAW_GATEWAY_PASSWORD_FILE with the same checks", async () => {
    const config = configOf('{ gateway: { auth: { mode: "password", password: "from-config" } } }');
    const file = join(dir, "password");
    await writeFile(file, "pw-from-file\n", { mode: 0o600 });
    expect(await resolveGatewayCredential({ config, env: { OPENCLAW_GATEWAY_PASSWORD_FILE: file } })).toEqual(
      { mode: "password", secret: "pw-from-file", source: "env-file" },
    );
    if (process.platform === "win32") return;
    await chmod(file, 0o644);
    await expect(
      resolveGatewayCredential({ config, env: { OPENCLAW_GATEWAY_PASSWORD_FILE: file } }),
    ).rejects.toThrow(`OPENCLAW_GATEWAY_PASSWORD_FILE points to ${file}, which other users can access`);
  });

  it(`resolves \${VAR} and env SecretRefs in the config, refusing unset variables`, async () => {
    const substituted = configOf(`{ gateway: { auth: { token: "\${GW_TOKEN}" } } }`);
    expect(await resolveGatewayCredential({ config: substituted, env: { GW_TOKEN: "abc" } })).toMatchObject({
      secret: "abc",
      source: "config",
    });
    await expect(resolveGatewayCredential({ config: substituted, env: {} })).rejects.toThrow(
      /refers to \$\{GW_TOKEN\}, which is not set in the environment: export GW_TOKEN/,
    );

    const reference = configOf(
      '{ gateway: { auth: { token: { source: "env", provider: "default", id: "GW" } } } }',
    );
    expect(await resolveGatewayCredential({ config: reference, env: { GW: "ref" } })).toMatchObject({
      secret: "ref",
    });
    await expect(resolveGatewayCredential({ config: reference, env: {} })).rejects.toThrow(
      /GW, which is not set/,
    );

    const fileRef = configOf(
      '{ gateway: { auth: { token: { source: "file", provider: "f", id: "/gw" } } } }',
    );
    await expect(resolveGatewayCredential({ config: fileRef, env: {} })).rejects.toThrow(
      /"file" secret reference is not supported/,
    );
  });

  it(`keeps a literal $\${VAR} as \${VAR}`, async () => {
    const config = configOf(`{ gateway: { auth: { token: "a$\${B}c" } } }`);
    expect(await resolveGatewayCredential({ config, env: {} })).toMatchObject({ secret: `a\${B}c` });
  });

  it("resolves passwords the same way", async () => {
    const config = configOf('{ gateway: { auth: { mode: "password", password: "pw-config" } } }');
    expect(await resolveGatewayCredential({ config, env: {} })).toEqual({
      mode: "password",
      secret: "pw-config",
      source: "config",
    });
    expect(
      await resolveGatewayCredential({ config, env: { OPENCLAW_GATEWAY_PASSWORD: "pw-env" } }),
    ).toMatchObject({
      secret: "pw-env",
      source: "env",
    });
    expect(
      await resolveGatewayCredential({
        config,
        env: { OPENCLAW_GATEWAY_PASSWORD: "pw-env" },
        flagPassword: "pw",
      }),
    ).toMatchObject({ secret: "pw", source: "flag" });
  });

  it("infers the mode: flag, config, the kind of flag given, password-only, else token", async () => {
    const empty = configOf("{}");
    const passwordOnly = configOf('{ gateway: { auth: { password: "pw" } } }');
    expect(await resolveGatewayCredential({ config: empty, env: {} })).toEqual({
      mode: "token",
      source: "none",
    });
    expect(await resolveGatewayCredential({ config: passwordOnly, env: {} })).toMatchObject({
      mode: "password",
      secret: "pw",
    });
    expect(
      await resolveGatewayCredential({ config: empty, env: { OPENCLAW_GATEWAY_PASSWORD: "pw" } }),
    ).toMatchObject({ mode: "password", source: "env" });
    expect(await resolveGatewayCredential({ config: passwordOnly, env: {}, flagToken: "t" })).toMatchObject({
      mode: "token",
      secret: "t",
    });
    expect(await resolveGatewayCredential({ config: withToken, env: {}, flagPassword: "p" })).toMatchObject({
      mode: "password",
      secret: "p",
    });
    expect(await resolveGatewayCredential({ config: withToken, env: {}, flagMode: "none" })).toEqual({
      mode: "none",
      source: "none",
    });
    const explicitNone = configOf('{ gateway: { auth: { mode: "none", token: "ignored" } } }');
    expect(await resolveGatewayCredential({ config: explicitNone, env: {} })).toEqual({
      mode: "none",
      source: "none",
    });
  });

  it("does not read a token file when the password is what counts", async () => {
    const config = configOf('{ gateway: { auth: { mode: "password", password: "pw" } } }');
    const env = { OPENCLAW_GATEWAY_TOKEN_FILE: join(dir, "missing") };
    expect(await resolveGatewayCredential({ config, env })).toMatchObject({ mode: "password", secret: "pw" });
  });

  it("mints an unsaved token only when asked", async () => {
    const result = await resolveGatewayCredential({
      config: configOf("{}"),
      env: {},
      generateIfMissing: true,
    });
    expect(result.source).toBe("generated");
    expect(result.secret).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("generateGatewayToken", () => {
  it("gives 64 lowercase hex characters, different each time", () => {
    const a = generateGatewayToken();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateGatewayToken()).not.toBe(a);
  });
});

describe("ensureGatewayToken", () => {
  function pathsIn(root: string): ConfigPaths {
    return { stateDir: root, configPath: join(root, "openclaw.json") };
  }

  it("creates the file with a token when there is none", async () => {
    const paths = pathsIn(join(dir, "state"));
    const { token, created } = await ensureGatewayToken(paths, { env: {} });
    expect(created).toBe(true);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(await readFile(paths.configPath, "utf8"))).toEqual({
      gateway: { auth: { mode: "token", token } },
    });
    expect((await stat(paths.configPath)).mode & 0o777).toBe(0o600);
  });

  it("keeps every other key of an existing file and is idempotent", async () => {
    const paths = pathsIn(dir);
    await writeFile(
      paths.configPath,
      `// mine
      {
        gateway: { port: 19001, auth: { rateLimit: { maxAttempts: 3 } }, tls: { enabled: false } },
        channels: { telegram: { botToken: "123:abc" } },
        agents: { list: [{ id: "main" }] },
      }`,
    );
    const first = await ensureGatewayToken(paths, { env: {} });
    expect(first.created).toBe(true);
    const written = JSON5.parse(await readFile(paths.configPath, "utf8"));
    expect(written).toEqual({
      gateway: {
        port: 19001,
        auth: { rateLimit: { maxAttempts: 3 }, mode: "token", token: first.token },
        tls: { enabled: false },
      },
      channels: { telegram: { botToken: "123:abc" } },
      agents: { list: [{ id: "main" }] },
    });
    const rawAfterFirst = await readFile(paths.configPath, "utf8");

    const second = await ensureGatewayToken(paths, { env: {} });
    expect(second).toEqual({ token: first.token, created: false });
    expect(await readFile(paths.configPath, "utf8")).toBe(rawAfterFirst);
    const loaded = await loadConfig(paths.configPath);
    expect(loaded.config.gateway.auth.token).toBe(first.token);
  });

  it("does not switch a password gateway to token auth", async () => {
    const paths = pathsIn(dir);
    await writeFile(paths.configPath, '{ "gateway": { "auth": { "password": "pw" } } }');
    const { token } = await ensureGatewayToken(paths, { env: {} });
    const loaded = await loadConfig(paths.configPath);
    expect(loaded.config.gateway.auth).toMatchObject({ mode: "password", password: "pw", token });
    expect(await resolveGatewayCredential({ config: loaded.config, env: {} })).toMatchObject({
      mode: "password",
    });
  });

  it("returns a configured token without rewriting, resolving references", async () => {
    const paths = pathsIn(dir);
    const raw = `{ gateway: { auth: { token: "\${GW_TOKEN}" } } }`;
    await writeFile(paths.configPath, raw);
    expect(await ensureGatewayToken(paths, { env: { GW_TOKEN: "abc" } })).toEqual({
      token: "abc",
      created: false,
    });
    expect(await readFile(paths.configPath, "utf8")).toBe(raw);
  });

  it("refuses to touch an invalid file", async () => {
    const paths = pathsIn(dir);
    await writeFile(paths.configPath, '{ gateway: { port: "x" } }');
    await expect(ensureGatewayToken(paths, { env: {} })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    expect(await readFile(paths.configPath, "utf8")).toBe('{ gateway: { port: "x" } }');
  });
});

describe("resolveGatewayPort", () => {
  const config = configOf("{ gateway: { port: 19001 } }");

  it("prefers --port, then OPENCLAW_GATEWAY_PORT, then gateway.port", () => {
    expect(resolveGatewayPort({ config, env: { OPENCLAW_GATEWAY_PORT: "19002" }, flagPort: 19003 })).toBe(
      19003,
    );
    expect(resolveGatewayPort({ config, env: { OPENCLAW_GATEWAY_PORT: "19002" } })).toBe(19002);
    expect(resolveGatewayPort({ config, env: {} })).toBe(19001);
    expect(resolveGatewayPort({ config: configOf("{}"), env: {} })).toBe(18789);
  });

  it("refuses a variable that is not a port", () => {
    expect(() => resolveGatewayPort({ config, env: { OPENCLAW_GATEWAY_PORT: "0x50" } })).toThrow(
      /OPENCLAW_GATEWAY_PORT: expected an integer between 1 and 65535 \(got "0x50"\)/,
    );
    expect(() => resolveGatewayPort({ config, env: {}, flagPort: "70000" })).toThrow(/--port 18789/);
  });
});
