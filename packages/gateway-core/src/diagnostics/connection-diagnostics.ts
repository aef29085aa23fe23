import { GatewayError } from "@openclaw/protocol";
import type { DiagnosticBus, HandshakeEvent } from "./diagnostic-events.js";

/** How a failed handshake ended, from the error it answered with: a bounded label. */
export function handshakeOutcomeOf(error: unknown): HandshakeEvent["outcome"] {
  const detail = error instanceof GatewayError ? error.detailCode : undefined;
  if (detail === "AUTH_RATE_LIMITED") return "locked_out";
  if (detail?.startsWith("AUTH_")) return "auth_failed";
  return "rejected";
}

/** Reports one answered WS request; a method name nobody registered becomes "unknown" (labels stay bounded). */
export function emitRpcRequest(
  bus: DiagnosticBus,
  registry: { isRegistered(method: string): boolean },
  method: string,
  startedAt: number,
  errorCode: string | undefined,
): void {
  bus.emit({
    type: "rpc.request",
    method: registry.isRegistered(method) ? method : "unknown",
    startedAt,
    endedAt: Date.now(),
    ok: errorCode === undefined,
    ...(errorCode === undefined ? {} : { errorCode }),
  });
}
