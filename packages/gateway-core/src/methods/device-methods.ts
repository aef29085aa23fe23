import { GatewayError } from "@openclaw/protocol";
import type { MethodHandlers } from "../runtime/method-registry.js";

const PAIRING_SCOPE = "operator.pairing";

/**
 * `device.pair.*` and `device.token.*`. A node's device pairing and its command approval are one decision: the
 * pending requests are the node pairing requests (`node.pair.*`), so approving either approves both.
 */
export const deviceMethods: Pick<
  MethodHandlers,
  | "device.pair.list"
  | "device.pair.approve"
  | "device.pair.reject"
  | "device.pair.remove"
  | "device.pair.rename"
  | "device.token.rotate"
  | "device.token.revoke"
> = {
  "device.pair.list": (_params, { runtime }) => ({
    pending: runtime.nodePairing.list().pending.map((request) => ({
      requestId: request.requestId,
      deviceId: request.nodeId,
      role: "node",
      ...(request.displayName ? { displayName: request.displayName } : {}),
      ...(request.platform ? { platform: request.platform } : {}),
      ...(request.remoteIp ? { remoteIp: request.remoteIp } : {}),
      requestedAtMs: request.requestedAtMs,
    })),
    paired: runtime.devices.list(),
  }),
  "device.pair.approve": ({ requestId }, { runtime }) => {
    const node = runtime.nodePairing.approve(requestId);
    const resolved = { requestId, deviceId: node.nodeId, decision: "approved", ts: Date.now() };
    runtime.broadcast("device.pair.resolved", resolved, PAIRING_SCOPE);
    runtime.broadcast("node.pair.resolved", { ...resolved, nodeId: node.nodeId }, PAIRING_SCOPE);
    const device = runtime.devices.get(node.nodeId) ?? {
      deviceId: node.nodeId,
      publicKey: runtime.devices.seenKey(node.nodeId) ?? node.nodeId,
      roles: ["node"],
      tokens: [],
      approvedAtMs: node.approvedAtMs,
    };
    return { requestId, device };
  },
  "device.pair.reject": ({ requestId }, { runtime }) => {
    const request = runtime.nodePairing.reject(requestId);
    const resolved = { requestId, deviceId: request.nodeId, decision: "rejected", ts: Date.now() };
    runtime.broadcast("device.pair.resolved", resolved, PAIRING_SCOPE);
    return { requestId, deviceId: request.nodeId };
  },
  "device.pair.remove": ({ deviceId }, { runtime }) => {
    const removed = runtime.devices.remove(deviceId);
    const node = runtime.nodePairing.remove(deviceId);
    runtime.nodes.disconnect(deviceId, "device removed");
    if (removed || node) {
      runtime.broadcast(
        "device.pair.resolved",
        { deviceId, decision: "removed", ts: Date.now() },
        PAIRING_SCOPE,
      );
    }
    return { deviceId, removed: removed || node };
  },
  "device.pair.rename": ({ deviceId, label }, { runtime }) => {
    runtime.devices.label(deviceId, label);
    return { deviceId, label };
  },
  "device.token.rotate": ({ deviceId, role, scopes }, { runtime, connId, scopes: callerScopes }) => {
    if (scopes?.some((scope) => !callerScopes.includes(scope) && !callerScopes.includes("operator.admin"))) {
      throw new GatewayError(
        "FORBIDDEN",
        "device.token.rotate cannot grant a scope the caller does not hold: drop the extra scopes",
        { details: { code: "MISSING_SCOPE", requiredScopes: scopes } },
      );
    }
    const caller = runtime.devices.deviceOf(connId);
    const own = caller?.deviceId === deviceId && caller.role === role;
    const rotated = runtime.devices.rotate(deviceId, role, role === "node" ? [] : scopes, connId);
    runtime.logger.info("device token rotated", { deviceId, role, closed: rotated.closedConnections });
    // The new bearer token goes back only to the device rotating its own token (OpenClaw's rule).
    return {
      deviceId,
      role,
      scopes: rotated.scopes,
      rotatedAtMs: rotated.rotatedAtMs,
      ...(own
        ? { token: rotated.token, tokenDelivery: "in-band" as const }
        : { tokenDelivery: "withheld-cross-device" as const }),
    };
  },
  "device.token.revoke": ({ deviceId, role }, { runtime }) => {
    const revoked = runtime.devices.revoke(deviceId, role);
    runtime.logger.info("device token revoked", { deviceId, role, closed: revoked.closedConnections });
    return { deviceId, role, ...revoked };
  },
};
