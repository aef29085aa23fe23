import { redactConfig } from "@openclaw/gateway";
import { isObject } from "./config-draft.js";

const HIDDEN = "•••••••• (hidden)";

function leaves(value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) into.set(prefix, value);
  return into;
}

/**
 * The value as the summary prints it: hidden where gateway-core's `redactConfig` (the rule `config get` and the
 * Control UI follow) would redact it; env references and SecretRefs reveal nothing and are shown.
 */
function shower(document: Record<string, unknown>): (path: string, value: unknown) => string {
  const redacted = leaves(redactConfig(document), "", new Map());
  return (path, value) =>
    JSON.stringify(redacted.get(path)) === JSON.stringify(value) ? JSON.stringify(value) : HIDDEN;
}

/** One line per changed value, old → new, secrets masked; empty when nothing changed. */
export function summarizeChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const old = leaves(before, "", new Map());
  const now = leaves(after, "", new Map());
  const showOld = shower(before);
  const showNow = shower(after);
  const lines: string[] = [];
  for (const [path, value] of now) {
    if (!old.has(path)) lines.push(`${path}: ${showNow(path, value)}`);
    else if (JSON.stringify(old.get(path)) !== JSON.stringify(value)) {
      lines.push(`${path}: ${showOld(path, old.get(path))} → ${showNow(path, value)}`);
    }
  }
  for (const path of old.keys()) if (!now.has(path)) lines.push(`${path}: removed`);
  return lines;
}
