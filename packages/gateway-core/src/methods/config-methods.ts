import { ErrorDetailCodes, GatewayError, scopeSatisfies } from "@openclaw/protocol";
import JSON5 from "json5";
import {
  applyConfigMergePatch,
  buildConfigJsonSchema,
  type LoadedConfig,
  REDACTED_SECRET,
  redactConfig,
  restoreRedactedSecrets,
  validateConfigText,
} from "../config/index.js";
import type { GatewayRuntime } from "../server/gateway-runtime.js";
import type { MethodHandlers } from "../server/method-registry.js";

/** Settings that only take effect when the listener is recreated. */
const RESTART_PATHS = ["port", "bind", "customBindHost", "tls"] as const;

/** The file's own content as an object (no defaults applied), `{}` when there is no file yet. */
export function readConfigObject(loaded: LoadedConfig): Record<string, unknown> {
  if (!loaded.exists || loaded.raw.trim() === "") return {};
  const value: unknown = JSON5.parse(loaded.raw);
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Applies `mutate` to the config file's object and writes it back, guarded against concurrent edits. */
export async function editConfigFile(
  runtime: GatewayRuntime,
  mutate: (config: Record<string, unknown>) => void,
): Promise<LoadedConfig> {
  const current = await runtime.configState.refresh();
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
  "config.get": async (_params, { runtime, scopes }) => {
    const loaded = await runtime.configState.refresh();
    const validation = loaded.exists ? validateConfigText(loaded.raw, loaded.path) : undefined;
    // Only an admin sees the file verbatim; everyone else gets it with every secret redacted.
    const raw = scopeSatisfies(scopes, "operator.admin")
      ? loaded.raw
      : loaded.exists
        ? `${JSON.stringify(redactConfig(readConfigObject(loaded)), null, 2)}\n`
        : "";
    return {
      path: loaded.path,
      exists: loaded.exists,
      raw,
      config: redactConfig(loaded.config),
      hash: loaded.hash,
      valid: validation ? validation.ok : true,
      issues: validation && !validation.ok ? validation.issues : [],
      warnings: loaded.warnings,
    };
  },
  "config.set": async ({ raw, baseHash }, { runtime }) => {
    const before = await runtime.configState.refresh();
    return writeResult(before, await runtime.configState.write(restoreSecrets(raw, before), baseHash));
  },
  "config.apply": async ({ raw, baseHash }, { runtime }) => {
    const before = await runtime.configState.refresh();
    return writeResult(before, await runtime.configState.write(restoreSecrets(raw, before), baseHash));
  },
  "config.patch": async ({ raw, baseHash, replacePaths }, { runtime }) => {
    const before = await runtime.configState.refresh();
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
