import { z } from "zod";
import { isSecretKey } from "./config-redaction.js";
import { OpenClawConfigSchema } from "./config-schema.js";

/** Presentation metadata for one config path, as the Control UI's config form reads it. */
export interface ConfigUiHint {
  label?: string;
  help?: string;
  group?: string;
  order?: number;
  advanced?: boolean;
  sensitive?: boolean;
  placeholder?: string;
}

/** Bumped whenever the shape of {@link OpenClawConfigSchema} changes in a way a client could notice. */
export const CONFIG_SCHEMA_VERSION = "1";

/**
 * Settings shown before the "Advanced" fold. A path without an entry inherits its nearest ancestor's tier; a path
 * with none is advanced, as in OpenClaw.
 */
const COMMON_PATHS = new Set([
  "gateway.mode",
  "gateway.port",
  "gateway.bind",
  "gateway.auth.mode",
  "gateway.auth.token",
  "gateway.auth.password",
  "gateway.tailscale.mode",
  "gateway.controlUi.enabled",
  "gateway.http.endpoints.chatCompletions.enabled",
  "gateway.http.endpoints.responses.enabled",
  "agents.defaults.workspace",
  "agents.defaults.model",
  "agents.list",
  "session.dmScope",
  "logging.level",
]);

const GROUP_ORDER = ["gateway", "agents", "session", "logging"];

const PLACEHOLDERS: Record<string, string> = {
  "gateway.customBindHost": "192.168.1.10",
  "gateway.auth.token": "64 hex characters (generated when unset)",
  "gateway.controlUi.basePath": "/openclaw",
  "gateway.controlUi.allowedOrigins": "https://control.example.com",
  "gateway.trustedProxies": "10.0.0.1",
  "agents.defaults.workspace": "~/.openclaw/workspace",
  "agents.defaults.model": "anthropic/claude-sonnet-4-5",
  "logging.file": "/tmp/openclaw/openclaw.log",
};

interface JsonSchemaNode {
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
}

function humanize(key: string): string {
  const words = key.replace(/\[\]$/, "").replace(/([a-z0-9])([A-Z])/g, "$1 $2");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function collectHints(
  node: JsonSchemaNode,
  path: string[],
  inheritedCommon: boolean,
  order: { next: number },
  hints: Record<string, ConfigUiHint>,
): void {
  const visit = (child: JsonSchemaNode, childPath: string[], key: string) => {
    const dotted = childPath.join(".");
    const common = COMMON_PATHS.has(dotted) || inheritedCommon;
    const group = childPath[0] ?? key;
    const hint: ConfigUiHint = {
      label: child.title ?? humanize(key),
      group: humanize(group),
      order: order.next++,
      advanced: !common,
    };
    if (child.description) hint.help = child.description;
    if (isSecretKey(key)) hint.sensitive = true;
    const placeholder = PLACEHOLDERS[dotted];
    if (placeholder) hint.placeholder = placeholder;
    hints[dotted] = hint;
    collectHints(child, childPath, common, order, hints);
  };
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (path.length === 0 && key === "$schema") continue;
    visit(child, [...path, key], key);
  }
  const last = path.at(-1);
  if (node.items?.properties && last !== undefined) {
    collectHints(node.items, [...path.slice(0, -1), `${last}[]`], inheritedCommon, order, hints);
  }
  const extra = node.additionalProperties;
  if (typeof extra === "object" && extra.properties)
    collectHints(extra, [...path, "*"], inheritedCommon, order, hints);
}

/**
 * The JSON Schema of `openclaw.json` (generated from {@link OpenClawConfigSchema} by zod, input side: defaulted
 * fields are optional and carry their `default`), plus `uiHints` keyed by dot path (`[]` for array items, `*` for
 * record values) with label, help, group, order, the advanced tier, placeholders, and `sensitive` on every secret.
 * `version` is {@link CONFIG_SCHEMA_VERSION} unless the caller names its own (e.g. the gateway's version).
 */
export function buildConfigJsonSchema(o: { version?: string; now?: Date } = {}): {
  schema: unknown;
  uiHints: Record<string, ConfigUiHint>;
  version: string;
  generatedAt: string;
} {
  const schema = z.toJSONSchema(OpenClawConfigSchema, { io: "input", unrepresentable: "any" });
  const root = schema as JsonSchemaNode;
  const sorted: JsonSchemaNode = {
    properties: Object.fromEntries(
      Object.entries(root.properties ?? {}).sort(([a], [b]) => rank(a) - rank(b)),
    ),
  };
  const uiHints: Record<string, ConfigUiHint> = {};
  collectHints(sorted, [], false, { next: 0 }, uiHints);
  return {
    schema,
    uiHints,
    version: o.version ?? CONFIG_SCHEMA_VERSION,
    generatedAt: (o.now ?? new Date()).toISOString(),
  };
}

function rank(section: string): number {
  const position = GROUP_ORDER.indexOf(section);
  return position === -1 ? GROUP_ORDER.length : position;
}
