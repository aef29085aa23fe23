import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHANNEL_PLUGIN_API_VERSION, type ChannelPlugin, defineGatewayMethod } from "@openclaw/plugin-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { silentLogger } from "../logging/logger.js";
import { loadConfiguredPlugins } from "./plugin-loader.js";
import { PluginRegistry } from "./plugin-registry.js";

function fakePlugin(id: string): ChannelPlugin {
  return {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id,
    meta: { label: `${id} label` },
    configSchema: z.looseObject({}),
    capabilities: {
      dms: true,
      groups: false,
      threads: false,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 100,
    },
    startAccount: async () => ({ stop: async () => undefined }),
    sendText: async () => ({ messageId: "1" }),
  };
}

/** The source of a plugin module that needs nothing but itself (no zod import from a temp dir). */
function pluginSource(id: string, o: { apiVersion?: number; exportLine?: string } = {}): string {
  const body = `{
  apiVersion: ${o.apiVersion ?? CHANNEL_PLUGIN_API_VERSION},
  id: ${JSON.stringify(id)},
  meta: { label: ${JSON.stringify(`${id} label`)} },
  configSchema: { safeParse: (value) => ({ success: true, data: value }) },
  capabilities: { dms: true, groups: false, threads: false, reactions: false, typing: false, media: false, edits: false, maxTextLength: 50 },
  startAccount: async () => ({ stop: async () => {} }),
  sendText: async () => ({ messageId: "1" }),
}`;
  return (o.exportLine ?? "export default PLUGIN;\n").replace("PLUGIN", body);
}

describe("PluginRegistry", () => {
  it("imports a lazy channel only when it is first asked for, once", async () => {
    const registry = new PluginRegistry();
    let loads = 0;
    registry.registerChannel({
      id: "lazy",
      meta: { label: "Lazy" },
      load: async () => {
        loads += 1;
        return { default: fakePlugin("lazy") };
      },
    });
    expect(registry.channelIds()).toEqual(["lazy"]);
    expect(registry.channelMeta("lazy")).toEqual({ label: "Lazy" });
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([registry.getChannel("lazy"), registry.getChannel("lazy")]);
    expect(a).toBe(b);
    expect(a.id).toBe("lazy");
    expect(loads).toBe(1);
  });

  it("retries a lazy load that failed and names the channel", async () => {
    const registry = new PluginRegistry();
    let fail = true;
    registry.registerChannel({
      id: "flaky",
      meta: { label: "Flaky" },
      load: async () => {
        if (fail) throw new Error("Cannot find package 'grammy'");
        return fakePlugin("flaky");
      },
    });
    await expect(registry.getChannel("flaky")).rejects.toMatchObject({
      code: "CHANNEL_LOAD_FAILED",
      message: expect.stringContaining("grammy"),
    });
    fail = false;
    await expect(registry.getChannel("flaky")).resolves.toMatchObject({ id: "flaky" });
  });

  it("refuses a lazy entry whose module is a different channel or an old API version", async () => {
    const registry = new PluginRegistry();
    registry.registerChannel({ id: "one", meta: { label: "One" }, load: async () => fakePlugin("two") });
    registry.registerChannel({
      id: "old",
      meta: { label: "Old" },
      load: async () => ({ ...fakePlugin("old"), apiVersion: 0 }),
    });
    await expect(registry.getChannel("one")).rejects.toThrow(/id is "two"/);
    await expect(registry.getChannel("old")).rejects.toMatchObject({ code: "PLUGIN_API_VERSION" });
  });

  it("rejects duplicates and unknown channels with the fix in the message", async () => {
    const registry = new PluginRegistry();
    registry.registerChannel(fakePlugin("echo"));
    expect(() => registry.registerChannel(fakePlugin("echo"))).toThrowError(
      expect.objectContaining({ code: "CHANNEL_DUPLICATE" }),
    );
    await expect(registry.getChannel("nope")).rejects.toThrowError(/known channels are echo/);
    const tool = { name: "t", description: "d", parameters: z.object({}), execute: async () => 1 };
    registry.registerTool(tool);
    expect(() => registry.registerTool(tool)).toThrowError(
      expect.objectContaining({ code: "TOOL_DUPLICATE" }),
    );
    const ping = defineGatewayMethod({
      name: "echo.ping",
      scope: "operator.read",
      params: z.object({}),
      handler: () => "pong",
    });
    registry.registerMethod(ping);
    expect(() => registry.registerMethod(ping)).toThrowError(
      expect.objectContaining({ code: "METHOD_DUPLICATE" }),
    );
    // A core method's name (or namespace) is refused by the SDK's contract check, naming the fix.
    expect(() => registry.registerMethod({ ...ping, name: "sessions.list" })).toThrowError(
      expect.objectContaining({ code: "PLUGIN_METHOD_INVALID", message: expect.stringMatching(/core/) }),
    );
    expect(registry.methods().map((method) => method.name)).toEqual(["echo.ping"]);
    expect(registry.tools()).toEqual([tool]);
  });
  it("runs a tool loader only when tools are first needed, once, and registers what it returns", async () => {
    const registry = new PluginRegistry();
    let loads = 0;
    registry.registerToolLoader(async () => {
      loads += 1;
      return [{ name: "heavy", description: "d", parameters: z.object({}), execute: async () => 1 }];
    });
    expect(loads).toBe(0);
    expect(registry.tools()).toEqual([]);
    const [first, second] = await Promise.all([registry.loadTools(), registry.loadTools()]);
    expect(loads).toBe(1);
    expect(first.map((tool) => tool.name)).toEqual(["heavy"]);
    expect(second.map((tool) => tool.name)).toEqual(["heavy"]);
    expect(registry.tools().map((tool) => tool.name)).toEqual(["heavy"]);
    expect((await registry.loadTools()).map((tool) => tool.name)).toEqual(["heavy"]);
    expect(loads).toBe(1);
  });
});

describe("loadConfiguredPlugins", () => {
  let root: string;
  let stateDir: string;
  let cwd: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "openclaw-plugins-"));
    stateDir = join(root, "state");
    cwd = join(root, "project");
    await mkdir(stateDir, { recursive: true });
    await mkdir(cwd, { recursive: true });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function writePackage(base: string, name: string, files: Record<string, string>): Promise<void> {
    const dir = join(base, ...name.split("/"));
    await mkdir(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  }

  it("loads a file, a package directory and an installed npm package, and reports each bad one", async () => {
    await writeFile(join(cwd, "file-plugin.mjs"), pluginSource("from-file"));
    await writePackage(cwd, "dir-plugin", {
      "package.json": JSON.stringify({
        name: "dir-plugin",
        type: "module",
        exports: { ".": { import: "./lib/entry.js" } },
      }),
    });
    await writePackage(join(cwd, "dir-plugin"), "lib", {
      "entry.js": pluginSource("from-dir", { exportLine: "export const plugin = PLUGIN;\n" }),
    });
    await writePackage(join(stateDir, "node_modules"), "@acme/openclaw-chat", {
      "package.json": JSON.stringify({ name: "@acme/openclaw-chat", type: "module", main: "main.js" }),
      "main.js": `const channel = ${pluginSource("acme-chat", { exportLine: "PLUGIN" })};
export default { channels: [channel], tools: [{ name: "acme_lookup", description: "look up", parameters: { safeParse: (v) => ({ success: true, data: v }) }, execute: async () => "ok" }], methods: [{ name: "acme.ping", scope: "operator.read", params: { safeParse: (v) => ({ success: true, data: v }) }, handler: () => "pong" }] };\n`,
    });
    await writeFile(join(cwd, "bad-export.mjs"), "export const something = 1;\nexport function other() {}\n");
    await writeFile(join(cwd, "old-api.mjs"), pluginSource("old-api", { apiVersion: 0 }));
    await writeFile(join(cwd, "not-a-plugin.mjs"), "export default function register(api) { return api; }\n");
    await writeFile(join(cwd, "throws.mjs"), "throw new Error('boom at import');\n");

    const registry = new PluginRegistry();
    registry.registerChannel(fakePlugin("telegram"));
    const report = await loadConfiguredPlugins(
      registry,
      {
        load: {
          paths: [
            "./file-plugin.mjs",
            join(cwd, "dir-plugin"),
            "./bad-export.mjs",
            "./old-api.mjs",
            "./not-a-plugin.mjs",
            "./throws.mjs",
            "./missing.mjs",
          ],
        },
        entries: {
          "@acme/openclaw-chat": { enabled: true },
          "openclaw-plugin-not-installed": {},
          "openclaw-plugin-disabled": { enabled: false },
          telegram: { config: {} },
        },
      },
      { stateDir, cwd, logger: silentLogger },
    );

    expect(report.loaded).toEqual(["./file-plugin.mjs", join(cwd, "dir-plugin"), "@acme/openclaw-chat"]);
    expect(registry.channelIds()).toEqual(["telegram", "from-file", "from-dir", "acme-chat"]);
    expect(registry.tools().map((tool) => tool.name)).toEqual(["acme_lookup"]);
    expect(registry.methods().map((method) => method.name)).toEqual(["acme.ping"]);
    await expect(registry.getChannel("from-dir")).resolves.toMatchObject({
      meta: { label: "from-dir label" },
    });

    const errors = Object.fromEntries(report.errors.map((entry) => [entry.id, entry.error]));
    expect(Object.keys(errors).sort()).toEqual(
      [
        "./bad-export.mjs",
        "./missing.mjs",
        "./not-a-plugin.mjs",
        "./old-api.mjs",
        "./throws.mjs",
        "openclaw-plugin-not-installed",
      ].sort(),
    );
    expect(errors["./bad-export.mjs"]).toMatch(
      /no default, plugin or channelPlugin export.*exports are something, other/,
    );
    expect(errors["./not-a-plugin.mjs"]).toMatch(/exports default as a function \(register\)/);
    expect(errors["./old-api.mjs"]).toMatch(
      /implements API version 0, but this gateway runs channel plugin API version 1/,
    );
    expect(errors["./throws.mjs"]).toMatch(/failed to load from .*throws\.mjs: boom at import/);
    expect(errors["./missing.mjs"]).toMatch(/does not exist .*fix or remove it in plugins\.load\.paths/);
    expect(errors["openclaw-plugin-not-installed"]).toBe(
      `plugin "openclaw-plugin-not-installed" is not installed: run \`npm i openclaw-plugin-not-installed\` in ${stateDir} or remove plugins.entries.openclaw-plugin-not-installed`,
    );
  });

  it("finds a package in an ancestor of cwd and refuses one that takes a registered channel", async () => {
    await writePackage(join(root, "node_modules"), "openclaw-telegram-clone", {
      "package.json": JSON.stringify({ name: "openclaw-telegram-clone", type: "module" }),
      "index.js": pluginSource("telegram"),
    });
    const registry = new PluginRegistry();
    registry.registerChannel(fakePlugin("telegram"));
    const report = await loadConfiguredPlugins(
      registry,
      { entries: { "openclaw-telegram-clone": {} } },
      { stateDir, cwd, logger: silentLogger },
    );
    expect(report.loaded).toEqual([]);
    expect(report.errors).toEqual([
      {
        id: "openclaw-telegram-clone",
        error: expect.stringContaining('provides channel "telegram", which is already registered'),
      },
    ]);
  });

  it("accepts a missing section, and reports a malformed one", async () => {
    const registry = new PluginRegistry();
    const options = { stateDir, cwd, logger: silentLogger };
    expect(await loadConfiguredPlugins(registry, undefined, options)).toEqual({ loaded: [], errors: [] });
    expect(
      await loadConfiguredPlugins(registry, { enabled: false, load: { paths: ["x"] } }, options),
    ).toEqual({
      loaded: [],
      errors: [],
    });
    const bad = await loadConfiguredPlugins(
      registry,
      { load: { paths: "x" }, entries: { "../evil": {} } },
      options,
    );
    expect(bad.errors.map((entry) => entry.id)).toEqual(["plugins.load.paths", "../evil"]);
    expect(bad.errors[1]?.error).toMatch(/not an npm package name/);
  });
});
