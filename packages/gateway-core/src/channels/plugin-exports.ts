import { PluginError } from "@openclaw/plugin-sdk";

const EXPORT_NAMES = ["default", "plugin", "channelPlugin"] as const;

function isModuleNamespace(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === "[object Module]";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** A channel plugin or a bundle: the two things a plugin module may export. */
export function looksLikePluginValue(value: unknown): boolean {
  if (!isObject(value)) return false;
  return "startAccount" in value || "channels" in value || "tools" in value || "methods" in value;
}

/** What a value is, for an error message that names what was found instead of the expected export. */
export function describeFound(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "function") return `a function${value.name ? ` (${value.name})` : ""}`;
  if (Array.isArray(value)) return "an array";
  if (isModuleNamespace(value)) {
    const names = Object.keys(value);
    return `a module whose exports are ${names.length > 0 ? names.join(", ") : "(none)"}`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    return `an object with keys ${keys.length > 0 ? keys.slice(0, 8).join(", ") : "(none)"}`;
  }
  return `a ${typeof value}`;
}

/**
 * Finds the plugin value in what a module import (or a lazy loader) produced: the value itself when it already
 * looks like a plugin, else the `default`, `plugin` or `channelPlugin` export (a CommonJS `module.exports.default`
 * is unwrapped once). Throws `PLUGIN_INVALID` naming what was found.
 */
export function pickPluginExport(loaded: unknown, label: string): unknown {
  if (looksLikePluginValue(loaded) && !isModuleNamespace(loaded)) return loaded;
  if (isObject(loaded)) {
    for (const name of EXPORT_NAMES) {
      let candidate = loaded[name];
      if (candidate === undefined) continue;
      if (!looksLikePluginValue(candidate) && isObject(candidate) && isObject(candidate.default)) {
        candidate = candidate.default;
      }
      if (looksLikePluginValue(candidate)) return candidate;
      throw new PluginError(
        "PLUGIN_INVALID",
        `plugin "${label}" exports ${name} as ${describeFound(candidate)}, not a channel plugin or a { channels, tools, methods } bundle: export default defineChannelPlugin({ ... }) from @openclaw/plugin-sdk`,
        { pluginId: label },
      );
    }
  }
  throw new PluginError(
    "PLUGIN_INVALID",
    `plugin "${label}" has no default, plugin or channelPlugin export (found ${describeFound(loaded)}): export default defineChannelPlugin({ ... }) from @openclaw/plugin-sdk, or a { channels, tools, methods } bundle`,
    { pluginId: label },
  );
}
