import { stat } from "node:fs/promises";
import { ErrorDetailCodes, GatewayError } from "@openclaw/protocol";
import { getConfigValue, setConfigValue, unsetConfigValue } from "../config/config-path.js";
import {
  ConfigError,
  type ConfigIssue,
  type ConfigPaths,
  hashConfigText,
  type LoadedConfig,
  loadConfig,
  type OpenClawConfig,
  validateConfigText,
  writeConfigFile,
} from "../config/index.js";
import { readConfigFile } from "../config/load-config.js";
import type { Logger } from "../logging/logger.js";
import { planConfigReload } from "../reload/config-reload-plan.js";

export type ConfigChangeListener = (config: OpenClawConfig, previous: OpenClawConfig) => void;

/** How many issues of a rejected file are kept, and how long each message may be: enough to fix it, bounded. */
const MAX_REJECTED_ISSUES = 20;
const MAX_ISSUE_MESSAGE_CHARS = 500;

/** The config file on disk when it could not be applied (the last good config keeps running): what is wrong. */
export interface RejectedConfigFile {
  /** The file's text as read ("" when it could not be read). */
  raw: string;
  hash: string;
  /** At most {@link MAX_REJECTED_ISSUES}; a last entry says how many more there were. */
  issues: ConfigIssue[];
}

/**
 * The gateway's live view of `openclaw.json`. Readers get the last valid config; a change on disk (for example by
 * `openclaw config set` from another process) is picked up by `refresh()`, which the server calls before every
 * credential check so a rotated token takes effect at once. An invalid edit is not applied: `rejectedFile` then
 * describes the file on disk until it is fixed. Writes are serialised and guarded by `baseHash`.
 */
/**
 * One warning line per config key the gateway does not act on (its dot path in `key`, `unsupported` or `unknown` in
 * `kind`), and one per other warning; `alreadyLogged` skips lines an earlier load printed.
 */
function logConfigWarnings(
  logger: Logger,
  configPath: string,
  loaded: LoadedConfig,
  alreadyLogged: ReadonlySet<string> = new Set(),
): void {
  const reports = new Map((loaded.keyReports ?? []).map((report) => [report.message, report]));
  for (const warning of loaded.warnings) {
    if (alreadyLogged.has(warning)) continue;
    const report = reports.get(warning);
    logger.warn(
      warning,
      report ? { path: configPath, key: report.path, kind: report.kind } : { path: configPath },
    );
  }
}

export class GatewayConfigState {
  #loaded: LoadedConfig;
  #rejected: RejectedConfigFile | undefined;
  #fingerprint = "";
  #writes: Promise<unknown> = Promise.resolve();
  #refreshes: Promise<unknown> = Promise.resolve();
  readonly paths: ConfigPaths;
  readonly #logger: Logger;
  readonly #listeners = new Set<ConfigChangeListener>();

  private constructor(paths: ConfigPaths, loaded: LoadedConfig, logger: Logger) {
    this.paths = paths;
    this.#loaded = loaded;
    this.#logger = logger;
  }

  static async open(
    paths: ConfigPaths,
    logger: Logger,
    preloaded?: LoadedConfig,
  ): Promise<GatewayConfigState> {
    const loaded = preloaded ?? (await loadConfig(paths.configPath));
    const state = new GatewayConfigState(paths, loaded, logger);
    state.#fingerprint = await state.#readFingerprint();
    logConfigWarnings(logger, paths.configPath, loaded);
    return state;
  }

  get current(): LoadedConfig {
    return this.#loaded;
  }

  get config(): OpenClawConfig {
    return this.#loaded.config;
  }

  /** The file on disk when its last change was invalid, so `current` is the last good config; else undefined. */
  get rejectedFile(): RejectedConfigFile | undefined {
    return this.#rejected;
  }

  /** Called after every change of the running config, with the config it replaced. */
  onChange(listener: ConfigChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #readFingerprint(): Promise<string> {
    try {
      const info = await stat(this.paths.configPath);
      return `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch {
      return "missing";
    }
  }

  /**
   * Reloads the file when it changed on disk. An invalid edit is reported and the running config kept. Calls run one
   * at a time: a second caller must not see the new fingerprint while the first is still reading the file, or it
   * would answer with the config the file no longer holds.
   */
  refresh(): Promise<LoadedConfig> {
    const run = this.#refreshes.then(() => this.#refreshNow());
    this.#refreshes = run.catch(() => undefined);
    return run;
  }

  async #refreshNow(): Promise<LoadedConfig> {
    const fingerprint = await this.#readFingerprint();
    if (fingerprint === this.#fingerprint) return this.#loaded;
    this.#fingerprint = fingerprint;
    try {
      const loaded = await loadConfig(this.paths.configPath);
      this.#rejected = undefined;
      this.#apply(loaded.config.gateway.reload.mode === "off" ? this.#liveOnly(loaded) : loaded);
    } catch (error) {
      this.#rejected = await describeRejectedFile(this.paths.configPath, error);
      this.#logger.warn("config file changed but is invalid; keeping the running config", {
        path: this.paths.configPath,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return this.#loaded;
  }

  /**
   * With `gateway.reload.mode: "off"` an edit on disk waits for a restart, except the settings read live for
   * safety (credentials, trusted proxies, allowed origins, ...): a rotated token must never wait.
   */
  #liveOnly(loaded: LoadedConfig): LoadedConfig {
    const running = this.#loaded.config;
    const plan = planConfigReload(running, loaded.config, "off");
    let merged = running as Record<string, unknown>;
    for (const path of plan.livePaths) {
      const value = getConfigValue(loaded.config, path);
      merged = value === undefined ? unsetConfigValue(merged, path) : setConfigValue(merged, path, value);
    }
    if (plan.restartPaths.length > 0 || plan.hotPaths.length > 0) {
      this.#logger.warn(
        "config file changed; gateway.reload.mode is off, so the edit applies after a restart",
        {
          path: this.paths.configPath,
          paths: [...plan.restartPaths, ...plan.hotPaths],
        },
      );
    }
    return { ...loaded, config: merged as OpenClawConfig };
  }

  #apply(loaded: LoadedConfig): void {
    const previous = this.#loaded.config;
    // An edit that adds a key this gateway does not act on is reported like one present at start, once.
    logConfigWarnings(this.#logger, this.paths.configPath, loaded, new Set(this.#loaded.warnings));
    this.#loaded = loaded;
    for (const listener of this.#listeners) listener(loaded.config, previous);
  }

  /**
   * Validates and writes new config text. `baseHash`, when given, must match the current file, so two editors
   * cannot silently overwrite each other.
   */
  write(raw: string, baseHash?: string): Promise<LoadedConfig> {
    const run = this.#writes.then(async () => {
      await this.refresh();
      // While the file on disk is invalid only a write based on that file (its hash, from config.get) may replace
      // it: one based on the running last-good config would silently throw the user's broken edit away. Checked
      // here, in the write queue, so a file that breaks between a caller's check and this write is caught too.
      const rejected = this.#rejected;
      if (rejected !== undefined && baseHash !== rejected.hash) {
        throw new GatewayError(
          "INVALID_REQUEST",
          `the config file ${this.paths.configPath} on disk is invalid, so the last good config is running: fix the file, or write a full config based on the file on disk (the hash config.get returns)`,
          {
            details: {
              code: ErrorDetailCodes.CONFIG_FILE_INVALID,
              hash: rejected.hash,
              issues: rejected.issues,
            },
          },
        );
      }
      const diskHash = this.#loaded.hash;
      if (rejected === undefined && baseHash !== undefined && baseHash !== diskHash) {
        throw new GatewayError(
          "INVALID_REQUEST",
          "the config changed since you read it: call config.get again and re-apply your edit",
          { details: { code: ErrorDetailCodes.CONFIG_CONFLICT, currentHash: diskHash } },
        );
      }
      const result = validateConfigText(raw, this.paths.configPath);
      if (!result.ok) {
        throw new GatewayError(
          "INVALID_REQUEST",
          `the new config is invalid: ${describeIssues(result.issues)}`,
          {
            details: { code: ErrorDetailCodes.CONFIG_INVALID, issues: result.issues },
          },
        );
      }
      const written = await writeConfigFile(this.paths.configPath, raw);
      this.#fingerprint = await this.#readFingerprint();
      const loaded: LoadedConfig = {
        path: this.paths.configPath,
        exists: true,
        raw: written.raw,
        hash: written.hash ?? hashConfigText(written.raw),
        config: result.config,
        warnings: result.warnings,
        keyReports: result.keyReports,
      };
      this.#rejected = undefined;
      this.#apply(loaded);
      this.#logger.info("config written", { path: this.paths.configPath });
      return loaded;
    });
    this.#writes = run.catch(() => undefined);
    return run;
  }
}

async function describeRejectedFile(path: string, error: unknown): Promise<RejectedConfigFile> {
  const raw = (await readConfigFile(path).catch(() => undefined)) ?? "";
  const all =
    error instanceof ConfigError && error.issues.length > 0
      ? error.issues
      : [{ path: "", message: error instanceof Error ? error.message : String(error) }];
  const issues = all.slice(0, MAX_REJECTED_ISSUES).map((issue) => ({
    path: issue.path,
    message:
      issue.message.length > MAX_ISSUE_MESSAGE_CHARS
        ? `${issue.message.slice(0, MAX_ISSUE_MESSAGE_CHARS - 3)}...`
        : issue.message,
  }));
  if (all.length > MAX_REJECTED_ISSUES) {
    issues.push({ path: "", message: `and ${all.length - MAX_REJECTED_ISSUES} more issues` });
  }
  return { raw, hash: hashConfigText(raw), issues };
}

function describeIssues(issues: { path: string; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join("; ");
}
