import { GatewayError } from "@openclaw/protocol";
import { listNodeEntries } from "../nodes/node-catalog.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { gateSystemRun } from "./node-system-run-gate.js";

function nodeConnection(runtime: GatewayRuntime, connId: string) {
  const session = runtime.nodes.byConnection(connId);
  if (!session) {
    throw new GatewayError(
      "FORBIDDEN",
      "only a connected, approved node may call this: connect with role node",
      {
        details: { code: "NODE_ROLE_REQUIRED" },
      },
    );
  }
  return session;
}

export const nodeRuntimeMethods: Pick<
  MethodHandlers,
  | "node.list"
  | "node.describe"
  | "node.rename"
  | "node.invoke"
  | "node.invoke.result"
  | "node.invoke.progress"
  | "node.event"
> = {
  "node.list": (_params, { runtime }) => ({ ts: Date.now(), nodes: listNodeEntries(runtime) }),
  "node.describe": ({ nodeId }, { runtime }) => {
    const node = listNodeEntries(runtime).find((entry) => entry.nodeId === nodeId);
    if (!node) {
      throw new GatewayError("INVALID_REQUEST", `unknown nodeId "${nodeId}": see node.list`, {
        details: { code: "NODE_NOT_FOUND", nodeId },
      });
    }
    return { ts: Date.now(), ...node };
  },
  "node.rename": ({ nodeId, displayName }, { runtime }) => {
    if (!listNodeEntries(runtime).some((entry) => entry.nodeId === nodeId)) {
      throw new GatewayError("INVALID_REQUEST", `unknown nodeId "${nodeId}": see node.list`, {
        details: { code: "NODE_NOT_FOUND", nodeId },
      });
    }
    runtime.devices.setNodeLabel(nodeId, displayName);
    const live = runtime.nodes.get(nodeId);
    if (live) live.displayName = displayName;
    return { nodeId, displayName };
  },
  "node.invoke": async (params, { runtime, connId, signal }) => {
    if (params.command === "system.run") await gateSystemRun(runtime, params);
    const outcome = await runtime.nodes.invoke({
      nodeId: params.nodeId,
      command: params.command,
      ...(params.params !== undefined ? { params: params.params } : {}),
      ...(params.timeoutMs !== undefined ? { timeoutMs: params.timeoutMs } : {}),
      idempotencyKey: params.idempotencyKey,
      ...(params.sessionKey ? { sessionKey: params.sessionKey } : {}),
      ...(signal ? { signal } : {}),
      onProgress: (chunk, seq) =>
        runtime.nodes.sendTo(connId, "node.invoke.progress", {
          nodeId: params.nodeId,
          command: params.command,
          idempotencyKey: params.idempotencyKey,
          seq,
          chunk,
        }),
    });
    return { ok: true as const, nodeId: params.nodeId, command: params.command, ...outcome };
  },
  "node.invoke.result": (params, { runtime, connId }) => {
    nodeConnection(runtime, connId);
    const handled = runtime.nodes.complete(connId, params);
    return handled ? { ok: true } : { ok: true, ignored: true };
  },
  "node.invoke.progress": ({ invokeId, nodeId, seq, chunk }, { runtime, connId }) => {
    nodeConnection(runtime, connId);
    const handled = runtime.nodes.progress(connId, invokeId, nodeId, seq, chunk);
    return handled ? { ok: true } : { ok: true, ignored: true };
  },
  "node.event": ({ event, payload, payloadJSON }, { runtime, connId }) => {
    const node = nodeConnection(runtime, connId);
    runtime.nodes.touch(connId);
    runtime.broadcast(
      "node.event",
      {
        nodeId: node.nodeId,
        event,
        ...(payload !== undefined ? { payload } : {}),
        ...(payloadJSON ? { payloadJSON } : {}),
        ts: Date.now(),
      },
      "operator.read",
    );
    return { ok: true, event, handled: true };
  },
};
