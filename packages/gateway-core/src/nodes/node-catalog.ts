import type { NodeEntry } from "@openclaw/protocol";
import type { DeviceRegistry } from "./device-registry.js";
import type { NodePairingStore } from "./node-pairing-store.js";
import type { NodeRegistry } from "./node-registry.js";

export interface NodeCatalogSources {
  nodePairing: Pick<NodePairingStore, "list">;
  nodes: Pick<NodeRegistry, "list" | "get">;
  devices: Pick<DeviceRegistry, "nodeLabel">;
}

/** Every node the gateway knows: approved, waiting for approval, or connected now. */
export function listNodeEntries(runtime: NodeCatalogSources): NodeEntry[] {
  const { pending, paired } = runtime.nodePairing.list();
  const ids = new Set([
    ...paired.map((node) => node.nodeId),
    ...pending.map((request) => request.nodeId),
    ...runtime.nodes.list().map((node) => node.nodeId),
  ]);
  return [...ids].sort().map((nodeId) => {
    const approved = paired.find((node) => node.nodeId === nodeId);
    const request = pending.find((entry) => entry.nodeId === nodeId);
    const live = runtime.nodes.get(nodeId);
    const displayName =
      runtime.devices.nodeLabel(nodeId) ?? live?.displayName ?? approved?.displayName ?? request?.displayName;
    const platform = live?.platform ?? approved?.platform ?? request?.platform;
    const version = live?.version ?? approved?.version ?? request?.version;
    const remoteIp = live?.remoteIp ?? request?.remoteIp;
    return {
      nodeId,
      ...(displayName ? { displayName } : {}),
      ...(platform ? { platform } : {}),
      ...(version ? { version } : {}),
      ...(live?.clientId ? { clientId: live.clientId } : {}),
      ...(live?.clientMode ? { clientMode: live.clientMode } : {}),
      ...(remoteIp ? { remoteIp } : {}),
      caps: [...(live?.caps ?? approved?.caps ?? [])].sort(),
      commands: [...(live?.commands ?? approved?.commands ?? [])].sort(),
      approvalState: request
        ? approved
          ? "pending-reapproval"
          : "pending-approval"
        : approved
          ? "approved"
          : "unapproved",
      ...(request ? { pendingRequestId: request.requestId } : {}),
      ...(live ? { connectedAtMs: live.connectedAtMs, lastSeenAtMs: live.lastSeenAtMs } : {}),
      ...(approved ? { approvedAtMs: approved.approvedAtMs } : {}),
      paired: Boolean(approved),
      connected: Boolean(live),
    };
  });
}
