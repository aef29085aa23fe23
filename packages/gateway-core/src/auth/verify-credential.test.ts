import { GatewayError } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { assertSafeBind, resolveBindHost } from "./bind-host.js";
import { secretsEqual, verifyCredential } from "./verify-credential.js";

function failure(run: () => void): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

describe("verifyCredential", () => {
  it("accepts the right token and names what is wrong otherwise", () => {
    const credential = { mode: "token" as const, secret: "s3cret-token" };
    expect(() => verifyCredential(credential, { token: "s3cret-token" })).not.toThrow();
    expect(failure(() => verifyCredential(credential, {})).detailCode).toBe("AUTH_TOKEN_MISSING");
    expect(failure(() => verifyCredential(credential, { token: "nope" })).detailCode).toBe(
      "AUTH_TOKEN_MISMATCH",
    );
    expect(failure(() => verifyCredential({ mode: "token" }, { token: "x" })).detailCode).toBe(
      "AUTH_TOKEN_NOT_CONFIGURED",
    );
  });

  it("checks passwords the same way", () => {
    const credential = { mode: "password" as const, secret: "hunter22" };
    expect(() => verifyCredential(credential, { password: "hunter22" })).not.toThrow();
    expect(failure(() => verifyCredential(credential, { token: "hunter22" })).detailCode).toBe(
      "AUTH_PASSWORD_MISSING",
    );
    expect(failure(() => verifyCredential(credential, { password: "x" })).detailCode).toBe(
      "AUTH_PASSWORD_MISMATCH",
    );
  });

  it("compares secrets of different lengths without throwing", () => {
    expect(secretsEqual("a", "a".repeat(64))).toBe(false);
    expect(secretsEqual("same", "same")).toBe(true);
  });
});

describe("bind safety", () => {
  it("maps bind modes to hosts", () => {
    expect(resolveBindHost("loopback")).toBe("127.0.0.1");
    expect(resolveBindHost("lan")).toBe("0.0.0.0");
    expect(resolveBindHost("custom", "10.1.2.3")).toBe("10.1.2.3");
    expect(() => resolveBindHost("custom")).toThrow(/customBindHost/);
  });

  it("refuses to expose an unauthenticated gateway", () => {
    expect(() => assertSafeBind("0.0.0.0", "none")).toThrow(/without authentication/);
    expect(() => assertSafeBind("127.0.0.1", "none")).not.toThrow();
    expect(() => assertSafeBind("0.0.0.0", "token")).not.toThrow();
  });
});
