import { describe, expect, it } from "vitest";
import { CONTROL_UI_SCOPES, hasScope } from "./control-ui-scopes.js";

describe("Control UI scopes", () => {
  it("asks for approvals and pairing besides the everyday scopes", () => {
    expect(CONTROL_UI_SCOPES).toEqual(
      expect.arrayContaining(["operator.read", "operator.write", "operator.approvals", "operator.pairing"]),
    );
  });

  it("follows the gateway's rule: admin covers everything, write covers read", () => {
    expect(hasScope(["operator.admin"], "operator.pairing")).toBe(true);
    expect(hasScope(["operator.write"], "operator.read")).toBe(true);
    expect(hasScope(["operator.write"], "operator.approvals")).toBe(false);
    expect(hasScope(["operator.approvals"], "operator.approvals")).toBe(true);
    expect(hasScope([], "operator.read")).toBe(false);
  });
});
