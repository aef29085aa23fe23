import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { applyConfigMergePatch } from "./config-merge-patch.js";

function refusal(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("applyConfigMergePatch", () => {
  it("merges nested objects key by key and leaves the base untouched", () => {
    const base = {
      gateway: { port: 18789, auth: { mode: "token", token: "t" } },
      tools: { profile: "coding" },
    };
    const frozen = structuredClone(base);
    const merged = applyConfigMergePatch(base, { gateway: { auth: { mode: "password", password: "p" } } });
    expect(merged).toEqual({
      gateway: { port: 18789, auth: { mode: "password", token: "t", password: "p" } },
      tools: { profile: "coding" },
    });
    expect(base).toEqual(frozen);
  });

  it("deletes a key patched with null, and ignores null for a key that is not there", () => {
    const merged = applyConfigMergePatch(
      { gateway: { auth: { token: "t", mode: "token" } } },
      { gateway: { auth: { token: null, missing: null } } },
    );
    expect(merged).toEqual({ gateway: { auth: { mode: "token" } } });
  });

  it("replaces scalars and creates objects where none were", () => {
    expect(applyConfigMergePatch({ a: 1, b: "x" }, { a: { deep: { v: 1, gone: null } }, c: true })).toEqual({
      a: { deep: { v: 1 } },
      b: "x",
      c: true,
    });
  });

  it("replaces an array that keeps every existing entry (growing or reordering)", () => {
    const base = { gateway: { trustedProxies: ["10.0.0.1", "10.0.0.2"] } };
    expect(
      applyConfigMergePatch(base, { gateway: { trustedProxies: ["10.0.0.2", "10.0.0.1", "10.0.0.3"] } }),
    ).toEqual({
      gateway: { trustedProxies: ["10.0.0.2", "10.0.0.1", "10.0.0.3"] },
    });
  });

  it("refuses to drop array entries unless the path is in replacePaths", () => {
    const base = { gateway: { trustedProxies: ["10.0.0.1", "10.0.0.2"] } };
    const patch = { gateway: { trustedProxies: ["10.0.0.3"] } };
    const error = refusal(() => applyConfigMergePatch(base, patch));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.issues).toEqual([
      {
        path: "gateway.trustedProxies",
        message: expect.stringContaining('add "gateway.trustedProxies" to replacePaths'),
      },
    ]);
    expect(applyConfigMergePatch(base, patch, { replacePaths: ["gateway.trustedProxies"] })).toEqual({
      gateway: { trustedProxies: ["10.0.0.3"] },
    });
  });

  it("counts duplicates when deciding whether entries are dropped", () => {
    expect(() => applyConfigMergePatch({ list: ["a", "a"] }, { list: ["a"] })).toThrow(ConfigError);
  });

  it("refuses deleting an array, or an object holding arrays, without each exact path", () => {
    const base = { channels: { telegram: { allowFrom: ["1"], groups: [] }, slack: { enabled: true } } };
    expect(
      refusal(() => applyConfigMergePatch(base, { channels: { telegram: { allowFrom: null } } })).issues,
    ).toEqual([{ path: "channels.telegram.allowFrom", message: expect.any(String) }]);
    const containing = refusal(() => applyConfigMergePatch(base, { channels: { telegram: null } }));
    expect(containing.issues.map((issue) => issue.path)).toEqual([
      "channels.telegram.allowFrom",
      "channels.telegram.groups",
    ]);
    expect(() =>
      applyConfigMergePatch(base, { channels: { telegram: null } }, { replacePaths: ["channels.telegram"] }),
    ).toThrow(ConfigError);
    expect(
      applyConfigMergePatch(
        base,
        { channels: { telegram: null } },
        { replacePaths: ["channels.telegram.allowFrom", "channels.telegram.groups"] },
      ),
    ).toEqual({ channels: { slack: { enabled: true } } });
  });

  it("refuses replacing an array with a scalar or an object without replacePaths", () => {
    expect(() => applyConfigMergePatch({ list: ["a"] }, { list: "a" })).toThrow(ConfigError);
    expect(() => applyConfigMergePatch({ list: ["a"] }, { list: { a: true } })).toThrow(ConfigError);
    expect(applyConfigMergePatch({ list: ["a"] }, { list: "a" }, { replacePaths: ["list"] })).toEqual({
      list: "a",
    });
  });

  it("merges arrays of objects with ids entry by entry", () => {
    const base = {
      agents: {
        list: [
          { id: "main", name: "Main", skills: ["a"] },
          { id: "work", name: "Work" },
        ],
      },
    };
    const merged = applyConfigMergePatch(base, {
      agents: {
        list: [
          { id: "work", name: "Work 2", model: null },
          { id: "new", name: "New" },
        ],
      },
    });
    expect(merged).toEqual({
      agents: {
        list: [
          { id: "main", name: "Main", skills: ["a"] },
          { id: "work", name: "Work 2" },
          { id: "new", name: "New" },
        ],
      },
    });
  });

  it("guards arrays inside id-merged entries with a [] path", () => {
    const base = { agents: { list: [{ id: "main", skills: ["a", "b"] }] } };
    const patch = { agents: { list: [{ id: "main", skills: ["a"] }] } };
    expect(refusal(() => applyConfigMergePatch(base, patch)).issues[0]?.path).toBe("agents.list[].skills");
    expect(applyConfigMergePatch(base, patch, { replacePaths: ["agents.list[].skills"] })).toEqual(patch);
  });

  it("replaces an id array as given when its path is in replacePaths", () => {
    const base = { agents: { list: [{ id: "main" }, { id: "work" }] } };
    expect(
      applyConfigMergePatch(base, { agents: { list: [{ id: "work" }] } }, { replacePaths: ["agents.list"] }),
    ).toEqual({ agents: { list: [{ id: "work" }] } });
  });

  it("refuses a patch that is not an object, and a __proto__ key", () => {
    expect(refusal(() => applyConfigMergePatch({}, [1])).issues[0]?.message).toContain("must be an object");
    const polluting = JSON.parse('{ "__proto__": { "polluted": true } }') as unknown;
    expect(refusal(() => applyConfigMergePatch({}, polluting)).issues[0]?.path).toBe("__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
