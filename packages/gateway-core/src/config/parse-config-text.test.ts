import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { DEFAULT_GATEWAY_PORT } from "./config-schema.js";
import { hashConfigText, parseConfigText, validateConfigText } from "./parse-config-text.js";

const FILE = "/home/me/.openclaw/openclaw.json";

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfigText", () => {
  it("applies every default to an empty object", () => {
    const { config, warnings } = parseConfigText("{}", FILE);
    expect(warnings).toEqual([]);
    expect(config.gateway.port).toBe(DEFAULT_GATEWAY_PORT);
    expect(config.gateway.bind).toBe("loopback");
    expect(config.gateway.mode).toBeUndefined();
    expect(config.gateway.auth.mode).toBeUndefined();
    expect(config.gateway.auth.rateLimit).toEqual({
      maxAttempts: 10,
      windowMs: 60_000,
      lockoutMs: 300_000,
      exemptLoopback: true,
    });
    expect(config.gateway.tailscale).toEqual({ mode: "off", resetOnExit: false });
    expect(config.gateway.controlUi).toEqual({
      enabled: true,
      allowedOrigins: [],
      dangerouslyAllowHostHeaderOriginFallback: false,
    });
    expect(config.gateway.http.endpoints.chatCompletions.enabled).toBe(false);
    expect(config.gateway.http.endpoints.responses).toEqual({
      enabled: false,
      maxBodyBytes: 20 * 1024 * 1024,
    });
    expect(config.gateway.trustedProxies).toEqual([]);
    expect(config.gateway.reload.mode).toBe("hybrid");
    expect(config.agents.defaults).toEqual({});
    expect(config.session).toEqual({ scope: "per-sender", dmScope: "main", mainKey: "main" });
    expect(config.logging.level).toBe("info");
  });

  it("fills defaults around the values that are set", () => {
    const { config } = parseConfigText("{ gateway: { auth: { rateLimit: { maxAttempts: 3 } } } }", FILE);
    expect(config.gateway.auth.rateLimit).toEqual({
      maxAttempts: 3,
      windowMs: 60_000,
      lockoutMs: 300_000,
      exemptLoopback: true,
    });
  });

  it("accepts JSON5: comments, trailing commas, unquoted keys, single quotes", () => {
    const raw = `// the gateway
      {
        /* block comment */
        gateway: {
          port: 19001,
          bind: 'lan',
          auth: { mode: "password", password: 'hunter2', },
        },
      }`;
    const { config } = parseConfigText(raw, FILE);
    expect(config.gateway.port).toBe(19001);
    expect(config.gateway.bind).toBe("lan");
    expect(config.gateway.auth).toMatchObject({ mode: "password", password: "hunter2" });
  });

  it("loads a real OpenClaw-shaped config, keeping unimplemented sections verbatim with warnings", async () => {
    const raw = await readFile(new URL("./__fixtures__/openclaw-shaped.json5", import.meta.url), "utf8");
    const { config, warnings } = parseConfigText(raw, FILE);

    expect(config.gateway.auth.rateLimit.maxAttempts).toBe(5);
    expect(config.session.dmScope).toBe("per-channel-peer");
    expect(config.agents.list?.map((agent) => agent.id)).toEqual(["main", "work"]);
    expect(config.channels).toMatchObject({ telegram: { botToken: "123456:ABC-telegram-secret" } });
    expect(config.models).toMatchObject({ providers: { custom: { baseUrl: "https://llm.example.com/v1" } } });
    expect(config.gateway.tls).toEqual({ enabled: false });
    expect(config.agents.defaults.heartbeat).toEqual({ every: "2h" });

    expect(warnings).toContain(
      "`env` is not supported by this gateway: the variables are not imported; set them in the environment that starts the gateway",
    );
    // Model providers, channels, plugins and peer/account/channel bindings are implemented: no warning.
    expect(warnings.join("\n")).not.toMatch(/`models`|`channels`|`plugins`|`bindings`/);
    expect(warnings).toContain(
      "`gateway.auth.allowTailscale` is not supported by this gateway: Tailscale identities do not sign in; clients use the token or password",
    );
    expect(warnings.filter((warning) => warning.startsWith("`logging.consoleStyle`"))).toHaveLength(1);
    // Agent defaults no longer pass silently: an OpenClaw agent key this gateway does not act on is named.
    expect(warnings).toContain(
      "`agents.defaults.sandbox` is not supported by this gateway: tools run on the gateway host without a sandbox",
    );
    // `$schema` and `meta` are bookkeeping; the heartbeat block is read by the heartbeat service.
    expect(warnings.join("\n")).not.toMatch(/\$schema|`meta`|heartbeat|agents\.list/);
    // The tool policy (tools.profile, tools.deny, an agent's tools) is implemented: no warning for it.
    expect(warnings.join("\n")).not.toMatch(/`tools\.|agents\.list\.0\.tools/);
    expect(config.tools).toMatchObject({ profile: "coding", deny: ["browser"] });
    // A warning names keys, never values.
    expect(warnings.join("\n")).not.toMatch(/secret/);
  });

  it("implements the agent tool settings, and names OpenClaw's web tool keys it does not act on", () => {
    const { warnings } = parseConfigText(
      JSON.stringify({
        tools: {
          fs: { workspaceOnly: false },
          web: { fetch: { maxChars: 5000, cacheTtlMinutes: 5 }, search: { provider: "brave" } },
          agentToAgent: { enabled: true },
          sessions: { visibility: "all" },
          exec: { backgroundMs: 5000, cleanupMs: 60000 },
        },
        agents: { defaults: { maxToolSteps: 5, memorySearch: { provider: "none" }, skipBootstrap: true } },
      }),
      FILE,
    );
    expect(warnings).toEqual([
      "`tools.web.fetch.cacheTtlMinutes` is not supported by this gateway: web_fetch results are not cached",
    ]);
  });

  it("warns about an unknown key and suggests a typo", () => {
    const { config, warnings } = parseConfigText("{ gatway: { port: 1 }, gateway: { prot: 2 } }", FILE);
    expect(warnings).toEqual([
      "`gatway` is not a setting this gateway knows and is ignored (check the spelling)",
      "`gateway.prot` is not a setting this gateway knows and is ignored (check the spelling)",
    ]);
    expect(config.gatway).toEqual({ port: 1 });
    expect(config.gateway.prot).toBe(2);
  });

  it("names the path, the value and the fix for a bad value", () => {
    const error = configErrorOf(() => parseConfigText('{ gateway: { port: "abc" } }', FILE));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.filePath).toBe(FILE);
    expect(error.issues).toEqual([
      { path: "gateway.port", message: 'expected an integer between 1 and 65535 (got "abc")' },
    ]);
    expect(error.message).toBe(
      `gateway.port: expected an integer between 1 and 65535 (got "abc") — fix it in ${FILE} or run \`openclaw config set gateway.port 18789\``,
    );
  });

  it("reports every bad value at once, each with its path", () => {
    const result = validateConfigText(
      `{
        gateway: {
          port: 70000,
          bind: "everywhere",
          auth: { mode: "trusted-proxy", scopes: ["operator.read", "operator.root"], rateLimit: { windowMs: 0 } },
          reload: { mode: "sometimes" },
          controlUi: { basePath: "openclaw" },
          customBindHost: "not-an-ip",
        },
        session: { dmScope: "per-room" },
        logging: { level: "loud" },
        agents: { list: [{ id: "bad id" }] },
      }`,
      FILE,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { path: "gateway.port", message: "expected an integer between 1 and 65535 (got 70000)" },
        {
          path: "gateway.bind",
          message: 'expected "loopback", "lan", "tailnet", "auto" or "custom" (got "everywhere")',
        },
        {
          path: "gateway.auth.mode",
          message: '"trusted-proxy" is not supported by this gateway yet: use "token" or "password"',
        },
        {
          path: "gateway.auth.scopes.1",
          message: expect.stringContaining('expected "operator.read", "operator.write", "operator.admin"'),
        },
        { path: "gateway.auth.rateLimit.windowMs", message: "expected a positive integer (got 0)" },
        {
          path: "gateway.reload.mode",
          message: 'expected "off", "hot", "restart" or "hybrid" (got "sometimes")',
        },
        {
          path: "gateway.controlUi.basePath",
          message: 'expected a path starting with "/", such as "/openclaw" (got "openclaw")',
        },
        {
          path: "gateway.customBindHost",
          message: 'expected an IPv4 address such as 192.168.1.10 (got "not-an-ip")',
        },
        { path: "session.dmScope", message: expect.stringContaining('(got "per-room")') },
        { path: "logging.level", message: expect.stringContaining('(got "loud")') },
        { path: "agents.list.0.id", message: expect.stringContaining("expected an agent id") },
      ]),
    );
    expect(result.issues).toHaveLength(11);
  });

  it("suggests an enum value when the field has no default", () => {
    const error = configErrorOf(() => parseConfigText('{ gateway: { mode: "cloud" } }', FILE));
    expect(error.message).toContain("or run `openclaw config set gateway.mode local`");
  });

  it("never puts a secret into an error message", () => {
    const error = configErrorOf(() => parseConfigText("{ gateway: { auth: { token: 123456789 } } }", FILE));
    expect(error.issues[0]?.path).toBe("gateway.auth.token");
    expect(error.message).toContain("(got a number)");
    expect(error.message).not.toContain("123456789");
    expect(error.message).not.toContain("config set gateway.auth.token");
  });

  it("refuses an ambiguous auth mode when both a token and a password are set", () => {
    const error = configErrorOf(() =>
      parseConfigText('{ gateway: { auth: { token: "t", password: "p" } } }', FILE),
    );
    expect(error.issues).toEqual([
      { path: "gateway.auth.mode", message: expect.stringContaining("set gateway.auth.mode") },
    ]);
    expect(error.message).toContain("`openclaw config set gateway.auth.mode token`");
    expect(
      parseConfigText('{ gateway: { auth: { mode: "password", token: "t", password: "p" } } }', FILE).config,
    ).toBeTruthy();
  });

  it("refuses two agents with the same id", () => {
    const error = configErrorOf(() =>
      parseConfigText('{ agents: { list: [{ id: "main" }, { id: "Main" }] } }', FILE),
    );
    expect(error.issues).toEqual([
      { path: "agents.list.1.id", message: expect.stringContaining("used twice") },
    ]);
  });

  it("accepts OpenClaw's keyed agent roster and secret references", () => {
    const { config, warnings } = parseConfigText(
      `{
        agents: { entries: { home: { workspace: "~/w", model: "openai/gpt-5.4" } } },
        gateway: { auth: { token: { source: "env", provider: "default", id: "GW_TOKEN" } } },
      }`,
      FILE,
    );
    expect(warnings).toEqual([]);
    expect(config.agents.entries?.home?.workspace).toBe("~/w");
    expect(config.gateway.auth.token).toEqual({ source: "env", provider: "default", id: "GW_TOKEN" });
  });

  it("reports a syntax error with its line and column", () => {
    const error = configErrorOf(() => parseConfigText("{\n  gateway: {\n    port: ,\n  }\n}", FILE));
    expect(error.code).toBe("CONFIG_PARSE");
    expect(error.message).toMatch(
      /^\/home\/me\/\.openclaw\/openclaw\.json is not valid JSON5 at line 3, column 11: /,
    );
    expect(error.message).toContain("fix the syntax");
    expect(error.issues).toHaveLength(1);
  });

  it("refuses a root that is not an object", () => {
    const error = configErrorOf(() => parseConfigText("[1, 2]", FILE));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.issues).toEqual([{ path: "", message: expect.stringContaining("must be an object") }]);
  });

  it("treats an empty file as the defaults, with a warning", () => {
    const { config, warnings } = parseConfigText("  \n", FILE);
    expect(config.gateway.port).toBe(DEFAULT_GATEWAY_PORT);
    expect(warnings).toEqual([`${FILE} is empty; using the defaults`]);
  });

  it("refuses a __proto__ key", () => {
    const error = configErrorOf(() =>
      parseConfigText('{ "gateway": { "__proto__": { "polluted": true } } }', FILE),
    );
    expect(error.issues).toEqual([
      { path: "gateway.__proto__", message: expect.stringContaining("remove it") },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("validateConfigText", () => {
  it("returns the config and warnings when valid", () => {
    const result = validateConfigText("{ discovery: {} }", FILE);
    expect(result).toMatchObject({
      ok: true,
      warnings: [
        "`discovery` is not supported by this gateway: no mDNS or wide-area advertisement; clients need the gateway's URL",
      ],
    });
  });

  it("returns parse problems as issues instead of throwing", () => {
    const result = validateConfigText("{ nope", FILE);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toMatch(/^not valid JSON5 at line 1/);
  });
});

describe("hashConfigText", () => {
  it("is the SHA-256 hex of the UTF-8 text", () => {
    expect(hashConfigText("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hashConfigText("{}")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashConfigText("{}")).not.toBe(hashConfigText("{ }"));
  });
});

describe("channel sections", () => {
  it("leave a channel's own keys to its plugin: no warnings", () => {
    const { warnings } = parseConfigText(
      '{ channels: { telegram: { botToken: "1:x", apiRoot: "http://127.0.0.1:1", dmPolicy: "pairing" } } }',
      "/tmp/openclaw.json",
    );
    expect(warnings).toEqual([]);
  });
});

describe("bindings", () => {
  it("routes by channel, account and peer without a warning, and names a match key it cannot evaluate", () => {
    const { warnings } = parseConfigText(
      JSON.stringify({
        bindings: [
          {
            agentId: "work",
            match: { channel: "telegram", accountId: "ops", peer: { kind: "direct", id: "42" } },
          },
          { agentId: "guild", match: { channel: "discord", guildId: "123", roles: ["456"] } },
          { agentId: "team", match: { channel: "slack", teamId: "T1" } },
        ],
      }),
      "openclaw.json",
    );
    expect(warnings).toEqual([
      "`bindings.2.match.teamId` is not supported by this gateway: this binding matches no message until the key is removed",
    ]);
  });
});
