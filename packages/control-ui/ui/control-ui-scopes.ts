/**
 * What the Control UI asks for when it connects. The gateway grants the intersection with what the credential
 * allows, so asking costs nothing; but a scope left out here is never granted, even to a full-power token, and the
 * Approvals screen needs `operator.approvals` and `operator.pairing` besides the everyday ones.
 */
export const CONTROL_UI_SCOPES = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.approvals",
  "operator.pairing",
] as const;

export type ControlUiScope = (typeof CONTROL_UI_SCOPES)[number];

/**
 * True when a connection granted `granted` may use `scope`: mirrors the gateway's rule, where `operator.admin`
 * covers every operator scope and `operator.write` covers `operator.read`.
 */
export function hasScope(granted: readonly string[], scope: ControlUiScope): boolean {
  if (granted.includes(scope) || granted.includes("operator.admin")) return true;
  return scope === "operator.read" && granted.includes("operator.write");
}
