import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { AgentTool } from "@openclaw/agent";
import {
  type ChannelPlugin,
  type GatewayMethod,
  validateChannelPlugin,
  validateGatewayMethods,
} from "@openclaw/plugin-sdk";
import { PROMETHEUS_PLUGIN_ID } from "../config/diagnostics-config-schema.js";
import type { Logger } from "../logging/logger.js";
import { describeError } from "./channel-error.js";
import { describeFound, pickPluginExport } from "./plugin-exports.js";
import type { PluginRegistry } from "./plugin-registry.js";

export interface PluginLoadReport {
  /** The ids (path as configured, or npm package name) of the plugins that loaded and registered. */
  loaded: string[];
  errors: { id: string; error: string }[];
}

interface PluginContents {
  channels: ChannelPlugin[];
  tools: AgentTool[];
  methods: GatewayMethod[];
}

// npm's package name rule (lowercase, optional scope); anything else is not looked up at all.
const NPM_PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** OpenClaw plugin ids whose feature this gateway has built in, so there is no package to load. */
const GATEWAY_BUILT_IN_PLUGINS = new Set([PROMETHEUS_PLUGIN_ID]);

class PluginLoadFailure extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Loads the third-party plugins named in OpenClaw's `plugins` config section and registers what they export:
 * `plugins.load.paths` (a module file, or a package directory whose package.json names its entry) and
 * `plugins.entries.<npm-package>` (`enabled: false` skips it), resolved from `<stateDir>/node_modules`, then from
 * `cwd` upwards, then by normal resolution. Each plugin fails on its own with a message that says what to do;
 * this never throws for a bad plugin.
 */
export async function loadConfiguredPlugins(
  registry: PluginRegistry,
  pluginsSection: unknown,
  o: { stateDir: string; cwd?: string; logger: Logger },
): Promise<PluginLoadReport> {
  const report: PluginLoadReport = { loaded: [], errors: [] };
  if (pluginsSection === undefined || pluginsSection === null) return report;
  if (!isObject(pluginsSection)) {
    report.errors.push({
      id: "plugins",
      error: `plugins must be an object, found ${describeFound(pluginsSection)}`,
    });
    return report;
  }
  if (pluginsSection.enabled === false) return report;
  const cwd = o.cwd ?? process.cwd();

  const jobs: { id: string; load: () => Promise<unknown> }[] = [];
  const paths = isObject(pluginsSection.load) ? pluginsSection.load.paths : undefined;
  if (paths !== undefined && !Array.isArray(paths)) {
    report.errors.push({
      id: "plugins.load.paths",
      error: "plugins.load.paths must be a list of file or directory paths",
    });
  }
  for (const path of Array.isArray(paths) ? paths : []) {
    if (typeof path !== "string" || path.trim() === "") {
      report.errors.push({
        id: String(path),
        error: "each plugins.load.paths entry must be a non-empty path",
      });
      continue;
    }
    jobs.push({ id: path, load: () => importPath(path, cwd) });
  }
  const entries = pluginsSection.entries;
  if (entries !== undefined && !isObject(entries)) {
    report.errors.push({
      id: "plugins.entries",
      error: "plugins.entries must map npm package names to { enabled }",
    });
  }
  for (const [name, entry] of Object.entries(isObject(entries) ? entries : {})) {
    if (isObject(entry) && entry.enabled === false) continue;
    // OpenClaw also keys its bundled plugins' settings here (e.g. plugins.entries.telegram.config): already registered.
    if (registry.hasChannel(name)) continue;
    // OpenClaw's exporter plugins are built into this gateway (diagnostics.*): their entries only switch them on.
    if (GATEWAY_BUILT_IN_PLUGINS.has(name)) continue;
    jobs.push({ id: name, load: () => importPackage(name, o.stateDir, cwd) });
  }

  // Imported one after another: registration order (and so channel order in status) follows the config.
  for (const job of jobs) {
    try {
      const contents = collectContents(pickPluginExport(await job.load(), job.id), job.id);
      registerContents(registry, contents, job.id);
      report.loaded.push(job.id);
      o.logger.info("plugin loaded", {
        plugin: job.id,
        channels: contents.channels.map((channel) => channel.id),
        tools: contents.tools.map((tool) => tool.name),
        methods: contents.methods.map((method) => method.name),
      });
    } catch (error) {
      const message = describeError(error);
      report.errors.push({ id: job.id, error: message });
      o.logger.error("plugin failed to load", { plugin: job.id, error: message });
    }
  }
  return report;
}

async function importPath(configured: string, cwd: string): Promise<unknown> {
  const expanded = configured.startsWith("~/") ? join(homedir(), configured.slice(2)) : configured;
  const absolute = isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolute);
  } catch {
    throw new PluginLoadFailure(
      `plugin path "${configured}" does not exist (resolved to ${absolute}): fix or remove it in plugins.load.paths`,
    );
  }
  const file = info.isDirectory() ? await packageEntryFile(absolute) : absolute;
  return importFile(file, configured);
}

async function importPackage(name: string, stateDir: string, cwd: string): Promise<unknown> {
  const notInstalled = `plugin "${name}" is not installed: run \`npm i ${name}\` in ${stateDir} or remove plugins.entries.${name}`;
  if (!NPM_PACKAGE_NAME.test(name)) {
    throw new PluginLoadFailure(
      `plugins.entries key "${name}" is not an npm package name: use the package name, or list a local plugin under plugins.load.paths`,
    );
  }
  const dir = await findPackageDir(name, stateDir, cwd);
  if (dir) return importFile(await packageEntryFile(dir), name);
  try {
    return await import(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Only the plugin itself missing means "not installed"; a missing dependency of it is a broken install.
    if (code === "ERR_MODULE_NOT_FOUND" && describeError(error).includes(`'${name}'`)) {
      throw new PluginLoadFailure(notInstalled);
    }
    throw new PluginLoadFailure(`plugin "${name}" failed to load: ${describeError(error)}`);
  }
}

async function findPackageDir(name: string, stateDir: string, cwd: string): Promise<string | undefined> {
  const bases = [resolve(stateDir)];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    bases.push(dir);
    if (dirname(dir) === dir) break;
  }
  for (const base of bases) {
    const dir = join(base, "node_modules", ...name.split("/"));
    if (await isFile(join(dir, "package.json"))) return dir;
  }
  return undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The ESM entry a package directory declares: `exports` ("." / import / node / default), then module, main, index.js. */
async function packageEntryFile(dir: string): Promise<string> {
  const manifestPath = join(dir, "package.json");
  let manifest: Record<string, unknown> = {};
  if (await isFile(manifestPath)) {
    try {
      const parsed = JSON.parse(await readFile(manifestPath, "utf8")) as unknown;
      if (isObject(parsed)) manifest = parsed;
    } catch (error) {
      throw new PluginLoadFailure(`${manifestPath} is not valid JSON: ${describeError(error)}`);
    }
  }
  const exported = rootExport(manifest.exports);
  const candidates = [exported, manifest.module, manifest.main, "index.js"].filter(
    (entry): entry is string => typeof entry === "string" && entry.length > 0,
  );
  for (const entry of candidates) {
    const file = resolve(dir, entry);
    if (await isFile(file)) return file;
  }
  throw new PluginLoadFailure(
    `plugin directory ${dir} has no entry file (looked for ${candidates.join(", ")}): set "exports" or "main" in its package.json`,
  );
}

function rootExport(exports: unknown): string | undefined {
  if (typeof exports === "string") return exports;
  if (Array.isArray(exports)) {
    for (const entry of exports) {
      const found = rootExport(entry);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(exports)) return undefined;
  if ("." in exports) return rootExport(exports["."]);
  if (Object.keys(exports).some((key) => key.startsWith("."))) return undefined;
  for (const condition of ["import", "node", "default", "require"]) {
    const found = rootExport(exports[condition]);
    if (found) return found;
  }
  return undefined;
}

async function importFile(file: string, id: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    throw new PluginLoadFailure(`plugin "${id}" failed to load from ${file}: ${describeError(error)}`);
  }
}

function collectContents(value: unknown, id: string): PluginContents {
  if (isObject(value) && "startAccount" in value) {
    return { channels: [validateChannelPlugin(value)], tools: [], methods: [] };
  }
  const bundle = value as Record<string, unknown>;
  const channels = listOf(bundle.channels, `plugin "${id}" channels`).map((channel) =>
    validateChannelPlugin(channel),
  );
  const tools = listOf(bundle.tools, `plugin "${id}" tools`).map((tool, index) => checkTool(tool, id, index));
  const methods =
    bundle.methods === undefined ? [] : validateGatewayMethods(bundle.methods, `plugin "${id}"`);
  if (channels.length + tools.length + methods.length === 0) {
    throw new PluginLoadFailure(`plugin "${id}" exports an empty bundle: add channels, tools or methods`);
  }
  return { channels, tools, methods };
}

function listOf(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new PluginLoadFailure(`${what} must be an array, found ${describeFound(value)}`);
  return value;
}

function checkTool(value: unknown, id: string, index: number): AgentTool {
  const tool = value as Partial<AgentTool> | null;
  const valid =
    isObject(tool) &&
    typeof tool.name === "string" &&
    tool.name.length > 0 &&
    typeof tool.description === "string" &&
    typeof tool.execute === "function" &&
    isObject(tool.parameters) &&
    typeof (tool.parameters as { safeParse?: unknown }).safeParse === "function";
  if (!valid) {
    throw new PluginLoadFailure(
      `plugin "${id}" tools[${index}] is ${describeFound(value)}: a tool needs name, description, parameters (a zod schema) and execute()`,
    );
  }
  return tool as AgentTool;
}

/** All or nothing: a plugin whose channel, tool or method name is taken registers none of them. */
function registerContents(registry: PluginRegistry, contents: PluginContents, id: string): void {
  const tools = new Set(registry.tools().map((tool) => tool.name));
  const methods = new Set(registry.methods().map((method) => method.name));
  for (const channel of contents.channels) {
    if (registry.hasChannel(channel.id)) {
      throw new PluginLoadFailure(
        `plugin "${id}" provides channel "${channel.id}", which is already registered: remove one of them`,
      );
    }
  }
  for (const tool of contents.tools) {
    if (tools.has(tool.name)) {
      throw new PluginLoadFailure(
        `plugin "${id}" provides tool "${tool.name}", which is already registered: remove one of them`,
      );
    }
  }
  for (const { name } of contents.methods) {
    if (methods.has(name)) {
      throw new PluginLoadFailure(
        `plugin "${id}" provides method "${name}", which is already registered: remove one of them`,
      );
    }
  }
  for (const channel of contents.channels) registry.registerChannel(channel);
  for (const tool of contents.tools) registry.registerTool(tool);
  for (const method of contents.methods) registry.registerMethod(method);
}
