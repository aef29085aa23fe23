import { describe, expect, it } from "vitest";
import {
  getConfigValue,
  parseConfigPath,
  parseConfigValueLiteral,
  setConfigValue,
  unsetConfigValue,
} from "./config-path.js";

const config = {
  gateway: { auth: { mode: "token" }, port: 18789 },
  agents: { list: [{ id: "main", skills: ["a", "b"] }, { id: "work" }] },
  models: { "provider/model.v1": { alias: "m" } },
};

describe("parseConfigPath", () => {
  it("splits dots, bracket indexes and quoted keys", () => {
    expect(parseConfigPath("agents.list[0].skills[1]").map((segment) => segment.key)).toEqual([
      "agents",
      "list",
      "0",
      "skills",
      "1",
    ]);
    expect(parseConfigPath('models["provider/model.v1"].alias').map((segment) => segment.key)).toEqual([
      "models",
      "provider/model.v1",
      "alias",
    ]);
  });

  it("rejects malformed paths with the reason", () => {
    expect(() => parseConfigPath("")).toThrow(/empty/);
    expect(() => parseConfigPath("a..b")).toThrow(/empty segment/);
    expect(() => parseConfigPath("a.")).toThrow(/ends with a dot/);
    expect(() => parseConfigPath("a[0")).toThrow(/never closed/);
    expect(() => parseConfigPath("a[x]")).toThrow(/number or a quoted key/);
    expect(() => parseConfigPath("a.__proto__.b")).toThrow(/cannot be used/);
  });
});

describe("getConfigValue", () => {
  it("reads nested values by dot path, [n] or .n", () => {
    expect(getConfigValue(config, "gateway.auth.mode")).toBe("token");
    expect(getConfigValue(config, "agents.list[1].id")).toBe("work");
    expect(getConfigValue(config, "agents.list.0.skills.1")).toBe("b");
    expect(getConfigValue(config, 'models["provider/model.v1"].alias')).toBe("m");
    expect(getConfigValue(config, "gateway")).toBe(config.gateway);
  });

  it("gives undefined for a missing step", () => {
    expect(getConfigValue(config, "gateway.tls.enabled")).toBeUndefined();
    expect(getConfigValue(config, "agents.list[5].id")).toBeUndefined();
    expect(getConfigValue(config, "gateway.port.value")).toBeUndefined();
    expect(getConfigValue(config, "gateway.auth.toString")).toBeUndefined();
  });
});

describe("setConfigValue", () => {
  it("returns a new object with the value set, leaving the input alone", () => {
    const before = structuredClone(config);
    const next = setConfigValue(config, "gateway.auth.mode", "password");
    expect(getConfigValue(next, "gateway.auth.mode")).toBe("password");
    expect(config).toEqual(before);
    expect(next.agents).toBe(config.agents);
  });

  it("creates missing objects, and arrays for bracketed indexes", () => {
    expect(setConfigValue({}, "gateway.tailscale.mode", "serve")).toEqual({
      gateway: { tailscale: { mode: "serve" } },
    });
    expect(setConfigValue({}, "gateway.trustedProxies[0]", "10.0.0.1")).toEqual({
      gateway: { trustedProxies: ["10.0.0.1"] },
    });
  });

  it("writes into arrays by index and may append but not leave a gap", () => {
    const renamed = setConfigValue(config, "agents.list[1].name", "Work");
    expect(getConfigValue(renamed, "agents.list.1")).toEqual({ id: "work", name: "Work" });
    expect(config.agents.list[1]).toEqual({ id: "work" });
    expect(getConfigValue(setConfigValue(config, "agents.list[2]", { id: "new" }), "agents.list.2.id")).toBe(
      "new",
    );
    expect(() => setConfigValue(config, "agents.list[4]", {})).toThrow(/past the end/);
    expect(() => setConfigValue(config, "agents.list.name", "x")).toThrow(/not an index/);
  });
});

describe("unsetConfigValue", () => {
  it("removes a key or an array item without touching the input", () => {
    const next = unsetConfigValue(config, "gateway.auth.mode");
    expect(next.gateway).toEqual({ auth: {}, port: 18789 });
    expect(config.gateway.auth.mode).toBe("token");
    expect(getConfigValue(unsetConfigValue(config, "agents.list[0]"), "agents.list")).toEqual([
      { id: "work" },
    ]);
    expect(unsetConfigValue(config, "gateway.nothing.here")).toEqual(config);
  });
});

describe("parseConfigValueLiteral", () => {
  it("reads JSON5 literals", () => {
    expect(parseConfigValueLiteral("18789")).toBe(18789);
    expect(parseConfigValueLiteral("true")).toBe(true);
    expect(parseConfigValueLiteral("null")).toBeNull();
    expect(parseConfigValueLiteral('["a", "b",]')).toEqual(["a", "b"]);
    expect(parseConfigValueLiteral("{ enabled: true }")).toEqual({ enabled: true });
    expect(parseConfigValueLiteral('"18789"')).toBe("18789");
  });

  it("keeps anything else as text", () => {
    expect(parseConfigValueLiteral("loopback")).toBe("loopback");
    expect(parseConfigValueLiteral("https://example.com")).toBe("https://example.com");
    expect(parseConfigValueLiteral("")).toBe("");
    expect(parseConfigValueLiteral("Infinity")).toBe("Infinity");
  });

  it("keeps text for a setting that takes text when given its path", () => {
    expect(parseConfigValueLiteral("123456", { path: "gateway.auth.token" })).toBe("123456");
    expect(parseConfigValueLiteral("19001", { path: "gateway.port" })).toBe(19001);
    expect(parseConfigValueLiteral("true", { path: "channels.telegram.enabled" })).toBe(true);
  });
});
