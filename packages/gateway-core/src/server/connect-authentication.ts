import { GatewayError, type InboundRequest } from "@openclaw/protocol";
import type { AttemptReservation } from "../auth/auth-rate-limiter.js";
import { rateLimitedError, verifyCredential } from "../auth/verify-credential.js";
import { authenticateDevice, type DeviceAuthOutcome } from "../nodes/connect-device.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import { type ConnectRequest, parseConnect, protocolMismatch, unservedRole } from "./connect-request.js";

/** What a verified `connect` proved: the request, the role it asked for, the gateway credential, the device. */
export interface VerifiedConnect {
  connect: ConnectRequest;
  role: "operator" | "node";
  credential: Awaited<ReturnType<GatewayRuntime["resolveCredential"]>>;
  deviceAuth: DeviceAuthOutcome;
}

/**
 * Checks a `connect` against the gateway's credential and the device's signed challenge, settling the limiter's
 * reservation: a malformed connect or a bad credential counts as a failed attempt (answered as rate-limited once
 * locked out), a protocol or role refusal hands it back uncounted, a verified connect succeeds.
 */
export async function verifyConnect(
  runtime: GatewayRuntime,
  request: InboundRequest,
  attempt: AttemptReservation,
  from: { connId: string; clientAddress: string; nonce: string },
): Promise<VerifiedConnect> {
  let connect: ConnectRequest;
  try {
    connect = parseConnect(request);
  } catch (error) {
    const next = attempt.fail();
    throw next.allowed ? error : rateLimitedError(next.retryAfterMs);
  }
  // Neither check judges a credential: the reservation is handed back uncounted.
  const refusal = protocolMismatch(connect) ?? unservedRole(connect);
  if (refusal) {
    attempt.release();
    throw refusal;
  }
  const role = connect.role === "node" ? "node" : "operator";
  let credential: VerifiedConnect["credential"];
  let deviceAuth: DeviceAuthOutcome;
  try {
    await runtime.configState.refresh();
    credential = await runtime.resolveCredential();
    // The limiter counts a bad device proof or device token like a bad shared token (OpenClaw PR 57647).
    deviceAuth = authenticateDevice(runtime.devices, connect, { nonce: from.nonce, role });
    if (!deviceAuth.viaDeviceToken) {
      verifyCredential(credential, { token: connect.auth?.token, password: connect.auth?.password });
    }
  } catch (error) {
    const next = attempt.fail();
    runtime.logger.warn("authentication failed", {
      connId: from.connId,
      address: from.clientAddress,
      reason: error instanceof GatewayError ? error.detailCode : "unknown",
    });
    if (!next.allowed) throw rateLimitedError(next.retryAfterMs);
    throw error;
  }
  attempt.succeed();
  return { connect, role, credential, deviceAuth };
}
