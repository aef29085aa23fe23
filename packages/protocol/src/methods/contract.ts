import type { z } from "zod";
import type { MethodScope } from "../scopes.js";

export interface MethodContract<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** The scope a caller needs. `sessions.patch` raises it to admin for privileged fields (see `requiredScopeFor`). */
  scope: MethodScope;
  params: P;
  result: R;
  /**
   * Set when the feature the method belongs to is not available in this gateway, so the method answers OpenClaw's
   * own empty or "unavailable" shape (a client degrades instead of erroring). Says what the caller gets; the
   * generated compatibility table in the README lists these methods as reported-unsupported.
   */
  unavailable?: string;
}

export function contract<P extends z.ZodType, R extends z.ZodType>(
  scope: MethodScope,
  params: P,
  result: R,
  options: { unavailable?: string } = {},
): MethodContract<P, R> {
  return options.unavailable === undefined
    ? { scope, params, result }
    : { scope, params, result, unavailable: options.unavailable };
}
