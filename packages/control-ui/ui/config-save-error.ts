import { GatewayError } from "@openclaw/client";

export interface ConfigIssue {
  path: string;
  message: string;
}

export type ConfigSaveFailure =
  | { kind: "invalid"; message: string; issues: ConfigIssue[] }
  | { kind: "conflict"; message: string }
  | { kind: "other"; message: string };

/** Sorts a failed `config.set` into what the config screen shows: inline issues, a reload prompt, or a message. */
export function describeConfigSaveError(error: unknown): ConfigSaveFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof GatewayError)) return { kind: "other", message };
  // The file on disk broke after this editor loaded it: reloading shows the broken file, which can then be fixed.
  if (error.detailCode === "CONFIG_CONFLICT" || error.detailCode === "CONFIG_FILE_INVALID") {
    return { kind: "conflict", message };
  }
  if (error.detailCode === "CONFIG_INVALID") {
    return { kind: "invalid", message, issues: parseIssues(error.details?.issues) };
  }
  return { kind: "other", message };
}

function parseIssues(value: unknown): ConfigIssue[] {
  if (!Array.isArray(value)) return [];
  const issues: ConfigIssue[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null) continue;
    const { path, message } = item as Record<string, unknown>;
    if (typeof message !== "string") continue;
    issues.push({ path: typeof path === "string" && path !== "" ? path : "(root)", message });
  }
  return issues;
}
