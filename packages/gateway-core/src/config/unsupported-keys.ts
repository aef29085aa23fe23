import { AGENT_SETTING_PREFIXES, UNSUPPORTED_AGENT_KEYS } from "./unsupported-keys-agents.js";
import { UNSUPPORTED_BROWSER_KEYS } from "./unsupported-keys-browser.js";
import { UNSUPPORTED_CHANNEL_KEYS } from "./unsupported-keys-channels.js";
import { UNSUPPORTED_GATEWAY_KEYS } from "./unsupported-keys-gateway.js";
import { UNSUPPORTED_RUNTIME_KEYS } from "./unsupported-keys-runtime.js";
import { UNSUPPORTED_SECTIONS } from "./unsupported-keys-sections.js";

/**
 * OpenClaw config keys this gateway does not act on, as `pattern -> what happens instead`. A pattern is a dot path
 * where `*` matches any one key and `[]` any array position (`agents.entries.*.sandbox`, `bindings[].session`).
 * A key the schema models is honoured and never looked up here.
 */
export const UNSUPPORTED_CONFIG_KEYS: Readonly<Record<string, string>> = {
  ...UNSUPPORTED_SECTIONS,
  ...UNSUPPORTED_GATEWAY_KEYS,
  ...UNSUPPORTED_RUNTIME_KEYS,
  ...UNSUPPORTED_CHANNEL_KEYS,
  ...UNSUPPORTED_BROWSER_KEYS,
  ...Object.fromEntries(
    AGENT_SETTING_PREFIXES.flatMap((prefix) =>
      Object.entries(UNSUPPORTED_AGENT_KEYS).map(([key, instead]) => [`${prefix}.${key}`, instead]),
    ),
  ),
};

/**
 * Agent keys read by code outside the config schema (the agent runtime, the heartbeat service, the chat settings),
 * relative to an agent prefix: honoured, although the schema does not list them. The heartbeat service reports
 * the heartbeat keys it does not use itself.
 */
const AGENT_KEYS_READ_ELSEWHERE = [
  "thinkingDefault",
  "systemPrompt",
  "timeoutMs",
  "mediaMaxMb",
  "heartbeat",
  "groupChat.mentionPatterns",
];

/** Other keys read from the raw config by the code that applies them (reply delivery, mention gating). */
const KEYS_READ_ELSEWHERE = ["messages.responsePrefix", "messages.groupChat.mentionPatterns"];

/** Patterns (as in {@link UNSUPPORTED_CONFIG_KEYS}) of keys honoured by code that reads the raw config. */
export const CONFIG_KEYS_READ_ELSEWHERE: readonly string[] = [
  ...KEYS_READ_ELSEWHERE,
  ...AGENT_SETTING_PREFIXES.flatMap((prefix) => AGENT_KEYS_READ_ELSEWHERE.map((key) => `${prefix}.${key}`)),
];

/** Splits a pattern into segments: `agents.list[].x` -> `agents`, `list`, `[]`, `x`. */
export function patternSegments(pattern: string): string[] {
  return pattern.split(".").flatMap((segment) => {
    if (!segment.endsWith("[]") || segment === "[]") return [segment];
    return [segment.slice(0, -2), "[]"];
  });
}

function segmentMatches(pattern: string, segment: string): boolean {
  if (pattern === "*") return true;
  if (pattern === "[]") return /^\d+$/.test(segment);
  return pattern === segment;
}

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  return (
    pattern.length === path.length && pattern.every((part, index) => segmentMatches(part, path[index] ?? ""))
  );
}

const unsupportedPatterns = Object.entries(UNSUPPORTED_CONFIG_KEYS).map(
  ([pattern, instead]) => [patternSegments(pattern), instead] as const,
);
const readElsewherePatterns = CONFIG_KEYS_READ_ELSEWHERE.map(patternSegments);

/** What happens instead of the key at `path`, when it is a catalogued OpenClaw key this gateway does not support. */
export function findUnsupportedKey(path: readonly string[]): string | undefined {
  return unsupportedPatterns.find(([pattern]) => matches(pattern, path))?.[1];
}

/** Whether the catalogue names a key below `path` (so a walker that stops at `path` must look inside it). */
export function hasUnsupportedKeysBelow(path: readonly string[]): boolean {
  return unsupportedPatterns.some(
    ([pattern]) => pattern.length > path.length && matches(pattern.slice(0, path.length), path),
  );
}

/**
 * Whether code outside the schema reads the key at `path`: `"honoured"` when it reads the whole value, `"partly"`
 * when it reads keys below it (so each of its keys needs its own verdict), else `undefined`.
 */
export function readElsewhere(path: readonly string[]): "honoured" | "partly" | undefined {
  if (readElsewherePatterns.some((pattern) => matches(pattern, path))) return "honoured";
  const below = readElsewherePatterns.some(
    (pattern) => pattern.length > path.length && matches(pattern.slice(0, path.length), path),
  );
  return below ? "partly" : undefined;
}
