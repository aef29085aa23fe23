import { ConfigError, type ConfigIssue } from "./config-error.js";
import { isPlainObject, setOwn } from "./plain-object.js";

interface MergeContext {
  replacePaths: ReadonlySet<string>;
  issues: ConfigIssue[];
}

/** Key-order-independent text of a JSON value, to tell whether an array entry survives a replacement. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

function isIdArray(value: unknown): value is Record<string, unknown>[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => isPlainObject(item) && typeof item.id === "string")
  );
}

function refuseArrayLoss(path: string, ctx: MergeContext): void {
  if (ctx.replacePaths.has(path)) return;
  ctx.issues.push({
    path,
    message: `this patch would remove entries from the array: add "${path}" to replacePaths if that is intended`,
  });
}

/** Every array that disappears with `value` must be named in replacePaths; arrays inside array items do not count. */
function guardRemoval(value: unknown, path: string[], ctx: MergeContext): void {
  if (Array.isArray(value)) {
    refuseArrayLoss(path.join("."), ctx);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) guardRemoval(item, [...path, key], ctx);
}

function countEntries(items: readonly unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = canonicalJson(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function dropsEntries(before: readonly unknown[], after: readonly unknown[]): boolean {
  const remaining = countEntries(after);
  for (const [key, count] of countEntries(before)) {
    if ((remaining.get(key) ?? 0) < count) return true;
  }
  return false;
}

/** Path of the fields inside id-merged entries: `models.providers.custom.models[].input`. */
function itemPath(path: string[]): string[] {
  return [...path.slice(0, -1), `${path.at(-1) ?? ""}[]`];
}

function mergeById(
  base: Record<string, unknown>[],
  patch: Record<string, unknown>[],
  path: string[],
  ctx: MergeContext,
): unknown[] {
  const out: unknown[] = [...base];
  for (const entry of patch) {
    const position = out.findIndex((item) => isPlainObject(item) && item.id === entry.id);
    const existing = position === -1 ? {} : (out[position] as Record<string, unknown>);
    const merged = mergeObject(existing, entry, itemPath(path), ctx);
    if (position === -1) out.push(merged);
    else out[position] = merged;
  }
  return out;
}

function mergeValue(base: unknown, patch: unknown, path: string[], ctx: MergeContext): unknown {
  const dotted = path.join(".");
  if (isPlainObject(patch)) {
    if (base !== undefined && !isPlainObject(base)) guardRemoval(base, path, ctx);
    return mergeObject(isPlainObject(base) ? base : {}, patch, path, ctx);
  }
  if (Array.isArray(patch) && Array.isArray(base)) {
    const replace = ctx.replacePaths.has(dotted);
    if (!replace && isIdArray(base) && isIdArray(patch)) return mergeById(base, patch, path, ctx);
    if (!replace && dropsEntries(base, patch)) refuseArrayLoss(dotted, ctx);
    return structuredClone(patch);
  }
  if (base !== undefined) guardRemoval(base, path, ctx);
  return structuredClone(patch);
}

function mergeObject(
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
  path: string[],
  ctx: MergeContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const childPath = [...path, key];
    if (key === "__proto__") {
      ctx.issues.push({ path: childPath.join("."), message: '"__proto__" cannot be used as a config key' });
      continue;
    }
    const current = Object.hasOwn(base, key) ? base[key] : undefined;
    if (value === null) {
      if (current !== undefined) guardRemoval(current, childPath, ctx);
      delete out[key];
      continue;
    }
    setOwn(out, key, mergeValue(current, value, childPath, ctx));
  }
  return out;
}

/**
 * Applies a JSON merge patch (RFC 7386) the way OpenClaw's `config.patch` does: objects merge key by key, `null`
 * deletes, anything else replaces. Arrays get two guards so that a patch built from a truncated snapshot cannot
 * silently clobber allowlists or rosters:
 * - arrays whose entries all carry a string `id` (e.g. `agents.list`) merge entry by entry, matched on `id`;
 * - a patch that would drop entries from an array, delete an array, or delete an object containing arrays is
 *   refused unless each affected array's exact path is in `replacePaths` (id-merged entries' arrays use `[]`, as in
 *   `agents.list[].skills`). A listed path also switches id-merging off: the patch's array replaces as given.
 *
 * Returns a new object; `base` is not modified. Throws `CONFIG_INVALID` listing every refused path.
 */
export function applyConfigMergePatch(
  base: Record<string, unknown>,
  patch: unknown,
  o: { replacePaths?: string[] } = {},
): Record<string, unknown> {
  if (!isPlainObject(patch)) {
    const message = "a config patch must be an object such as { gateway: { port: 18790 } }";
    throw new ConfigError("CONFIG_INVALID", message, { issues: [{ path: "", message }] });
  }
  const ctx: MergeContext = { replacePaths: new Set(o.replacePaths ?? []), issues: [] };
  const merged = mergeObject(base, patch, [], ctx);
  if (ctx.issues.length > 0) {
    throw new ConfigError(
      "CONFIG_INVALID",
      ctx.issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n"),
      { issues: ctx.issues },
    );
  }
  return merged;
}
