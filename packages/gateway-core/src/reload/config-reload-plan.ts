import type { OpenClawConfig } from "../config/config-schema.js";
import { isPlainObject } from "../config/plain-object.js";

/** `gateway.reload.mode`: how a settled edit of the config file is applied while the gateway runs. */
export type ConfigReloadMode = "off" | "hot" | "restart" | "hybrid";

/** What one changed path needs: a gateway restart, a hot re-apply of its subsystem, or nothing (read live). */
export type ConfigChangeKind = "restart" | "hot" | "none";

/** Subsystems a hot reload re-applies; a flag is set when one of its paths changed. */
export interface ConfigReloadSubsystems {
  /** `logging.*`: level, file and rotation size. */
  logging: boolean;
  /** `cron.*`: the scheduler reloads its jobs. */
  cron: boolean;
  /** `hooks.*`: webhook mappings and internal hooks. */
  hooks: boolean;
  /** `plugins.*`: plugin entries and load paths. */
  plugins: boolean;
  /** `agents.*`, `models.*`, `tools.*`: the agent roster and the model catalogue handed to the runtime. */
  agents: boolean;
  /** `skills.*`: skill discovery and eligibility. */
  skills: boolean;
  /** `session.*`, `messages.*`, `bindings`: how inbound messages are routed to agents and sessions. */
  routing: boolean;
}

/**
 * What to do about an edit of the config file, computed from the previous and next parsed configs. Plain data (no
 * values, only paths), so it can be logged or sent to a client as it is.
 *
 * `action`:
 * - `"none"`: nothing to re-apply; swap in the new config snapshot (every `livePaths` entry is read on use).
 * - `"hot"`: swap the snapshot, restart `channelsToRestart` and re-apply each flagged subsystem. In `"hot"` mode
 *   `restartPaths` may be non-empty: those changes wait for a manual restart (`restartRequired` is then true).
 * - `"restart"`: restart the gateway.
 * - `"ignored"`: the mode says not to act (`"off"`, or `"hot"` with only restart-needing changes); log that a
 *   restart is needed for them. Credentials and other `livePaths` still take effect: swap them in regardless.
 */
export interface ConfigReloadPlan {
  mode: ConfigReloadMode;
  /** Every changed dotted path, sorted. Arrays are compared whole, so a changed array is one path. */
  changedPaths: string[];
  /** Whether some change takes effect only after a gateway restart that this plan does not perform. */
  restartRequired: boolean;
  restartPaths: string[];
  hotPaths: string[];
  /** Changes the gateway reads on use (credentials, trusted proxies, allowed origins, ...): always effective. */
  livePaths: string[];
  /** Channel ids (`channels.<id>`) whose runtime must restart to pick up its new section. */
  channelsToRestart: string[];
  subsystems: ConfigReloadSubsystems;
  action: "none" | "hot" | "restart" | "ignored";
}

interface ReloadRule {
  prefix: string[];
  kind: ConfigChangeKind;
  subsystem?: keyof ConfigReloadSubsystems;
}

function rule(prefix: string, kind: ConfigChangeKind, subsystem?: keyof ConfigReloadSubsystems): ReloadRule {
  return { prefix: prefix.split("."), kind, subsystem };
}

/**
 * The longest matching prefix decides; a path no rule matches restarts the gateway, because a setting this table
 * does not know might be read only at start.
 */
const RELOAD_RULES: ReloadRule[] = [
  rule("$schema", "none"),
  rule("meta", "none"),
  // Listener topology and the way clients authenticate are fixed when the server starts.
  rule("gateway", "restart"),
  rule("gateway.port", "restart"),
  rule("gateway.bind", "restart"),
  rule("gateway.customBindHost", "restart"),
  rule("gateway.tls", "restart"),
  rule("gateway.tailscale", "restart"),
  rule("gateway.auth.mode", "restart"),
  rule("gateway.controlUi.basePath", "restart"),
  rule("gateway.controlUi.enabled", "restart"),
  // Read on every handshake or request, so the new value applies to the next one.
  rule("gateway.auth.token", "none"),
  rule("gateway.auth.password", "none"),
  rule("gateway.auth.scopes", "none"),
  rule("gateway.auth.rateLimit", "none"),
  rule("gateway.trustedProxies", "none"),
  rule("gateway.controlUi.allowedOrigins", "none"),
  rule("gateway.http.endpoints", "none"),
  rule("gateway.reload", "none"),
  rule("gateway.remote", "none"),
  rule("channels", "hot"),
  rule("agents", "hot", "agents"),
  rule("models", "hot", "agents"),
  // Model credentials (auth profiles, SecretRefs) are looked up on every run.
  rule("auth", "hot", "agents"),
  rule("secrets", "hot", "agents"),
  rule("tools", "hot", "agents"),
  rule("session", "hot", "routing"),
  rule("messages", "hot", "routing"),
  rule("bindings", "hot", "routing"),
  rule("hooks", "hot", "hooks"),
  rule("cron", "hot", "cron"),
  rule("skills", "hot", "skills"),
  rule("plugins", "hot", "plugins"),
  rule("logging", "hot", "logging"),
];

/** Sections under `channels` that hold policy for every channel rather than one channel's settings. */
const SHARED_CHANNEL_SECTIONS = new Set(["defaults", "modelByChannel"]);

const CREDENTIAL_PATHS = new Set(["gateway.auth.token", "gateway.auth.password"]);

function matchRule(segments: string[]): ReloadRule | undefined {
  let best: ReloadRule | undefined;
  for (const candidate of RELOAD_RULES) {
    if (candidate.prefix.length > segments.length) continue;
    if (!candidate.prefix.every((part, index) => segments[index] === part)) continue;
    if (best === undefined || candidate.prefix.length > best.prefix.length) best = candidate;
  }
  return best;
}

/** The change kind of one dotted path by the reload table (without the auth-mode check of `planConfigReload`). */
export function classifyConfigPath(path: string): ConfigChangeKind {
  return matchRule(path.split("."))?.kind ?? "restart";
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * Changed leaf paths as segment lists. Objects are walked (a missing side counts as `{}`, so an added section
 * yields its leaves); anything else, arrays included, is compared whole.
 */
function diffPaths(previous: unknown, next: unknown, prefix: string[], out: string[][]): void {
  const previousIsObject = isPlainObject(previous) || previous === undefined;
  const nextIsObject = isPlainObject(next) || next === undefined;
  if (previousIsObject && nextIsObject && (previous !== undefined || next !== undefined)) {
    const before = (previous ?? {}) as Record<string, unknown>;
    const after = (next ?? {}) as Record<string, unknown>;
    const found = out.length;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      diffPaths(before[key], after[key], [...prefix, key], out);
    }
    // An empty section added or removed is still a change (a channel enabled with all defaults).
    if (out.length === found && (previous === undefined) !== (next === undefined) && prefix.length > 0) {
      out.push(prefix);
    }
    return;
  }
  if (!deepEqual(previous, next)) out.push(prefix);
}

/** `gateway.auth.mode`, or the mode the gateway derives when it is unset (password when only a password is set). */
function effectiveAuthMode(config: OpenClawConfig): string {
  const auth = config.gateway?.auth;
  if (auth?.mode !== undefined) return auth.mode;
  return auth?.password !== undefined && auth.token === undefined ? "password" : "token";
}

function emptySubsystems(): ConfigReloadSubsystems {
  return {
    logging: false,
    cron: false,
    hooks: false,
    plugins: false,
    agents: false,
    skills: false,
    routing: false,
  };
}

function channelIds(config: OpenClawConfig): string[] {
  return Object.keys(config.channels ?? {}).filter((id) => !SHARED_CHANNEL_SECTIONS.has(id));
}

/**
 * Diffs two parsed configs and decides, per `mode`, what the running gateway must do. Pure: it reads nothing and
 * puts no config value (so no secret) in the result.
 *
 * Credentials (`gateway.auth.token` / `gateway.auth.password`) are read live whatever the mode, so a rotated token
 * takes effect at once; only a change of the effective auth mode needs a restart.
 */
export function planConfigReload(
  previous: OpenClawConfig,
  next: OpenClawConfig,
  mode: ConfigReloadMode,
): ConfigReloadPlan {
  const changed: string[][] = [];
  diffPaths(previous, next, [], changed);
  const authModeChanged = effectiveAuthMode(previous) !== effectiveAuthMode(next);

  const restartPaths: string[] = [];
  const hotPaths: string[] = [];
  const livePaths: string[] = [];
  const channels = new Set<string>();
  const subsystems = emptySubsystems();
  for (const segments of changed) {
    const path = segments.join(".");
    const matched = matchRule(segments);
    let kind = matched?.kind ?? "restart";
    // What the handshake depends on is the effective mode: a credential edit that flips the derived mode (password
    // added, token removed) needs a restart, while writing down the mode already in effect does not.
    if (CREDENTIAL_PATHS.has(path) && authModeChanged) kind = "restart";
    if (path === "gateway.auth.mode" && !authModeChanged) kind = "none";
    if (kind === "restart") restartPaths.push(path);
    else if (kind === "none") livePaths.push(path);
    else {
      hotPaths.push(path);
      if (matched?.subsystem !== undefined) subsystems[matched.subsystem] = true;
      if (segments[0] === "channels") {
        const id = segments[1];
        if (id === undefined || SHARED_CHANNEL_SECTIONS.has(id)) {
          for (const channel of [...channelIds(previous), ...channelIds(next)]) channels.add(channel);
        } else {
          channels.add(id);
        }
      }
    }
  }

  const needsAction = restartPaths.length > 0 || hotPaths.length > 0;
  let action: ConfigReloadPlan["action"] = "none";
  let restartRequired = false;
  if (needsAction) {
    switch (mode) {
      case "off":
        action = "ignored";
        restartRequired = true;
        break;
      case "restart":
        action = "restart";
        break;
      case "hot":
        action = hotPaths.length > 0 ? "hot" : "ignored";
        restartRequired = restartPaths.length > 0;
        break;
      case "hybrid":
        action = restartPaths.length > 0 ? "restart" : "hot";
        break;
    }
  }

  return {
    mode,
    changedPaths: changed.map((segments) => segments.join(".")).sort(),
    restartRequired,
    restartPaths: restartPaths.sort(),
    hotPaths: hotPaths.sort(),
    livePaths: livePaths.sort(),
    channelsToRestart: [...channels].sort(),
    subsystems,
    action,
  };
}

/** One log line's worth of a plan: the action and the paths behind it (never values). */
export function describeConfigReloadPlan(plan: ConfigReloadPlan): string {
  if (plan.changedPaths.length === 0) return "config unchanged";
  const parts = [`reload mode ${plan.mode}: ${plan.action}`];
  if (plan.restartPaths.length > 0) parts.push(`restart needed for ${plan.restartPaths.join(", ")}`);
  if (plan.hotPaths.length > 0) parts.push(`hot for ${plan.hotPaths.join(", ")}`);
  if (plan.livePaths.length > 0) parts.push(`live for ${plan.livePaths.join(", ")}`);
  return parts.join("; ");
}
