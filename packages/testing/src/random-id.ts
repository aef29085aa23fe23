import { randomBytes } from "node:crypto";

/** Provider-looking ids (`chatcmpl-…`, `resp_…`, `toolu_…`) so clients that inspect prefixes are not surprised. */
export function randomId(prefix: string, length = 24): string {
  return prefix + randomBytes(length).toString("base64url").replace(/[-_]/g, "x").slice(0, length);
}
