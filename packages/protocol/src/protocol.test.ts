import { describe, expect, it } from "vitest";
import { GatewayError } from "./errors.js";
import { parseInboundRequest } from "./frames.js";
import { requiredScopeFor } from "./methods/contracts.js";
import {
  QR_DATA_URL_MAX_LENGTH,
  WebLoginStartParamsSchema,
  WebLoginWaitParamsSchema,
} from "./methods/web-login.js";
import { grantScopes, scopeSatisfies } from "./scopes.js";

function inboundError(text: string): GatewayError {
  try {
    parseInboundRequest(text);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe("parseInboundRequest", () => {
  it("reads a v4 request frame", () => {
    expect(parseInboundRequest('{"type":"req","id":"1","method":"health","params":{}}')).toEqual({
      id: "1",
      method: "health",
      params: {},
      simplified: false,
    });
  });

  it("reads the quickstart's simplified frame with and without an id", () => {
    expect(parseInboundRequest('{"method":"sessions.list","params":{"includeGlobal":true}}')).toEqual({
      id: undefined,
      method: "sessions.list",
      params: { includeGlobal: true },
      simplified: true,
    });
    expect(parseInboundRequest('{"id":7,"method":"health"}').id).toBe("7");
  });

  it("rejects malformed JSON, non-objects and frames without a method, keeping the id", () => {
    expect(inboundError("{nope").detailCode).toBe("INVALID_JSON");
    expect(inboundError("[1,2]").detailCode).toBe("INVALID_FRAME");
    const missingMethod = inboundError('{"type":"req","id":"9"}');
    expect(missingMethod.code).toBe("INVALID_REQUEST");
    expect(missingMethod.details?.id).toBe("9");
    expect(inboundError('{"type":"req","method":"health"}').detailCode).toBe("INVALID_FRAME");
    expect(inboundError('{"type":"res","id":"1","ok":true}').detailCode).toBe("INVALID_FRAME");
  });
});

describe("scopes", () => {
  it("lets admin satisfy everything and write satisfy read", () => {
    expect(scopeSatisfies(["operator.admin"], "operator.pairing")).toBe(true);
    expect(scopeSatisfies(["operator.write"], "operator.read")).toBe(true);
    expect(scopeSatisfies(["operator.read"], "operator.write")).toBe(false);
    expect(scopeSatisfies(["operator.write"], "operator.admin")).toBe(false);
  });

  it("never grants more than the credential allows, whatever the client declares", () => {
    expect(grantScopes(["operator.admin", "operator.read"], ["operator.read"])).toEqual(["operator.read"]);
    expect(grantScopes(undefined, ["operator.read", "operator.write"])).toEqual([
      "operator.read",
      "operator.write",
    ]);
    expect(grantScopes(["operator.read"], ["operator.admin"])).toEqual(["operator.read"]);
  });

  it("raises sessions.patch to admin for privileged fields", () => {
    expect(requiredScopeFor("sessions.patch", { key: "k", label: "x" })).toBe("operator.write");
    expect(requiredScopeFor("sessions.patch", { key: "k", label: "x", verboseLevel: "on" })).toBe(
      "operator.admin",
    );
    expect(requiredScopeFor("health", {})).toBe("operator.read");
  });
});

describe("web.login params", () => {
  it("accepts the oracle's fields and rejects unknown ones", () => {
    expect(WebLoginStartParamsSchema.safeParse({ force: true, timeoutMs: 0, accountId: "a" }).success).toBe(
      true,
    );
    expect(WebLoginStartParamsSchema.safeParse({ channel: "whatsapp" }).success).toBe(false);
    expect(WebLoginStartParamsSchema.safeParse({ timeoutMs: -1 }).success).toBe(false);
  });

  it("only takes back a PNG data URL of bounded size", () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    expect(WebLoginWaitParamsSchema.safeParse({ currentQrDataUrl: png }).success).toBe(true);
    expect(
      WebLoginWaitParamsSchema.safeParse({ currentQrDataUrl: "data:image/gif;base64,R0lG" }).success,
    ).toBe(false);
    const huge = `data:image/png;base64,${"A".repeat(QR_DATA_URL_MAX_LENGTH)}`;
    expect(WebLoginWaitParamsSchema.safeParse({ currentQrDataUrl: huge }).success).toBe(false);
  });

  it("needs admin scope", () => {
    expect(requiredScopeFor("web.login.start", {})).toBe("operator.admin");
    expect(requiredScopeFor("web.login.wait", {})).toBe("operator.admin");
  });
});
