import { createHash } from "node:crypto";
import JSON5 from "json5";
import { z } from "zod";
import { ConfigError, type ConfigIssue } from "./config-error.js";
import { configErrorMap, toConfigIssues } from "./config-issues.js";
import { getConfigValue } from "./config-path.js";
import { isSecretKey } from "./config-redaction.js";
import { type OpenClawConfig, OpenClawConfigSchema } from "./config-schema.js";
import { findUnmodelledKeyReports, schemaAtPath, unwrapSchema } from "./config-schema-walk.js";
import type { UnmodelledKeyReport } from "./openclaw-known-keys.js";
import { isPlainObject } from "./plain-object.js";

/** The identity of a config text: SHA-256 of its UTF-8 bytes, lowercase hex. `config.*` writers pass it as `baseHash`. */
export function hashConfigText(raw: string): string {
  return createHash("sha256").update(raw, "utf8").digest("hex");
}

let cachedDefaults: OpenClawConfig | undefined;

/** The config a missing or empty file stands for: every default applied. */
export function defaultConfig(): OpenClawConfig {
  cachedDefaults ??= OpenClawConfigSchema.parse({});
  return structuredClone(cachedDefaults);
}

interface JsonSyntaxError extends SyntaxError {
  lineNumber?: number;
  columnNumber?: number;
}

/** Parses JSON5 text into the root object. An empty file is an empty config, as if the file were missing. */
export function readConfigDocument(
  raw: string,
  filePath: string,
): { document: Record<string, unknown>; warnings: string[] } {
  const text = raw.replace(/^\uFEFF/, "");
  if (text.trim() === "") return { document: {}, warnings: [`${filePath} is empty; using the defaults`] };
  let value: unknown;
  try {
    value = JSON5.parse(text);
  } catch (error) {
    const syntax = error as JsonSyntaxError;
    const where =
      syntax.lineNumber === undefined ? "" : ` at line ${syntax.lineNumber}, column ${syntax.columnNumber}`;
    const reason = syntax.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    throw new ConfigError(
      "CONFIG_PARSE",
      `${filePath} is not valid JSON5${where}: ${reason} — fix the syntax (comments and trailing commas are fine)`,
      { filePath, issues: [{ path: "", message: `not valid JSON5${where}: ${reason}` }], cause: error },
    );
  }
  if (!isPlainObject(value)) {
    const message = "the config must be an object such as { gateway: { port: 18789 } }";
    throw new ConfigError("CONFIG_INVALID", `${filePath}: ${message}`, {
      filePath,
      issues: [{ path: "", message }],
    });
  }
  return { document: value, warnings: [] };
}

function findForbiddenKeys(value: unknown, path: string[] = []): ConfigIssue[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => findForbiddenKeys(item, [...path, `${index}`]));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === "__proto__"
      ? [{ path: [...path, key].join("."), message: '"__proto__" cannot be used as a config key: remove it' }]
      : findForbiddenKeys(item, [...path, key]),
  );
}

function exampleValueFor(path: string): string | undefined {
  const segments = path.split(".");
  const last = segments.at(-1) ?? "";
  if (path === "" || isSecretKey(last) || segments.includes("__proto__")) return undefined;
  let example = getConfigValue(defaultConfig(), path);
  if (example === undefined) {
    const schema = schemaAtPath(OpenClawConfigSchema, segments);
    const core = schema ? unwrapSchema(schema) : undefined;
    if (core instanceof z.ZodEnum) example = core.options[0];
  }
  if (typeof example === "number" || typeof example === "boolean") return String(example);
  if (typeof example !== "string" || example === "") return undefined;
  return /^[\w./:@-]+$/.test(example) ? example : `'${JSON.stringify(example)}'`;
}

/** One line per issue, each naming the path, the problem and how to fix it. */
export function describeConfigIssues(issues: readonly ConfigIssue[], filePath: string): string {
  return issues
    .map((issue) => {
      const where = issue.path === "" ? filePath : issue.path;
      const example = exampleValueFor(issue.path);
      const fix =
        example === undefined
          ? `fix it in ${filePath}`
          : `fix it in ${filePath} or run \`openclaw config set ${issue.path} ${example}\``;
      return `${where}: ${issue.message} — ${fix}`;
    })
    .join("\n");
}

/**
 * Validates a parsed document against {@link OpenClawConfigSchema}. Returns the config with defaults applied and
 * a warning for each key the gateway does not model (kept as written; `keyReports` holds the same, structured), or
 * throws `CONFIG_INVALID`.
 */
export function checkConfigDocument(
  document: Record<string, unknown>,
  filePath: string,
): { config: OpenClawConfig; warnings: string[]; keyReports: UnmodelledKeyReport[] } {
  const forbidden = findForbiddenKeys(document);
  const result = OpenClawConfigSchema.safeParse(document, { reportInput: true, error: configErrorMap });
  const issues = [...forbidden, ...(result.success ? [] : toConfigIssues(result.error.issues))];
  if (!result.success || issues.length > 0) {
    throw new ConfigError("CONFIG_INVALID", describeConfigIssues(issues, filePath), { filePath, issues });
  }
  const keyReports = findUnmodelledKeyReports(document, OpenClawConfigSchema);
  return { config: result.data, warnings: keyReports.map((report) => report.message), keyReports };
}

/**
 * Parses and validates config text (JSON5). Returns the config with defaults applied and warnings for kept-but-unused
 * keys. Throws a {@link ConfigError}: `CONFIG_PARSE` for bad syntax, `CONFIG_INVALID` for bad values, with `issues`.
 */
export function parseConfigText(
  raw: string,
  path: string,
): { config: OpenClawConfig; warnings: string[]; keyReports: UnmodelledKeyReport[] } {
  const { document, warnings } = readConfigDocument(raw, path);
  const checked = checkConfigDocument(document, path);
  return {
    config: checked.config,
    warnings: [...warnings, ...checked.warnings],
    keyReports: checked.keyReports,
  };
}

/** Like {@link parseConfigText}, but returns the issues instead of throwing (for `config validate` and writers). */
export function validateConfigText(
  raw: string,
  path: string,
):
  | { ok: true; config: OpenClawConfig; warnings: string[]; keyReports: UnmodelledKeyReport[] }
  | { ok: false; issues: ConfigIssue[] } {
  try {
    return { ok: true, ...parseConfigText(raw, path) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, issues: error.issues };
    throw error;
  }
}
