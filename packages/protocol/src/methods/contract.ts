import type { z } from "zod";
import type { OperatorScope } from "../scopes.js";

export interface MethodContract<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** The scope a caller needs. `sessions.patch` raises it to admin for privileged fields (see `requiredScopeFor`). */
  scope: OperatorScope;
  params: P;
  result: R;
}

export function contract<P extends z.ZodType, R extends z.ZodType>(
  scope: OperatorScope,
  params: P,
  result: R,
): MethodContract<P, R> {
  return { scope, params, result };
}
