import { ErrorDetailCodes, GatewayError, scopeSatisfies } from "@openclaw/protocol";
import JSON5 from "json5";
import {
  applyConfigMergePatch,
  buildConfigJsonSchema,
  type LoadedConfig,
  REDACTED_SECRET,
  redactConfig,
  restoreRedactedSecrets,
} from "../config/index.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";

/** Settings that only take effect when the listener is recreated. */
const RESTART_PATHS = ["port", "bind", "customBindHost", "tls"] as const;

/** The file's own content as an object (no defaults applied), `{}` when there is no file yet. */
export function readConfigObject(loaded: LoadedConfig): Record<string, unknown> {
  return loaded.exists ? parseConfigObject(loaded.raw) : {};
}

function parseConfigObject(raw: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  const value: unknown = JSON5.parse(raw);
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The file's object for `config.get`'s `parsed`: `{}` when there is no file or its text does not parse. */
function parsedFileObject(raw: string, exists: boolean): Record<string, unknown> {
  if (!exists) return {};
  try {
    return parseConfigObject(raw);
  } catch {
    return {};
  }
}

/** Config text with every secret redacted; "" for text that does not parse, as it cannot be redacted. */
function redactedConfigText(raw: string): string {
  let object: Record<string, unknown>;
  try {
    object = parseConfigObject(raw);
  } catch {
    return "";
  }
  return `${JSON.stringify(redactConfig(object), null, 2)}\n`;
}

/**
 * While the file on disk is invalid the running config is the last good one: an edit merged into that, or a full
 * write based on it, would silently replace the user's broken edit. Only a full write carrying the hash of the file
 * on disk (the Control UI saving a fix from `config.get`) may replace it. Call after `configState.refresh()`.
 */
function refuseWhileFileInvalid(runtime: GatewayRuntime, baseHash?: string): void {
  const rejected = runtime.configState.rejectedFile;
  if (rejected === undefined || (baseHash !== undefined && baseHash === rejected.hash)) return;
  const first = rejected.issues[0];
  const issue = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "unknown issue";
  throw new GatewayError(
    "INVALID_REQUEST",
    `the config file ${runtime.configState.paths.configPath} on disk is invalid (${issue}), so the last good config is running and this edit would silently replace the file: fix the file, or send a full config.set or config.apply with the hash of the file on disk (config.get returns it as hash)`,
    { details: { code: ErrorDetailCodes.CONFIG_FILE_INVALID, hash: rejected.hash, issues: rejected.issues } },
  );
}

/**
 * Applies `mutate` to the config file's object and writes it back, guarded against concurrent edits. Refuses
 * (CONFIG_FILE_INVALID) while the file on disk is invalid.
 */
export async function editConfigFile(
  runtime: GatewayRuntime,
  mutate: (config: Record<string, unknown>) => void,
): Promise<LoadedConfig> {
  const current = await runtime.configState.refresh();
  refuseWhileFileInvalid(runtime);
  const object = readConfigObject(current);
  mutate(object);
  return runtime.configState.write(`${JSON.stringify(object, null, 2)}\n`, current.hash);
}

/**
 * The UI edits the redacted text from `config.get`: put the real secrets back where the redaction marker still
 * stands, so saving an unrelated edit never overwrites a token with the marker.
 */
function restoreSecrets(raw: string, current: LoadedConfig): string {
  if (!raw.includes(REDACTED_SECRET)) return raw;
  let next: unknown;
  try {
    next = JSON5.parse(raw);
  } catch {
    return raw; // validation reports the syntax error with its position
  }
  return `${JSON.stringify(restoreRedactedSecrets(next, readConfigObject(current)), null, 2)}\n`;
}

function restartRequired(before: LoadedConfig, after: LoadedConfig): boolean {
  const a = before.config.gateway as Record<string, unknown>;
  const b = after.config.gateway as Record<string, unknown>;
  return RESTART_PATHS.some((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

function writeResult(before: LoadedConfig, after: LoadedConfig) {
  return {
    ok: true as const,
    path: after.path,
    hash: after.hash,
    config: redactConfig(after.config),
    warnings: after.warnings,
    restartRequired: restartRequired(before, after),
  };
}

function parsePatch(raw: string): unknown {
  try {
    return JSON5.parse(raw);
  } catch (error) {
    throw new GatewayError(
      "INVALID_REQUEST",
      `config.patch raw is not valid JSON5: ${(error as Error).message}`,
      {
        details: { code: ErrorDetailCodes.CONFIG_INVALID },
      },
    );
  }
}

export const configMethods: Pick<
  MethodHandlers,
  "config.get" | "config.set" | "config.patch" | "config.apply" | "config.schema"
> = {
  // `raw`, `hash`, `valid` and `issues` describe the file on disk (as in OpenClaw); `config` is what runs. When the
  // file is invalid the last good config keeps running: `running: "last-good"`, and `appliedConfigHash` is the hash
  // of the file text it came from (equal to `hash` while the file is valid).
  "config.get": async (_params, { runtime, scopes }) => {
    const loaded = await runtime.configState.refresh();
    const rejected = runtime.configState.rejectedFile;
    const exists = rejected !== undefined || loaded.exists;
    const fileText = rejected?.raw ?? loaded.raw;
    // Only an admin sees the file verbatim; everyone else gets it with every secret redacted.
    const raw = scopeSatisfies(scopes, "operator.admin")
      ? fileText
      : exists
        ? redactedConfigText(fileText)
        : "";
    const parsed = redactConfig(parsedFileObject(fileText, exists));
    const running = redactConfig(loaded.config);
    const fileHash = rejected?.hash ?? loaded.hash;
    return {
      path: loaded.path,
      exists,
      raw,
      parsed,
      sourceConfig: parsed,
      resolved: parsed,
      runtimeConfig: running,
      config: running,
      includedPaths: [],
      includeProvenance: [],
      agentRosterIncludeOwned: false,
      bindingsIncludeOwned: false,
      hash: fileHash,
      valid: rejected === undefined,
      issues: rejected?.issues ?? [],
      warnings: loaded.warnings,
      legacyIssues: [],
      configRevisionHash: fileHash,
      appliedConfigHash: loaded.hash,
      running: rejected === undefined ? ("file" as const) : ("last-good" as const),
    };
  },
  "config.set": async ({ raw, baseHash }, { runtime }) => {
    const before = await runtime.configState.refresh();
    refuseWhileFileInvalid(runtime, baseHash);
    return writeResult(before, await runtime.configState.write(restoreSecrets(raw, before), baseHash));
  },
  "config.apply": async ({ raw, baseHash }, { runtime }) => {
    const before = await runtime.configState.refresh();
    refuseWhileFileInvalid(runtime, baseHash);
    return writeResult(before, await runtime.configState.write(restoreSecrets(raw, before), baseHash));
  },
  // A patch is merged into the running config, so it is refused outright while the file on disk is invalid.
  "config.patch": async ({ raw, baseHash, replacePaths }, { runtime }) => {
    const before = await runtime.configState.refresh();
    refuseWhileFileInvalid(runtime);
    const patch = parsePatch(raw);
    const merged = applyConfigMergePatch(readConfigObject(before), patch, { replacePaths });
    const after = await runtime.configState.write(
      `${JSON.stringify(merged, null, 2)}\n`,
      baseHash ?? before.hash,
    );
    return writeResult(before, after);
  },
  "config.schema": () => buildConfigJsonSchema(),
};
