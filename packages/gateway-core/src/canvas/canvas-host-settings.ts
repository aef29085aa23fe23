import { join } from "node:path";
import type { OpenClawConfig } from "../config/config-schema.js";
import { expandUserPath, resolveDefaultWorkspaceDir } from "../workspace/workspace-dir.js";

export interface CanvasHostSettings {
  enabled: boolean;
  /** The folder served under `/__openclaw__/canvas/` (absolute). */
  root: string;
  liveReload: boolean;
}

interface CanvasPluginHost {
  enabled?: unknown;
  root?: unknown;
}

function pluginHost(config: OpenClawConfig): { pluginEnabled: boolean; host: CanvasPluginHost } {
  const entry = config.plugins?.entries?.canvas as
    | { enabled?: boolean; config?: { host?: CanvasPluginHost } }
    | undefined;
  return { pluginEnabled: entry?.enabled !== false, host: entry?.config?.host ?? {} };
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The canvas host's settings as OpenClaw layers them: `plugins.entries.canvas.config.host` first (its `enabled` is
 * OpenClaw 2026.9's one switch), then the older `canvasHost` section; `OPENCLAW_SKIP_CANVAS_HOST=1` turns the host
 * off. The default folder is the default agent's workspace `canvas/`, OpenClaw's `canvasHost.root` default.
 */
export function resolveCanvasHostSettings(
  config: OpenClawConfig,
  location: { stateDir: string; env: NodeJS.ProcessEnv },
): CanvasHostSettings {
  const { pluginEnabled, host } = pluginHost(config);
  const legacy = config.canvasHost ?? {};
  const skipped = location.env.OPENCLAW_SKIP_CANVAS_HOST === "1";
  const switchedOn = typeof host.enabled === "boolean" ? host.enabled : (legacy.enabled ?? true);
  const configuredRoot = nonBlank(host.root) ?? nonBlank(legacy.root);
  return {
    enabled: pluginEnabled && switchedOn && !skipped,
    root: configuredRoot
      ? expandUserPath(configuredRoot, location.env)
      : join(resolveDefaultWorkspaceDir(config, location), "canvas"),
    liveReload: legacy.liveReload ?? true,
  };
}
