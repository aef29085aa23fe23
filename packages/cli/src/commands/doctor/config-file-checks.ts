import { stat } from "node:fs/promises";
import {
  ConfigError,
  type ConfigPaths,
  type LoadedConfig,
  loadConfig,
  type OpenClawConfig,
} from "@openclaw/gateway";
import { check, type DoctorCheck } from "./doctor-check.js";

/** The config as the doctor saw it; `config` is undefined when the file cannot be used. */
export interface ConfigInspection {
  checks: DoctorCheck[];
  config: OpenClawConfig | undefined;
  exists: boolean;
}

/**
 * The loader's error message has one line per issue, "<path>: <problem> — <fix>"; the checklist shows the problem
 * and the fix on separate lines, so each line is split at its last " — ".
 */
function issueChecks(error: ConfigError, configPath: string): DoctorCheck[] {
  return error.message
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const split = line.lastIndexOf(" — ");
      return split === -1
        ? check("config", "error", line, `fix it in ${configPath}`)
        : check("config", "error", line.slice(0, split), line.slice(split + 3));
    });
}

/**
 * One check per key the gateway does not act on: an OpenClaw key says what happens instead (the operator may keep
 * it, knowing it does nothing here); an unknown key is probably a typo. Other warnings keep the generic fix.
 */
function configWarningChecks(loaded: LoadedConfig, configPath: string): DoctorCheck[] {
  const reports = loaded.keyReports ?? [];
  const reported = new Set(reports.map((report) => report.message));
  const keyChecks = reports.map((report) =>
    report.kind === "unsupported"
      ? check(
          "config-key",
          "warn",
          report.message,
          `remove \`${report.path}\` from ${configPath}, or keep it knowing it has no effect here`,
        )
      : check("config-key", "warn", report.message, `correct or remove \`${report.path}\` in ${configPath}`),
  );
  const otherChecks = loaded.warnings
    .filter((warning) => !reported.has(warning))
    .map((warning) => check("config", "warn", warning, `correct it in ${configPath}`));
  return [...otherChecks, ...keyChecks];
}

export async function inspectConfig(paths: ConfigPaths): Promise<ConfigInspection> {
  try {
    const loaded = await loadConfig(paths.configPath);
    const summary = loaded.exists
      ? check("config", "ok", `config ${paths.configPath} is valid`)
      : check("config", "ok", `no config file at ${paths.configPath}: the defaults apply`);
    return {
      checks: [summary, ...configWarningChecks(loaded, paths.configPath)],
      config: loaded.config,
      exists: loaded.exists,
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { checks: issueChecks(error, paths.configPath), config: undefined, exists: true };
  }
}

const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

function isLiteralSecret(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "" && !ENV_REFERENCE.test(value.trim());
}

/** Which secrets are written into the file itself (as opposed to `${VAR}` or env references). */
function literalSecretPaths(config: OpenClawConfig): string[] {
  const found: string[] = [];
  if (isLiteralSecret(config.gateway.auth.token)) found.push("gateway.auth.token");
  if (isLiteralSecret(config.gateway.auth.password)) found.push("gateway.auth.password");
  for (const [id, provider] of Object.entries(config.models?.providers ?? {})) {
    if (isLiteralSecret(provider.apiKey)) found.push(`models.providers.${id}.apiKey`);
  }
  return found;
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, "0");
}

/**
 * The state dir holds sessions, channel logins and usually the token: anyone who can write to it can replace the
 * config, and anyone who can read a config holding a secret can sign in to the gateway.
 */
export async function checkStatePermissions(
  paths: ConfigPaths,
  config: OpenClawConfig | undefined,
  platform: NodeJS.Platform,
): Promise<DoctorCheck[]> {
  if (platform === "win32") {
    return [check("state-dir", "skipped", "file permission checks do not apply on Windows")];
  }
  const dirStat = await stat(paths.stateDir).catch(() => undefined);
  if (dirStat === undefined) {
    return [
      check(
        "state-dir",
        "warn",
        `state dir ${paths.stateDir} does not exist yet`,
        `run \`openclaw gateway\` once (it creates it) or \`mkdir -m 700 ${paths.stateDir}\``,
      ),
    ];
  }
  const checks: DoctorCheck[] = [];
  if (!dirStat.isDirectory()) {
    checks.push(
      check(
        "state-dir",
        "error",
        `state dir ${paths.stateDir} is not a directory`,
        "move the file away or point OPENCLAW_STATE_DIR at a directory",
      ),
    );
  } else if (dirStat.mode & 0o022) {
    const worldWritable = (dirStat.mode & 0o002) !== 0;
    checks.push(
      check(
        "state-dir",
        worldWritable ? "error" : "warn",
        `state dir ${paths.stateDir} is ${worldWritable ? "world" : "group"}-writable (mode ${octal(dirStat.mode)})`,
        `chmod 700 ${paths.stateDir}`,
      ),
    );
  } else {
    checks.push(check("state-dir", "ok", `state dir ${paths.stateDir} (mode ${octal(dirStat.mode)})`));
  }

  const fileStat = await stat(paths.configPath).catch(() => undefined);
  if (fileStat === undefined || config === undefined) return checks;
  const secrets = literalSecretPaths(config);
  if (secrets.length > 0 && fileStat.mode & 0o077) {
    checks.push(
      check(
        "config-permissions",
        "warn",
        `${paths.configPath} holds ${secrets.join(", ")} but is readable by others (mode ${octal(fileStat.mode)})`,
        `chmod 600 ${paths.configPath}`,
      ),
    );
  } else {
    checks.push(
      check("config-permissions", "ok", `${paths.configPath} permissions (mode ${octal(fileStat.mode)})`),
    );
  }
  return checks;
}
