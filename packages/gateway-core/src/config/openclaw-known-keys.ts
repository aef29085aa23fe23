import { findUnsupportedKey } from "./unsupported-keys.js";

/** Root keys that carry bookkeeping, not settings, and are kept without comment. */
const SILENT_ROOT_KEYS = new Set(["meta"]);

/** What the report says about one key the schema does not model. */
export interface UnmodelledKeyReport {
  /** Dot path as written (array positions as numbers). */
  path: string;
  /** `unsupported`: an OpenClaw key this gateway does not act on; `unknown`: not a key we know (often a typo). */
  kind: "unsupported" | "unknown";
  /** The sentence logged at start and shown by `openclaw doctor`. */
  message: string;
}

/** Prefix of every report line about an OpenClaw key this gateway does not act on. */
export const NOT_SUPPORTED = "not supported by this gateway";

function bindingMatchKey(segments: readonly string[]): boolean {
  return segments.length === 4 && segments[0] === "bindings" && segments[2] === "match";
}

/**
 * The report for a key the schema does not model, or `undefined` when it deserves none. An OpenClaw key this
 * gateway does not act on says what happens instead; anything else is probably a typo.
 */
export function describeUnmodelledKey(segments: readonly string[]): UnmodelledKeyReport | undefined {
  const path = segments.join(".");
  if (segments.length === 1 && SILENT_ROOT_KEYS.has(path)) return undefined;
  // A match key the router cannot evaluate must not widen the binding to every message of the channel.
  const instead = bindingMatchKey(segments)
    ? "this binding matches no message until the key is removed"
    : findUnsupportedKey(segments);
  if (instead !== undefined) {
    return { path, kind: "unsupported", message: `\`${path}\` is ${NOT_SUPPORTED}: ${instead}` };
  }
  return {
    path,
    kind: "unknown",
    message: `\`${path}\` is not a setting this gateway knows and is ignored (check the spelling)`,
  };
}
