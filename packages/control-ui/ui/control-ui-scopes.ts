import { OPERATOR_SCOPES, type OperatorScope, scopeSatisfies } from "@openclaw/protocol";

/**
 * What the Control UI asks for when it connects: every operator scope. The gateway grants the intersection with
 * what the credential allows, so asking costs nothing; but a scope left out here is never granted, even to a
 * full-power token, and the Approvals screen needs `operator.approvals` and `operator.pairing`.
 */
export const CONTROL_UI_SCOPES = OPERATOR_SCOPES;

export type ControlUiScope = OperatorScope;

/** True when a connection granted `granted` may use `scope`, by the gateway's own rule (`scopeSatisfies`). */
export function hasScope(granted: readonly string[], scope: ControlUiScope): boolean {
  return scopeSatisfies(granted, scope);
}
