import { randomUUID } from "node:crypto";
import {
  type ExecApprovalDecision,
  ExecApprovalDecisionSchema,
  type ExecApprovalRecord,
  ExecApprovalRecordSchema,
  GatewayError,
} from "@openclaw/protocol";
import type { ClusterCoordinator } from "@openclaw/sessions";
import { z } from "zod";
import { publishOrLog } from "../cluster/cluster-publish.js";
import {
  createInstanceSnapshotMirror,
  type InstanceSnapshotMirror,
} from "../cluster/instance-snapshot-mirror.js";
import type { Logger } from "../logging/logger.js";
import type { ExecAllowlist } from "./exec-allowlist.js";

export const EXEC_APPROVALS_PENDING_TOPIC = "exec.approvals.pending";
export const EXEC_APPROVAL_RESOLVE_TOPIC = "exec.approval.resolve";
export const EXEC_APPROVAL_RESOLVE_REPLY_TOPIC = "exec.approval.resolve.reply";
/** An "allow always" was stored: the others re-read their allowlist (it is cached per process). */
export const EXEC_ALLOWLIST_CHANGED_TOPIC = "exec.allowlist.changed";
/** How long an instance waits for the owner of an approval it does not hold to confirm an answer. */
export const EXEC_APPROVAL_FORWARD_TIMEOUT_MS = 3000;
/** Pending approvals of one instance a message carries at most. */
const MAX_PENDING_PER_INSTANCE = 1000;
/** Answered ids an owner remembers, so a late second answer hears "not found" at once instead of timing out. */
const SETTLED_MEMORY = 1000;

export interface ResolvedApproval {
  ok: true;
  id: string;
  decision: ExecApprovalDecision;
}

const bounded = z.string().min(1).max(512);
const ForwardedResolveSchema = z.object({
  requestId: bounded,
  id: bounded,
  decision: bounded,
  by: bounded.optional(),
});
const ResolveReplySchema = z.object({
  requestId: bounded,
  to: bounded,
  result: z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), id: bounded, decision: ExecApprovalDecisionSchema }),
    z.object({
      ok: z.literal(false),
      code: bounded,
      message: z.string().max(2000),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  ]),
});

export function approvalNotFound(id: string): GatewayError {
  return new GatewayError(
    "APPROVAL_NOT_FOUND",
    `no pending exec approval "${id}": it was answered or expired`,
    {
      details: { code: "APPROVAL_NOT_FOUND", id },
    },
  );
}

interface Forwarded {
  resolve(result: ResolvedApproval): void;
  reject(error: GatewayError): void;
  timer: NodeJS.Timeout;
}

/**
 * The exec approvals of one instance as the cluster sees them. An approval waits on the instance that asked for it
 * (its caller's promise lives there), so that instance owns it: its pending list is mirrored to the others (for
 * `exec.approval.list`/`get` anywhere), and an answer given on another instance is forwarded to it and confirmed
 * back. The owner takes answers one at a time, so the first answer to reach it wins cluster-wide; a later one is
 * told APPROVAL_NOT_FOUND. A database table would not help: the waiting caller dies with its instance anyway, and a
 * mirrored list goes with it (goodbye or staleness) instead of leaving rows nobody can answer.
 */
export class ExecApprovalClusterLink {
  readonly #cluster: ClusterCoordinator;
  readonly #logger: Logger;
  readonly #mirror: InstanceSnapshotMirror<ExecApprovalRecord>;
  readonly #hasLocal: (id: string) => boolean;
  readonly #resolveLocal: (id: string, decision: string, by?: string) => ResolvedApproval;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #forwarded = new Map<string, Forwarded>();
  readonly #settled = new Set<string>();
  readonly #allowlist: ExecAllowlist & { refresh?(): Promise<void> };
  readonly #unsubscribes: (() => void)[];

  constructor(o: {
    cluster: ClusterCoordinator;
    logger: Logger;
    localPending: () => ExecApprovalRecord[];
    hasLocal: (id: string) => boolean;
    /** Answers a local approval; throws the GatewayError the caller should get. */
    resolveLocal: (id: string, decision: string, by?: string) => ResolvedApproval;
    /** The allowlist the grants go to; re-read (when it can be, as the table one) when another instance granted. */
    allowlist: ExecAllowlist & { refresh?(): Promise<void> };
    now: () => number;
    forwardTimeoutMs?: number;
    heartbeatMs?: number;
    staleMs?: number;
  }) {
    this.#cluster = o.cluster;
    this.#logger = o.logger.child({ component: "cluster-approvals" });
    this.#hasLocal = o.hasLocal;
    this.#resolveLocal = o.resolveLocal;
    this.#allowlist = o.allowlist;
    this.#now = o.now;
    this.#timeoutMs = o.forwardTimeoutMs ?? EXEC_APPROVAL_FORWARD_TIMEOUT_MS;
    this.#mirror = createInstanceSnapshotMirror({
      cluster: o.cluster,
      topic: EXEC_APPROVALS_PENDING_TOPIC,
      local: o.localPending,
      item: ExecApprovalRecordSchema,
      maxItems: MAX_PENDING_PER_INSTANCE,
      logger: this.#logger,
      ...(o.heartbeatMs === undefined ? {} : { heartbeatMs: o.heartbeatMs }),
      ...(o.staleMs === undefined ? {} : { staleMs: o.staleMs }),
    });
    this.#unsubscribes = [
      o.cluster.subscribe(EXEC_APPROVAL_RESOLVE_TOPIC, (raw, origin) => this.#serve(raw, origin)),
      o.cluster.subscribe(EXEC_APPROVAL_RESOLVE_REPLY_TOPIC, (raw) => this.#onReply(raw)),
      o.cluster.subscribe(EXEC_ALLOWLIST_CHANGED_TOPIC, () => this.#refreshAllowlist()),
    ];
  }

  /** Approvals pending on the other instances, those past their deadline left out (their owner denies them). */
  remotePending(): ExecApprovalRecord[] {
    const now = this.#now();
    return this.#mirror.remote().filter((record) => record.expiresAtMs > now);
  }

  remoteRecord(id: string): ExecApprovalRecord | undefined {
    return this.remotePending().find((record) => record.id === id);
  }

  /** The local pending list changed: the others learn it before any event published after this call. */
  pendingChanged(): void {
    this.#mirror.publishNow();
  }

  /** A local approval was settled: remembered so a forwarded answer arriving late is refused at once. */
  settled(id: string): void {
    this.#settled.add(id);
    if (this.#settled.size > SETTLED_MEMORY) {
      const oldest = this.#settled.values().next().value;
      if (oldest !== undefined) this.#settled.delete(oldest);
    }
    this.#mirror.publishNow();
  }

  /** An "allow always" was added here: once it is durable, the other instances re-read theirs. */
  granted(): void {
    void Promise.resolve(this.#allowlist.flush?.()).then(
      () => publishOrLog(this.#cluster, EXEC_ALLOWLIST_CHANGED_TOPIC, {}, this.#logger),
      (error: unknown) =>
        this.#logger.warn("exec allowlist grant not stored: other instances will not see it", {
          error: (error as Error).message,
        }),
    );
  }

  #refreshAllowlist(): void {
    this.#allowlist.refresh?.().catch((error: unknown) =>
      this.#logger.warn("exec allowlist not re-read after another instance's grant", {
        error: (error as Error).message,
      }),
    );
  }

  /** Sends an answer to whichever instance holds approval `id` and resolves once that instance took it. */
  forwardResolve(id: string, decision: string, by?: string): Promise<ResolvedApproval> {
    if (!this.#cluster.available) {
      return Promise.reject(
        new GatewayError(
          "UNAVAILABLE",
          `exec approval "${id}" is not pending on this gateway instance and the cluster store is unreachable: answer it on the instance that asked, or retry when the database is back`,
          { retryable: true },
        ),
      );
    }
    const requestId = randomUUID();
    return new Promise<ResolvedApproval>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#forwarded.delete(requestId);
        reject(approvalNotFound(id));
      }, this.#timeoutMs);
      timer.unref();
      this.#forwarded.set(requestId, { resolve, reject, timer });
      const sent = publishOrLog(
        this.#cluster,
        EXEC_APPROVAL_RESOLVE_TOPIC,
        { requestId, id, decision, ...(by === undefined ? {} : { by }) },
        this.#logger,
        { approvalId: id },
      );
      if (!sent) {
        clearTimeout(timer);
        this.#forwarded.delete(requestId);
        reject(approvalNotFound(id));
      }
    });
  }

  /** An answer forwarded by another instance: taken if the approval is ours, refused if we answered it already. */
  #serve(raw: unknown, origin: string): void {
    const request = ForwardedResolveSchema.safeParse(raw);
    if (!request.success) {
      this.#logger.warn("forwarded exec approval answer ignored: not in the expected shape", { origin });
      return;
    }
    const { requestId, id, decision, by } = request.data;
    let result: z.infer<typeof ResolveReplySchema>["result"];
    if (this.#hasLocal(id)) {
      try {
        result = this.#resolveLocal(id, decision, by);
        this.#logger.info("exec approval answered on another gateway instance", { approvalId: id, origin });
      } catch (error) {
        const shape =
          error instanceof GatewayError ? error : new GatewayError("INTERNAL", (error as Error).message);
        result = {
          ok: false,
          code: shape.code,
          message: shape.message,
          ...(shape.details === undefined ? {} : { details: shape.details }),
        };
      }
    } else if (this.#settled.has(id)) {
      const notFound = approvalNotFound(id);
      result = { ok: false, code: notFound.code, message: notFound.message, details: notFound.details ?? {} };
    } else {
      // Not ours: its owner answers (or nobody does, and the sender times out).
      return;
    }
    publishOrLog(
      this.#cluster,
      EXEC_APPROVAL_RESOLVE_REPLY_TOPIC,
      { requestId, to: origin, result },
      this.#logger,
      {
        approvalId: id,
      },
    );
  }

  #onReply(raw: unknown): void {
    const reply = ResolveReplySchema.safeParse(raw);
    if (!reply.success || reply.data.to !== this.#cluster.instanceId) return;
    const waiting = this.#forwarded.get(reply.data.requestId);
    if (!waiting) return;
    this.#forwarded.delete(reply.data.requestId);
    clearTimeout(waiting.timer);
    const { result } = reply.data;
    if (result.ok) waiting.resolve(result);
    else
      waiting.reject(
        new GatewayError(result.code, result.message, result.details ? { details: result.details } : {}),
      );
  }

  /** Says goodbye (the others drop this instance's approvals) and fails answers still waiting for a confirmation. */
  close(): void {
    this.#mirror.close();
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    for (const [requestId, waiting] of this.#forwarded) {
      clearTimeout(waiting.timer);
      waiting.reject(new GatewayError("UNAVAILABLE", "the gateway is shutting down", { retryable: true }));
      this.#forwarded.delete(requestId);
    }
  }
}
