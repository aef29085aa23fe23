import { createHash, timingSafeEqual } from "node:crypto";
import { ErrorDetailCodes, GatewayError } from "@openclaw/protocol";

export interface GatewayCredential {
  mode: "token" | "password" | "none";
  secret?: string;
}

export interface PresentedCredential {
  token?: string | undefined;
  password?: string | undefined;
}

/** Compares two secrets in constant time: hashing first makes the comparison length-independent too. */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Checks a presented credential against the gateway's current one. Throws a {@link GatewayError} whose
 * `details.code` says exactly what is wrong; returns normally only for a validated credential.
 */
export function verifyCredential(credential: GatewayCredential, presented: PresentedCredential): void {
  if (credential.mode === "none") return;
  if (credential.mode === "token") {
    if (!credential.secret) {
      throw new GatewayError(
        "UNAVAILABLE",
        "gateway.auth.token is not set: run `openclaw config set gateway.auth.token <token>` or set OPENCLAW_GATEWAY_TOKEN",
        { details: { code: ErrorDetailCodes.AUTH_TOKEN_NOT_CONFIGURED } },
      );
    }
    if (!presented.token) {
      throw new GatewayError("INVALID_REQUEST", "this gateway requires a token: pass auth.token in connect", {
        details: { code: ErrorDetailCodes.AUTH_TOKEN_MISSING },
      });
    }
    if (!secretsEqual(presented.token, credential.secret)) {
      throw new GatewayError("INVALID_REQUEST", "the gateway token does not match", {
        details: { code: ErrorDetailCodes.AUTH_TOKEN_MISMATCH },
      });
    }
    return;
  }
  if (!credential.secret) {
    throw new GatewayError(
      "UNAVAILABLE",
      "gateway.auth.password is not set: run `openclaw config set gateway.auth.password <password>` or set OPENCLAW_GATEWAY_PASSWORD",
      { details: { code: ErrorDetailCodes.AUTH_PASSWORD_NOT_CONFIGURED } },
    );
  }
  if (!presented.password) {
    throw new GatewayError(
      "INVALID_REQUEST",
      "this gateway requires a password: pass auth.password in connect",
      {
        details: { code: ErrorDetailCodes.AUTH_PASSWORD_MISSING },
      },
    );
  }
  if (!secretsEqual(presented.password, credential.secret)) {
    throw new GatewayError("INVALID_REQUEST", "the gateway password does not match", {
      details: { code: ErrorDetailCodes.AUTH_PASSWORD_MISMATCH },
    });
  }
}

export function rateLimitedError(retryAfterMs: number): GatewayError {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new GatewayError(
    "UNAVAILABLE",
    `too many failed authentication attempts from this address: try again in ${seconds}s`,
    { details: { code: ErrorDetailCodes.AUTH_RATE_LIMITED }, retryable: true, retryAfterMs },
  );
}
