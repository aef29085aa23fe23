import type { MethodHandlers } from "../runtime/method-registry.js";

const PAIRING_SCOPE = "operator.pairing";

export const nodeMethods: Pick<
  MethodHandlers,
  "node.pair.list" | "node.pair.approve" | "node.pair.reject" | "node.pair.remove"
> = {
  "node.pair.list": (_params, { runtime }) => runtime.nodePairing.list(),
  "node.pair.approve": ({ requestId }, { runtime }) => {
    const node = runtime.nodePairing.approve(requestId);
    runtime.broadcast(
      "node.pair.resolved",
      { requestId, nodeId: node.nodeId, decision: "approved", ts: Date.now() },
      PAIRING_SCOPE,
    );
    return { requestId, node };
  },
  "node.pair.reject": ({ requestId }, { runtime }) => {
    const request = runtime.nodePairing.reject(requestId);
    runtime.broadcast(
      "node.pair.resolved",
      { requestId, nodeId: request.nodeId, decision: "rejected", ts: Date.now() },
      PAIRING_SCOPE,
    );
    return { requestId, nodeId: request.nodeId };
  },
  "node.pair.remove": ({ nodeId }, { runtime }) => {
    const removed = runtime.nodePairing.remove(nodeId);
    // A removed node stops serving at once: its connection and its device tokens go with the approval.
    runtime.nodes.disconnect(nodeId, "node removed");
    runtime.devices.remove(nodeId);
    if (removed) {
      runtime.broadcast("node.pair.resolved", { nodeId, decision: "removed", ts: Date.now() }, PAIRING_SCOPE);
    }
    return { nodeId, removed };
  },
};
