import { isObject } from "./config-draft.js";

const SECRET_KEY = /token|password|secret|apikey|api_key|signingsecret/i;
const ENV_REFERENCE = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

function leaves(value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) into.set(prefix, value);
  return into;
}

function show(path: string, value: unknown): string {
  const key = path.split(".").at(-1) ?? "";
  if (SECRET_KEY.test(key) && typeof value === "string" && !ENV_REFERENCE.test(value))
    return "•••••••• (hidden)";
  return JSON.stringify(value);
}

/** One line per changed value, old → new, secrets masked; empty when nothing changed. */
export function summarizeChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const old = leaves(before, "", new Map());
  const now = leaves(after, "", new Map());
  const lines: string[] = [];
  for (const [path, value] of now) {
    if (!old.has(path)) lines.push(`${path}: ${show(path, value)}`);
    else if (JSON.stringify(old.get(path)) !== JSON.stringify(value)) {
      lines.push(`${path}: ${show(path, old.get(path))} → ${show(path, value)}`);
    }
  }
  for (const path of old.keys()) if (!now.has(path)) lines.push(`${path}: removed`);
  return lines;
}
