/**
 * What the `nodes` tool needs from a gateway: its paired and connected nodes, their pairing requests, and
 * `node.invoke`. Shapes are OpenClaw's wire shapes (`node.list`, `node.describe`, `node.pair.list`), passed through.
 * `node` may be a node id, a display name or an IP; the implementation resolves it (ambiguity is an error).
 * Failures the model should see are thrown as `ToolError`.
 */
export interface NodeInvokeCall {
  node: string;
  command: string;
  params?: unknown;
  timeoutMs?: number;
  /** Who asks: the session key travels with the invoke. */
  sessionKey: string;
}

export interface NodesPort {
  list(): Promise<unknown>;
  describe(node: string): Promise<unknown>;
  pending(): Promise<unknown>;
  approve(requestId: string): Promise<unknown>;
  reject(requestId: string): Promise<unknown>;
  /** The node's answer (`payloadJSON` parsed when it is JSON). */
  invoke(call: NodeInvokeCall): Promise<unknown>;
}
