import { randomUUID } from "node:crypto";
import { GatewayError, type NodeEntry } from "@openclaw/protocol";
import type { NodeInvokeCall, NodesPort } from "@openclaw/tools/config";
import { ToolError } from "@openclaw/tools/config";
import type { DeviceRegistry } from "../../nodes/device-registry.js";
import type { NodePairingStore } from "../../nodes/node-pairing-store.js";
import type { NodeRegistry } from "../../nodes/node-registry.js";

export interface GatewayNodesPortDeps {
  nodes: NodeRegistry;
  nodePairing: NodePairingStore;
  devices: DeviceRegistry;
  /** The same listing `node.list` answers. */
  listNodes(): NodeEntry[];
  broadcastResolved(event: { requestId: string; nodeId: string; decision: "approved" | "rejected" }): void;
}

/** A gateway error as the model should read it: its message, under the closest tool error code. */
function toToolError(error: unknown): unknown {
  if (!(error instanceof GatewayError)) return error;
  const code =
    error.code === "UNAVAILABLE"
      ? "UNAVAILABLE"
      : error.code === "FORBIDDEN"
        ? "DENIED"
        : "INVALID_ARGUMENTS";
  return new ToolError(code, error.message);
}

/** The `nodes` tool over the gateway's node registry and pairing store. */
export function createGatewayNodesPort(deps: GatewayNodesPortDeps): NodesPort {
  const resolveNode = (query: string): string => {
    const wanted = query.trim().toLowerCase();
    const nodes = deps.listNodes();
    const exact = nodes.find((node) => node.nodeId.toLowerCase() === wanted);
    if (exact) return exact.nodeId;
    const matches = nodes.filter(
      (node) =>
        node.displayName?.toLowerCase() === wanted ||
        node.remoteIp === wanted ||
        (wanted.length >= 6 && node.nodeId.startsWith(wanted)),
    );
    if (matches.length === 1 && matches[0]) return matches[0].nodeId;
    throw new ToolError(
      matches.length > 1 ? "NOT_UNIQUE" : "NOT_FOUND",
      matches.length > 1
        ? `nodes: "${query}" matches ${matches.length} nodes; pass the nodeId (see action="status")`
        : `nodes: no node "${query}"; call nodes with action="status" to list nodes`,
    );
  };
  return {
    async list() {
      return { ts: Date.now(), nodes: deps.listNodes() };
    },
    async describe(node) {
      const nodeId = resolveNode(node);
      return { ts: Date.now(), ...deps.listNodes().find((entry) => entry.nodeId === nodeId) };
    },
    async pending() {
      return { pending: deps.nodePairing.list().pending };
    },
    async approve(requestId) {
      try {
        const node = deps.nodePairing.approve(requestId);
        deps.broadcastResolved({ requestId, nodeId: node.nodeId, decision: "approved" });
        return { requestId, node };
      } catch (error) {
        throw toToolError(error);
      }
    },
    async reject(requestId) {
      try {
        const request = deps.nodePairing.reject(requestId);
        deps.broadcastResolved({ requestId, nodeId: request.nodeId, decision: "rejected" });
        return { requestId, nodeId: request.nodeId };
      } catch (error) {
        throw toToolError(error);
      }
    },
    async invoke(call: NodeInvokeCall) {
      const nodeId = resolveNode(call.node);
      try {
        const outcome = await deps.nodes.invoke({
          nodeId,
          command: call.command,
          params: call.params,
          ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
          idempotencyKey: randomUUID(),
          sessionKey: call.sessionKey,
        });
        if (outcome.payload !== undefined) return outcome.payload;
        if (outcome.payloadJSON === null) return { ok: true };
        try {
          return JSON.parse(outcome.payloadJSON) as unknown;
        } catch {
          return { payloadJSON: outcome.payloadJSON };
        }
      } catch (error) {
        throw toToolError(error);
      }
    },
  };
}
