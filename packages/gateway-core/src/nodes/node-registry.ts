import { randomUUID } from "node:crypto";
import {
  GatewayError,
  NODE_INVOKE_DEFAULT_TIMEOUT_MS,
  type NodeInvokeRequestEvent,
  type NodeInvokeResultParams,
} from "@openclaw/protocol";

/** A node connected right now, with the surface it declared (and an operator approved). */
export interface NodeSession {
  nodeId: string;
  connId: string;
  displayName?: string;
  platform?: string;
  version?: string;
  clientId?: string;
  clientMode?: string;
  remoteIp?: string;
  caps: string[];
  commands: string[];
  connectedAtMs: number;
  lastSeenAtMs: number;
  /** Ends the node's connection (its approval was removed). */
  close?(reason: string): void;
}

export interface NodeInvokeRequest {
  nodeId: string;
  command: string;
  params?: unknown;
  timeoutMs?: number;
  idempotencyKey: string;
  sessionKey?: string;
  /** Ordered output chunks of the running command, as the node reports them. */
  onProgress?(chunk: string, seq: number): void;
  /** Aborting (the caller went away) cancels the invoke on the node. */
  signal?: AbortSignal;
}

export interface NodeInvokeOutcome {
  payload?: unknown;
  payloadJSON: string | null;
}

interface PendingInvoke {
  nodeId: string;
  command: string;
  connId: string;
  timer: NodeJS.Timeout;
  nextSeq: number;
  early: Map<number, string>;
  onProgress?: (chunk: string, seq: number) => void;
  settle(outcome: { ok: true; value: NodeInvokeOutcome } | { ok: false; error: GatewayError }): void;
}

export interface NodeRegistryOptions {
  /** Sends an event to one connection (the node's). */
  sendTo(connId: string, event: string, payload: unknown): void;
  now?: () => number;
}

/**
 * Live nodes and their in-flight invokes. An invoke is an event to the node (`node.invoke.request`) answered by the
 * node's `node.invoke.result`; it ends exactly once: result, timeout, caller abort or the node's disconnect.
 */
export class NodeRegistry {
  readonly #sessions = new Map<string, NodeSession>();
  readonly #pending = new Map<string, PendingInvoke>();
  readonly #options: NodeRegistryOptions;
  readonly #now: () => number;

  constructor(options: NodeRegistryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Sends an event to one connection (a node, or the caller of an invoke). */
  sendTo(connId: string, event: string, payload: unknown): void {
    this.#options.sendTo(connId, event, payload);
  }

  attach(session: Omit<NodeSession, "connectedAtMs" | "lastSeenAtMs">): NodeSession {
    const at = this.#now();
    const previous = this.#sessions.get(session.nodeId);
    // A node that reconnects replaces its old link; invokes sent on the old one can no longer be answered.
    if (previous && previous.connId !== session.connId) this.#failInvokesOf(previous, "reconnected");
    const live = { ...session, connectedAtMs: at, lastSeenAtMs: at };
    this.#sessions.set(session.nodeId, live);
    return live;
  }

  /** The node's connection closed: it is offline, and every invoke waiting on it fails now. */
  detach(connId: string): NodeSession | undefined {
    for (const session of this.#sessions.values()) {
      if (session.connId !== connId) continue;
      this.#sessions.delete(session.nodeId);
      this.#failInvokesOf(session, "disconnected");
      return session;
    }
    return undefined;
  }

  /** Closes the node's live connection, if any: its approval is gone, so it may serve nothing more. */
  disconnect(nodeId: string, reason: string): boolean {
    const session = this.#sessions.get(nodeId);
    if (!session) return false;
    this.detach(session.connId);
    session.close?.(reason);
    return true;
  }

  get(nodeId: string): NodeSession | undefined {
    return this.#sessions.get(nodeId);
  }

  byConnection(connId: string): NodeSession | undefined {
    for (const session of this.#sessions.values()) if (session.connId === connId) return session;
    return undefined;
  }

  list(): NodeSession[] {
    return [...this.#sessions.values()];
  }

  touch(connId: string): void {
    const session = this.byConnection(connId);
    if (session) session.lastSeenAtMs = this.#now();
  }

  invoke(request: NodeInvokeRequest): Promise<NodeInvokeOutcome> {
    const session = this.#sessions.get(request.nodeId);
    if (!session) {
      return Promise.reject(
        new GatewayError(
          "UNAVAILABLE",
          `node "${request.nodeId}" is not connected: start it (openclaw node run --url ...) and check node.list`,
          { details: { code: "NODE_NOT_CONNECTED", nodeId: request.nodeId } },
        ),
      );
    }
    if (!session.commands.includes(request.command)) {
      return Promise.reject(
        new GatewayError(
          "INVALID_REQUEST",
          `node "${request.nodeId}" does not offer "${request.command}": node.describe lists its commands`,
          {
            details: { code: "NODE_COMMAND_NOT_DECLARED", nodeId: request.nodeId, command: request.command },
          },
        ),
      );
    }
    if (request.signal?.aborted) return Promise.reject(cancelled(request));
    const id = randomUUID();
    const timeoutMs = request.timeoutMs ?? NODE_INVOKE_DEFAULT_TIMEOUT_MS;
    return new Promise<NodeInvokeOutcome>((resolve, reject) => {
      const onAbort = () => {
        this.#cancelOnNode(id, session);
        pending.settle({ ok: false, error: cancelled(request) });
      };
      const pending: PendingInvoke = {
        nodeId: session.nodeId,
        command: request.command,
        connId: session.connId,
        nextSeq: 0,
        early: new Map(),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        timer: setTimeout(() => {
          this.#cancelOnNode(id, session);
          pending.settle({
            ok: false,
            error: new GatewayError(
              "UNAVAILABLE",
              `node "${session.nodeId}" did not answer "${request.command}" within ${timeoutMs} ms: raise timeoutMs or check the node`,
              {
                retryable: true,
                details: { code: "NODE_INVOKE_TIMEOUT", nodeId: session.nodeId, timeoutMs },
              },
            ),
          });
        }, timeoutMs),
        settle: (outcome) => {
          if (!this.#pending.delete(id)) return;
          clearTimeout(pending.timer);
          request.signal?.removeEventListener("abort", onAbort);
          if (outcome.ok) resolve(outcome.value);
          else reject(outcome.error);
        },
      };
      this.#pending.set(id, pending);
      request.signal?.addEventListener("abort", onAbort, { once: true });
      const event: NodeInvokeRequestEvent = {
        id,
        nodeId: session.nodeId,
        command: request.command,
        paramsJSON: request.params === undefined ? null : JSON.stringify(request.params),
        timeoutMs,
        idempotencyKey: request.idempotencyKey,
        ...(request.sessionKey ? { sessionKey: request.sessionKey } : {}),
      };
      this.#options.sendTo(session.connId, "node.invoke.request", event);
    });
  }

  /** The node's answer; ignored (not an error) when the invoke already ended or came from another node. */
  complete(connId: string, result: NodeInvokeResultParams): boolean {
    const pending = this.#pending.get(result.id);
    if (!pending || pending.connId !== connId || pending.nodeId !== result.nodeId) return false;
    this.touch(connId);
    if (result.ok) {
      pending.settle({
        ok: true,
        value: {
          ...(result.payload !== undefined ? { payload: result.payload } : {}),
          payloadJSON: result.payloadJSON ?? null,
        },
      });
      return true;
    }
    const code = result.error?.code ?? "NODE_COMMAND_FAILED";
    pending.settle({
      ok: false,
      error: new GatewayError(
        "UNAVAILABLE",
        `node "${pending.nodeId}" failed "${pending.command}": ${result.error?.message ?? code}`,
        { details: { code, nodeId: pending.nodeId, command: pending.command } },
      ),
    });
    return true;
  }

  /** One output chunk; chunks are handed on in `seq` order whatever order they arrive in. */
  progress(connId: string, invokeId: string, nodeId: string, seq: number, chunk: string): boolean {
    const pending = this.#pending.get(invokeId);
    if (!pending || pending.connId !== connId || pending.nodeId !== nodeId) return false;
    if (seq < pending.nextSeq || pending.early.size > 1024) return true;
    pending.early.set(seq, chunk);
    for (
      let next = pending.early.get(pending.nextSeq);
      next !== undefined;
      next = pending.early.get(pending.nextSeq)
    ) {
      pending.early.delete(pending.nextSeq);
      pending.onProgress?.(next, pending.nextSeq);
      pending.nextSeq += 1;
    }
    return true;
  }

  /** Ends every in-flight invoke (gateway shutdown). */
  close(): void {
    for (const [, pending] of this.#pending) {
      pending.settle({ ok: false, error: new GatewayError("UNAVAILABLE", "the gateway is shutting down") });
    }
  }

  #cancelOnNode(invokeId: string, session: NodeSession): void {
    this.#options.sendTo(session.connId, "node.invoke.cancel", { invokeId, nodeId: session.nodeId });
  }

  #failInvokesOf(session: NodeSession, why: "disconnected" | "reconnected"): void {
    for (const pending of [...this.#pending.values()]) {
      if (pending.connId !== session.connId) continue;
      pending.settle({
        ok: false,
        error: new GatewayError(
          "UNAVAILABLE",
          `node "${session.nodeId}" ${why} before answering "${pending.command}": the command may or may not have run; check the node and retry`,
          { retryable: true, details: { code: "NODE_DISCONNECTED", nodeId: session.nodeId } },
        ),
      });
    }
  }
}

function cancelled(request: NodeInvokeRequest): GatewayError {
  return new GatewayError(
    "UNAVAILABLE",
    `invoke of "${request.command}" on node "${request.nodeId}" was cancelled`,
    {
      details: { code: "NODE_INVOKE_CANCELLED", nodeId: request.nodeId },
    },
  );
}
