import JSON5 from "json5";
import { ConfigError } from "./config-error.js";
import { OpenClawConfigSchema } from "./config-schema.js";
import { schemaAtPath } from "./config-schema-walk.js";
import { isPlainObject, setOwn } from "./plain-object.js";

/** One step of a config path: a key, or an index written in brackets (`list[0]`). */
export interface ConfigPathSegment {
  key: string;
  bracketIndex: boolean;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function invalidPath(path: string, why: string): ConfigError {
  return new ConfigError("CONFIG_INVALID", `config path "${path}" is not valid: ${why}`, {
    issues: [{ path, message: why }],
  });
}

/**
 * Splits `gateway.auth.mode`, `agents.list[0].id`, `agents.list.0.id` or `models["provider/model.v1"].alias` into
 * segments. Throws `CONFIG_INVALID` for an empty or malformed path.
 */
export function parseConfigPath(path: string): ConfigPathSegment[] {
  const segments: ConfigPathSegment[] = [];
  let index = 0;
  let expectKey = true;
  while (index < path.length) {
    const char = path[index];
    if (char === "[") {
      const close = path.indexOf("]", index);
      if (close === -1) throw invalidPath(path, `"[" at position ${index} is never closed`);
      const inner = path.slice(index + 1, close).trim();
      if (/^\d+$/.test(inner)) segments.push({ key: inner, bracketIndex: true });
      else if (/^(["']).*\1$/.test(inner)) segments.push({ key: inner.slice(1, -1), bracketIndex: false });
      else throw invalidPath(path, `expected a number or a quoted key inside [], got "${inner}"`);
      index = close + 1;
      expectKey = false;
      continue;
    }
    if (char === ".") {
      if (expectKey) throw invalidPath(path, `empty segment at position ${index}`);
      index += 1;
      expectKey = true;
      continue;
    }
    if (!expectKey) throw invalidPath(path, `expected "." or "[" at position ${index}`);
    let end = index;
    while (end < path.length && path[end] !== "." && path[end] !== "[") end += 1;
    segments.push({ key: path.slice(index, end), bracketIndex: false });
    index = end;
    expectKey = false;
  }
  if (segments.length === 0 || expectKey) throw invalidPath(path, "it is empty or ends with a dot");
  for (const segment of segments) {
    if (FORBIDDEN_KEYS.has(segment.key))
      throw invalidPath(path, `"${segment.key}" cannot be used as a config key`);
  }
  return segments;
}

function childOf(container: unknown, key: string): unknown {
  if (Array.isArray(container)) return /^\d+$/.test(key) ? container[Number(key)] : undefined;
  if (isPlainObject(container) && Object.hasOwn(container, key)) return container[key];
  return undefined;
}

/** Reads the value at a config path (see {@link parseConfigPath}); `undefined` when any step is missing. */
export function getConfigValue(config: unknown, path: string): unknown {
  let current = config;
  for (const segment of parseConfigPath(path)) {
    current = childOf(current, segment.key);
    if (current === undefined) return undefined;
  }
  return current;
}

function copyContainer(value: unknown, wantArray: boolean): Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return [...value];
  if (isPlainObject(value)) return { ...value };
  return wantArray ? [] : {};
}

function writeChild(
  container: Record<string, unknown> | unknown[],
  segment: ConfigPathSegment,
  value: unknown,
  path: string,
): void {
  if (Array.isArray(container)) {
    if (!/^\d+$/.test(segment.key)) throw invalidPath(path, `"${segment.key}" is not an index into an array`);
    const position = Number(segment.key);
    if (position > container.length) {
      throw invalidPath(path, `index ${position} is past the end of an array of ${container.length}`);
    }
    container[position] = value;
    return;
  }
  setOwn(container, segment.key, value);
}

/**
 * Returns a copy of `config` with `value` at `path`, creating missing objects on the way (an array where the next
 * step is a bracketed index). An index may append (`list[2]` of a 2-item list) but not leave a gap. The input is not
 * modified.
 */
export function setConfigValue(
  config: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const segments = parseConfigPath(path);
  const root = { ...config };
  let container: Record<string, unknown> | unknown[] = root;
  for (const [position, segment] of segments.entries()) {
    const next = segments[position + 1];
    if (!next) {
      writeChild(container, segment, value, path);
      break;
    }
    const child = copyContainer(childOf(container, segment.key), next.bracketIndex);
    writeChild(container, segment, child, path);
    container = child;
  }
  return root;
}

/**
 * Returns a copy of `config` without the value at `path` (array items are spliced out). A missing path gives an
 * unchanged copy.
 */
export function unsetConfigValue(config: Record<string, unknown>, path: string): Record<string, unknown> {
  const segments = parseConfigPath(path);
  const parentPath = segments.slice(0, -1);
  const last = segments.at(-1) as ConfigPathSegment;
  let parent: unknown = config;
  for (const segment of parentPath) parent = childOf(parent, segment.key);
  if (childOf(parent, last.key) === undefined) return { ...config };
  const root = { ...config };
  let container: Record<string, unknown> | unknown[] = root;
  for (const segment of parentPath) {
    const child = copyContainer(childOf(container, segment.key), false);
    writeChild(container, segment, child, path);
    container = child;
  }
  if (Array.isArray(container)) container.splice(Number(last.key), 1);
  else delete container[last.key];
  return root;
}

/**
 * Reads a value typed on the command line (`openclaw config set <path> <value>`): a JSON5 literal when it is one
 * (`18789`, `true`, `null`, `["a"]`, `{ enabled: true }`, `"quoted"`), otherwise the text itself. Non-finite
 * numbers (`Infinity`, `NaN`) stay text, since JSON cannot store them. With `path`, a setting that takes text keeps
 * the text: `gateway.auth.token 123456` stores the string "123456", not a number.
 */
export function parseConfigValueLiteral(text: string, o: { path?: string } = {}): unknown {
  let value: unknown;
  try {
    value = JSON5.parse(text);
  } catch {
    return text;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return text;
  if (o.path !== undefined && typeof value !== "string" && prefersText(o.path, text, value)) return text;
  return value;
}

function prefersText(path: string, text: string, value: unknown): boolean {
  const schema = schemaAtPath(
    OpenClawConfigSchema,
    parseConfigPath(path).map((segment) => segment.key),
  );
  if (!schema) return false;
  return schema.safeParse(text).success && !schema.safeParse(value).success;
}
