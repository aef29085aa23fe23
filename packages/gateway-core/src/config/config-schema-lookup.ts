import type { ConfigSchemaLookupResult } from "@openclaw/protocol";
import type { ConfigUiHint } from "./config-json-schema.js";

/**
 * `config.schema.lookup`, with OpenClaw's meaning: one config path's JSON-schema node (stripped to the keywords a
 * form needs, a few levels deep), its UI hint, its reload kind, and its immediate children. Paths are dotted;
 * `[0]`, `[]` and `[*]` address array items and `*` any record key; "." is the root.
 */

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode | SchemaNode[];
  required?: string[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  [keyword: string]: unknown;
}

const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);
const MAX_SEGMENTS = 32;
const NESTED_DEPTH = 4;
const COMPOSITIONS = ["anyOf", "oneOf", "allOf"] as const;
const KEPT_STRINGS = new Set([
  "$id",
  "$schema",
  "title",
  "description",
  "format",
  "pattern",
  "contentEncoding",
  "contentMediaType",
]);
const KEPT_NUMBERS = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
]);
const KEPT_BOOLEANS = new Set(["additionalProperties", "uniqueItems", "deprecated", "readOnly", "writeOnly"]);

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The record-value schema of an object, if it declares one. zod writes a loose object's "anything else" as `{}`:
 * that declares no child, so an unknown key under it is not found (OpenClaw's schema has no such catch-all).
 */
function recordValues(node: SchemaNode): SchemaNode | undefined {
  const extra = node.additionalProperties;
  return isNode(extra) && Object.keys(extra).length > 0 ? extra : undefined;
}

function normalizePath(path: string): string {
  return path
    .trim()
    .replace(/\[(\*|\d*)\]/g, (_match, segment: string) => `.${segment || "*"}`)
    .replace(/^\.+|\.+$/g, "")
    .replace(/\.+/g, ".");
}

function splitPath(path: string): string[] {
  const normalized = normalizePath(path);
  return normalized ? normalized.split(".").filter(Boolean) : [];
}

function arrayIndex(segment: string): number | undefined {
  return /^(0|[1-9]\d*)$/.test(segment) && Number(segment) <= 100_000 ? Number(segment) : undefined;
}

function itemsOf(node: SchemaNode, index?: number): SchemaNode | undefined {
  if (Array.isArray(node.items)) {
    const entry = index === undefined ? node.items.find(isNode) : node.items[index];
    return isNode(entry) ? entry : undefined;
  }
  return isNode(node.items) ? node.items : undefined;
}

function childSchema(node: SchemaNode, segment: string): SchemaNode | undefined {
  if (FORBIDDEN_SEGMENTS.has(segment)) return undefined;
  if (node.properties && Object.hasOwn(node.properties, segment)) {
    const child = node.properties[segment];
    return isNode(child) ? child : undefined;
  }
  const index = arrayIndex(segment);
  const items = itemsOf(node, index);
  if ((segment === "*" || index !== undefined) && items) return items;
  for (const key of COMPOSITIONS) {
    for (const variant of node[key] ?? []) {
      const found = isNode(variant) ? childSchema(variant, segment) : undefined;
      if (found) return found;
    }
  }
  return recordValues(node);
}

function hasChildren(node: SchemaNode): boolean {
  if (node.properties && Object.keys(node.properties).length > 0) return true;
  if (recordValues(node)) return true;
  if (Array.isArray(node.items)) return node.items.some(isNode);
  for (const key of COMPOSITIONS)
    if (node[key]?.some((entry) => isNode(entry) && hasChildren(entry))) return true;
  return isNode(node.items);
}

function strip(node: SchemaNode, depth = 0): SchemaNode {
  const next: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      (KEPT_STRINGS.has(key) && typeof value === "string") ||
      (KEPT_NUMBERS.has(key) && typeof value === "number") ||
      (KEPT_BOOLEANS.has(key) && typeof value === "boolean")
    ) {
      next[key] = value;
    } else if (key === "type" && (typeof value === "string" || Array.isArray(value))) {
      next.type = Array.isArray(value) ? value.filter((entry) => typeof entry === "string") : value;
    } else if (key === "enum" && Array.isArray(value)) {
      if (value.every((entry) => entry === null || ["string", "number", "boolean"].includes(typeof entry)))
        next.enum = [...value];
    } else if (
      key === "const" &&
      (value === null || ["string", "number", "boolean"].includes(typeof value))
    ) {
      next.const = value;
    }
  }
  const extra = recordValues(node);
  if (node.properties && ((depth > 0 && depth <= NESTED_DEPTH) || extra)) {
    next.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, child]) => [key, strip(child, depth + 1)]),
    );
  }
  if (extra) next.additionalProperties = strip(extra, depth + 1);
  // A `{}` catch-all allows any extra key, which a client reads more plainly as `true`.
  else if (isNode(node.additionalProperties)) next.additionalProperties = true;
  if (Array.isArray(node.items)) next.items = node.items.filter(isNode).map((item) => strip(item, depth + 1));
  else if (isNode(node.items)) next.items = strip(node.items, depth + 1);
  if (depth <= NESTED_DEPTH) {
    for (const key of COMPOSITIONS) {
      const variants = node[key];
      if (Array.isArray(variants))
        next[key] = variants.filter(isNode).map((variant) => strip(variant, depth + 1));
    }
  }
  return next;
}

/** The most specific hint for `path`: exact segments beat `*`, as OpenClaw picks them. */
function hintFor(
  uiHints: Record<string, ConfigUiHint>,
  path: string,
): { path: string; hint: ConfigUiHint } | undefined {
  const target = splitPath(path);
  let best: { path: string; hint: ConfigUiHint; wildcards: number } | undefined;
  for (const [hintPath, hint] of Object.entries(uiHints)) {
    const parts = splitPath(hintPath);
    if (parts.length !== target.length) continue;
    let wildcards = 0;
    const matches = parts.every((part, index) => {
      if (part === target[index]) return true;
      if (part === "*") wildcards += 1;
      return part === "*";
    });
    if (matches && (best === undefined || wildcards < best.wildcards))
      best = { path: hintPath, hint, wildcards };
  }
  return best && { path: best.path, hint: best.hint };
}

/** Undefined when the path names nothing in the schema (OpenClaw: "config schema path not found"). */
export function lookupConfigSchema(
  response: { schema: unknown; uiHints: Record<string, ConfigUiHint> },
  path: string,
  reloadKind: (path: string) => "restart" | "hot" | "none",
): ConfigSchemaLookupResult | undefined {
  const wantsRoot = path.trim() === ".";
  const normalized = normalizePath(path);
  const parts = splitPath(normalized);
  if ((!wantsRoot && parts.length === 0) || parts.length > MAX_SEGMENTS) return undefined;
  let current = isNode(response.schema) ? response.schema : undefined;
  for (const segment of parts) current = current && childSchema(current, segment);
  if (!current) return undefined;
  const node = current;
  const children: ConfigSchemaLookupResult["children"] = [];
  const required = new Set(node.required ?? []);
  const pushChild = (key: string, child: SchemaNode, isRequired: boolean) => {
    const childPath = normalized ? `${normalized}.${key}` : key;
    const hint = hintFor(response.uiHints, childPath);
    children.push({
      key,
      path: childPath,
      ...(child.type === undefined ? {} : { type: child.type }),
      required: isRequired,
      hasChildren: hasChildren(child),
      reloadKind: reloadKind(childPath),
      ...(hint ? { hint: hint.hint, hintPath: hint.path } : {}),
    });
  };
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (isNode(child)) pushChild(key, child, required.has(key));
  }
  const wildcard = recordValues(node) ?? itemsOf(node);
  if (wildcard) pushChild("*", wildcard, false);
  const hint = hintFor(response.uiHints, normalized);
  return {
    path: wantsRoot ? "." : normalized,
    schema: strip(node),
    ...(wantsRoot ? {} : { reloadKind: reloadKind(normalized) }),
    ...(hint ? { hint: hint.hint, hintPath: hint.path } : {}),
    children,
  };
}
