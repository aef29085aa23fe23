import { homedir } from "node:os";
import { resolve } from "node:path";

export interface ControlUiSite {
  /** Absolute folder holding `index.html` and the built assets. */
  root: string;
  /** URL prefix without a trailing slash; `""` serves the UI at the root. */
  basePath: string;
  /**
   * `"configured"` when `gateway.controlUi.root` chose the folder (e.g. OpenClaw's own UI, which sets inline
   * styles and so needs a looser `style-src`), `"bundled"` for ours.
   */
  source: "bundled" | "configured";
}

/** `"/openclaw/"` and `"/openclaw"` both become `"/openclaw"`; `"/"` and unset become `""`. */
export function normalizeBasePath(basePath: string | undefined): string {
  return basePath ? basePath.replace(/\/+$/, "") : "";
}

export interface ControlUiSiteInputs {
  /** `gateway.controlUi` from the config. */
  config: { enabled?: boolean; basePath?: string; root?: string } | undefined;
  /** What the embedding app passed: the bundled UI's folder and an enable override. */
  bundledRoot?: string;
  enabledOverride?: boolean;
}

/**
 * Which folder the Control UI is served from. `gateway.controlUi.root` (OpenClaw's key) wins over the bundled UI,
 * so a user can point the gateway at OpenClaw's own built UI (`node_modules/openclaw/dist/control-ui`); like
 * OpenClaw, a relative root is taken from the working directory, and `~` is the home folder.
 */
export function resolveControlUiSite(inputs: ControlUiSiteInputs): ControlUiSite | undefined {
  const enabled = inputs.enabledOverride ?? inputs.config?.enabled ?? true;
  if (!enabled) return undefined;
  const configuredRoot = inputs.config?.root;
  const root = configuredRoot ? resolve(expandHome(configuredRoot)) : inputs.bundledRoot;
  if (!root) return undefined;
  return {
    root,
    basePath: normalizeBasePath(inputs.config?.basePath),
    source: configuredRoot ? "configured" : "bundled",
  };
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}
