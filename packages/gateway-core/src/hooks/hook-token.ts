import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HookError } from "./hook-error.js";

/** The 429 for an address with too many failed hook authentications; says when to retry. */
export function rateLimited(retryAfterMs: number): HookError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HookError(
    429,
    "RATE_LIMITED",
    `too many failed hook authentications from this address: fix the hook token and retry after ${seconds}s`,
    { headers: { "retry-after": String(seconds) } },
  );
}

/** The hook token from `Authorization: Bearer` or `x-openclaw-token` (never the query string). */
export function presentedToken(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1]?.trim() : undefined;
  if (bearer) return bearer;
  const header = request.headers["x-openclaw-token"];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value ? value : undefined;
}

/** Compares digests so the comparison takes the same time whatever the lengths. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
