import { describe, expect, it } from "vitest";
import { setConfigValue, unsetConfigValue } from "../config/config-path.js";
import { type OpenClawConfig, OpenClawConfigSchema } from "../config/config-schema.js";
import {
  type ConfigReloadMode,
  classifyConfigPath,
  describeConfigReloadPlan,
  planConfigReload,
} from "./config-reload-plan.js";

function parse(input: Record<string, unknown>): OpenClawConfig {
  return OpenClawConfigSchema.parse(input);
}

const BASE = {
  gateway: { port: 18789, auth: { mode: "token", token: "old-secret-token" } },
  agents: { list: [{ id: "main", model: "anthropic/claude-sonnet-4-5" }] },
  channels: { telegram: { enabled: true, botToken: "tg-secret" }, slack: { enabled: true } },
  logging: { level: "info" },
};

/** Dotted path -> new value; `undefined` removes the key. */
type Edits = Record<string, unknown>;

function plan(edits: Edits, mode: ConfigReloadMode = "hybrid") {
  let raw: Record<string, unknown> = structuredClone(BASE);
  for (const [path, value] of Object.entries(edits)) {
    raw = value === undefined ? unsetConfigValue(raw, path) : setConfigValue(raw, path, value);
  }
  return planConfigReload(parse(BASE), parse(raw), mode);
}

describe("classifyConfigPath", () => {
  it.each([
    ["gateway.port", "restart"],
    ["gateway.bind", "restart"],
    ["gateway.customBindHost", "restart"],
    ["gateway.tls.enabled", "restart"],
    ["gateway.tls.certPath", "restart"],
    ["gateway.tailscale.mode", "restart"],
    ["gateway.auth.mode", "restart"],
    ["gateway.controlUi.basePath", "restart"],
    ["gateway.controlUi.enabled", "restart"],
    ["gateway.mode", "restart"],
    ["gateway.somethingNew", "restart"],
    ["gateway.auth.token", "none"],
    ["gateway.auth.password", "none"],
    ["gateway.auth.rateLimit.maxAttempts", "none"],
    ["gateway.trustedProxies", "none"],
    ["gateway.controlUi.allowedOrigins", "none"],
    ["gateway.http.endpoints.responses.enabled", "none"],
    ["gateway.reload.mode", "none"],
    ["channels.telegram.botToken", "hot"],
    ["agents.list", "hot"],
    ["agents.defaults.model", "hot"],
    ["models.providers", "hot"],
    ["session.dmScope", "hot"],
    ["session.reset", "hot"],
    ["auth.order.anthropic", "hot"],
    ["secrets.providers.vault", "hot"],
    ["messages.ackReaction", "hot"],
    ["hooks.enabled", "hot"],
    ["skills.entries", "hot"],
    ["tools.exec", "hot"],
    ["bindings", "hot"],
    ["cron.jobs", "hot"],
    ["logging.level", "hot"],
    ["logging.file", "hot"],
    ["logging.maxFileBytes", "hot"],
    ["plugins.entries", "hot"],
    ["somethingUnknown", "restart"],
    ["gatewayish.port", "restart"],
  ])("%s -> %s", (path, kind) => {
    expect(classifyConfigPath(path)).toBe(kind);
  });
});

describe("planConfigReload", () => {
  it("finds nothing to do for an identical config", () => {
    const result = plan({});
    expect(result).toEqual({
      mode: "hybrid",
      changedPaths: [],
      restartRequired: false,
      restartPaths: [],
      hotPaths: [],
      livePaths: [],
      channelsToRestart: [],
      subsystems: {
        logging: false,
        cron: false,
        hooks: false,
        plugins: false,
        agents: false,
        skills: false,
        routing: false,
      },
      action: "none",
    });
    expect(describeConfigReloadPlan(result)).toBe("config unchanged");
  });

  it("restarts for a port change in hybrid mode", () => {
    const result = plan({ "gateway.port": 18790 });
    expect(result).toMatchObject({
      changedPaths: ["gateway.port"],
      restartPaths: ["gateway.port"],
      action: "restart",
      restartRequired: false,
    });
  });

  it("restarts only the edited channel", () => {
    const result = plan({ "channels.telegram.dmPolicy": "open" });
    expect(result).toMatchObject({
      changedPaths: ["channels.telegram.dmPolicy"],
      hotPaths: ["channels.telegram.dmPolicy"],
      channelsToRestart: ["telegram"],
      action: "hot",
    });
  });

  it("restarts a channel that was added or removed", () => {
    const added = plan({ "channels.discord": {} });
    expect(added).toMatchObject({ changedPaths: ["channels.discord"], channelsToRestart: ["discord"] });
    const removed = plan({ "channels.slack": undefined });
    expect(removed).toMatchObject({ changedPaths: ["channels.slack.enabled"], channelsToRestart: ["slack"] });
  });

  it("restarts every channel when the shared channel defaults change", () => {
    const result = plan({ "channels.defaults": { groupPolicy: "allowlist" } });
    expect(result.channelsToRestart).toEqual(["slack", "telegram"]);
    expect(result.action).toBe("hot");
  });

  it("keeps a rotated token live in every mode, without naming the secret", () => {
    for (const mode of ["off", "hot", "restart", "hybrid"] as const) {
      const result = plan({ "gateway.auth.token": "new-secret-token" }, mode);
      expect(result).toMatchObject({
        mode,
        changedPaths: ["gateway.auth.token"],
        livePaths: ["gateway.auth.token"],
        restartPaths: [],
        action: "none",
        restartRequired: false,
      });
      const text = `${JSON.stringify(result)} ${describeConfigReloadPlan(result)}`;
      expect(text).not.toContain("secret-token");
    }
  });

  it("restarts when a credential edit changes the derived auth mode", () => {
    const previous = parse({ gateway: { auth: { token: "t" } } });
    const next = parse({ gateway: { auth: { password: "p" } } });
    const result = planConfigReload(previous, next, "hybrid");
    expect(result.changedPaths).toEqual(["gateway.auth.password", "gateway.auth.token"]);
    expect(result.restartPaths).toEqual(["gateway.auth.password", "gateway.auth.token"]);
    expect(result.action).toBe("restart");
    expect(JSON.stringify(result)).not.toMatch(/"[tp]"/);
  });

  it("keeps running when the auth mode written down is the one already in effect", () => {
    const result = plan({ "gateway.auth.mode": undefined });
    expect(result).toMatchObject({ livePaths: ["gateway.auth.mode"], action: "none" });
  });

  it("restarts for an explicit auth mode change", () => {
    const result = plan({ "gateway.auth": { mode: "password", password: "pw" } });
    expect(result.restartPaths).toEqual(["gateway.auth.mode", "gateway.auth.password", "gateway.auth.token"]);
    expect(result.action).toBe("restart");
  });

  it("reads access policy live", () => {
    const result = plan({
      "gateway.trustedProxies": ["10.0.0.1"],
      "gateway.controlUi": { allowedOrigins: ["https://example.test"] },
      "gateway.http": { endpoints: { responses: { enabled: true } } },
      "gateway.auth.rateLimit": { maxAttempts: 3 },
      "gateway.reload": { mode: "off" },
    });
    expect(result.livePaths).toEqual([
      "gateway.auth.rateLimit.maxAttempts",
      "gateway.controlUi.allowedOrigins",
      "gateway.http.endpoints.responses.enabled",
      "gateway.reload.mode",
      "gateway.trustedProxies",
    ]);
    expect(result.action).toBe("none");
  });

  it("flags each hot subsystem", () => {
    const result = plan({
      logging: { level: "debug", file: "/tmp/x.log", maxFileBytes: 1024 },
      cron: { enabled: false },
      hooks: { enabled: true, token: "hook-secret" },
      plugins: { load: { paths: ["/opt/plugin"] } },
      "agents.list": [{ id: "main" }, { id: "helper" }],
      skills: { entries: {} },
      bindings: [{ agentId: "helper", match: { channel: "slack" } }],
    });
    expect(result.subsystems).toEqual({
      logging: true,
      cron: true,
      hooks: true,
      plugins: true,
      agents: true,
      skills: true,
      routing: true,
    });
    expect(result.hotPaths).toContain("logging.maxFileBytes");
    expect(result.hotPaths).toContain("cron.enabled");
    expect(result.restartPaths).toEqual([]);
    expect(result.action).toBe("hot");
    expect(JSON.stringify(result)).not.toContain("hook-secret");
  });

  it("compares arrays whole", () => {
    const result = plan({ "agents.list[0].model": "openai/gpt-5" });
    expect(result.changedPaths).toEqual(["agents.list"]);
  });

  it("restarts for a path no rule knows", () => {
    const result = plan({ browser: { enabled: true } });
    expect(result).toMatchObject({ restartPaths: ["browser.enabled"], action: "restart" });
  });

  describe("modes", () => {
    const mixed = { "gateway.port": 18790, "logging.level": "debug" };
    const hotOnly = { "logging.level": "debug" };
    const restartOnly = { "gateway.bind": "lan" };

    it("off applies nothing and says a restart is needed", () => {
      expect(plan(mixed, "off")).toMatchObject({ action: "ignored", restartRequired: true });
      expect(plan(hotOnly, "off")).toMatchObject({ action: "ignored", restartRequired: true });
    });

    it("hot applies what it can and leaves the rest for a manual restart", () => {
      expect(plan(mixed, "hot")).toMatchObject({
        action: "hot",
        restartRequired: true,
        restartPaths: ["gateway.port"],
        hotPaths: ["logging.level"],
      });
      expect(plan(hotOnly, "hot")).toMatchObject({ action: "hot", restartRequired: false });
      expect(plan(restartOnly, "hot")).toMatchObject({ action: "ignored", restartRequired: true });
    });

    it("restart restarts for any change that is not read live", () => {
      expect(plan(hotOnly, "restart")).toMatchObject({ action: "restart", restartRequired: false });
      expect(plan(restartOnly, "restart")).toMatchObject({ action: "restart" });
    });

    it("hybrid goes hot when it can and restarts when it must", () => {
      expect(plan(hotOnly, "hybrid")).toMatchObject({ action: "hot", restartRequired: false });
      expect(plan(mixed, "hybrid")).toMatchObject({ action: "restart", restartRequired: false });
    });
  });

  it("describes a plan with paths only", () => {
    const result = plan(
      { "gateway.port": 18790, "logging.level": "debug", "gateway.auth.token": "rotated-secret" },
      "hot",
    );
    expect(describeConfigReloadPlan(result)).toBe(
      "reload mode hot: hot; restart needed for gateway.port; hot for logging.level; live for gateway.auth.token",
    );
  });
});
