import { z } from "zod";

export const OPERATOR_SCOPES = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.approvals",
  "operator.pairing",
  // OpenClaw's scope for agent questions (`question.*`); its Control UI asks for it when it connects.
  "operator.questions",
] as const;
export const OperatorScopeSchema = z.enum(OPERATOR_SCOPES);
export type OperatorScope = z.infer<typeof OperatorScopeSchema>;

/**
 * The one scope a `node` connection holds: it satisfies only the methods a node calls (`node.invoke.result`,
 * `node.invoke.progress`, `node.event`), and no operator scope satisfies it.
 */
export const NODE_SCOPE = "node";
/** What a method contract may require: an operator scope, or the node role's own scope. */
export type MethodScope = OperatorScope | typeof NODE_SCOPE;

export const ROLES = ["operator"] as const;
export type Role = (typeof ROLES)[number];

/**
 * True when a connection holding `granted` may call a method that needs `required`.
 * `operator.admin` satisfies every operator scope; `operator.write` also satisfies `operator.read`.
 */
export function scopeSatisfies(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  if (granted.includes("operator.admin") && required.startsWith("operator.")) return true;
  return required === "operator.read" && granted.includes("operator.write");
}

/**
 * The scopes a connection really gets: what it asked for, cut down to what its credential was granted.
 * A client that asks for nothing gets the whole grant. A client can never add a scope by declaring it.
 */
export function grantScopes(requested: readonly string[] | undefined, granted: readonly string[]): string[] {
  if (requested === undefined || requested.length === 0) return [...granted];
  return [...new Set(requested.filter((scope) => scopeSatisfies(granted, scope)))];
}
