import { randomUUID } from "node:crypto";
import {
  EXEC_APPROVAL_DECISIONS,
  EXEC_APPROVAL_DEFAULT_TIMEOUT_MS,
  EXEC_APPROVAL_MAX_TIMEOUT_MS,
  type ExecApprovalDecision,
  type ExecApprovalRecord,
  type ExecApprovalRequestParams,
  type ExecApprovalResolution,
  GatewayError,
} from "@openclaw/protocol";
import type { ClusterCoordinator } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";
import type { ExecAllowlist } from "./exec-allowlist.js";
import { approvalNotFound, ExecApprovalClusterLink, type ResolvedApproval } from "./exec-approval-cluster.js";
import { execApprovalEntry } from "./exec-approval-entry.js";

export const EXEC_APPROVAL_REQUESTED_EVENT = "exec.approval.requested";
export const EXEC_APPROVAL_RESOLVED_EVENT = "exec.approval.resolved";
const APPROVALS_SCOPE = "operator.approvals";

interface PendingApproval {
  record: ExecApprovalRecord;
  agentId: string;
  timer: NodeJS.Timeout;
  settle(resolution: ExecApprovalResolution): void;
}

export interface ExecApprovalManagerOptions {
  /** Sends an event to the connected clients that hold `scope`. */
  emit(event: string, payload: unknown, scope: string): void;
  allowlist: ExecAllowlist;
  logger: Logger;
  now?: () => number;
  /**
   * The cluster this gateway is an instance of: pending approvals are listed on every instance, and one asked here
   * can be answered on any (see exec-approval-cluster.ts). Without it approvals stay on this process.
   */
  cluster?: ClusterCoordinator;
  /** How long an answer for an approval pending elsewhere waits for its owner's confirmation (default 3 s). */
  forwardTimeoutMs?: number;
}

const notFound = approvalNotFound;

function commandTextOf(params: ExecApprovalRequestParams): string {
  const text = params.command ?? params.systemRunPlan?.commandText ?? params.commandArgv?.join(" ");
  if (!text?.trim()) {
    throw new GatewayError("INVALID_REQUEST", "an exec approval needs the command: pass `command`", {
      details: { code: "INVALID_PARAMS" },
    });
  }
  return text;
}

/**
 * Commands waiting for an operator's yes or no. Each request is announced to every client holding
 * `operator.approvals`; the first answer wins, and silence until the deadline is a "deny" — an unattended gateway
 * never runs a command nobody approved.
 */
export class ExecApprovalManager {
  readonly #pending = new Map<string, PendingApproval>();
  readonly #options: ExecApprovalManagerOptions;
  readonly #now: () => number;
  readonly #cluster: ExecApprovalClusterLink | undefined;
  #closed = false;

  constructor(options: ExecApprovalManagerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#cluster = options.cluster
      ? new ExecApprovalClusterLink({
          cluster: options.cluster,
          logger: options.logger,
          localPending: () => this.#localPending(),
          hasLocal: (id) => this.#pending.has(id),
          resolveLocal: (id, decision, by) => this.#resolveLocal(id, decision, by),
          allowlist: options.allowlist,
          now: this.#now,
          ...(options.forwardTimeoutMs === undefined ? {} : { forwardTimeoutMs: options.forwardTimeoutMs }),
        })
      : undefined;
  }

  /** True when an operator allowed this command always (the allowlist), so it runs without asking. */
  allowsAlways(agentId: string, commandText: string): boolean {
    return this.#options.allowlist.allows(agentId, commandText);
  }

  /** Approvals waiting for an answer: this instance's, then (in a cluster) the other instances'. */
  pending(): ExecApprovalRecord[] {
    return [...this.#localPending(), ...(this.#cluster?.remotePending() ?? [])];
  }

  #localPending(): ExecApprovalRecord[] {
    return [...this.#pending.values()].map((entry) => entry.record);
  }

  /**
   * Announces the command and resolves with the decision: the operator's, an "allow always" on file, or a timeout.
   * `consultAllowlist: false` asks the operator even for a command allowed always (exec's `ask: "always"`).
   */
  request(
    params: ExecApprovalRequestParams,
    options: { consultAllowlist?: boolean } = {},
  ): Promise<ExecApprovalResolution> {
    if (this.#closed) {
      return Promise.reject(new GatewayError("UNAVAILABLE", "the gateway is shutting down"));
    }
    if (params.twoPhase) {
      return Promise.reject(
        new GatewayError(
          "INVALID_REQUEST",
          "twoPhase approvals are not supported by this gateway: omit twoPhase; the request answers once decided",
          { details: { code: "INVALID_PARAMS" } },
        ),
      );
    }
    const commandText = commandTextOf(params);
    const id = params.id ?? randomUUID();
    if (this.#pending.has(id) || this.#cluster?.remoteRecord(id)) {
      return Promise.reject(
        new GatewayError("INVALID_REQUEST", `approval "${id}" is already pending: use a new id`, {
          details: { code: "APPROVAL_EXISTS" },
        }),
      );
    }
    const agentId = params.agentId ?? "main";
    const createdAtMs = this.#now();
    if (options.consultAllowlist !== false && this.#options.allowlist.allows(agentId, commandText)) {
      return Promise.resolve({
        id,
        decision: "allow-always",
        reason: "allowlist",
        createdAtMs,
        resolvedAtMs: createdAtMs,
      });
    }
    const timeoutMs = Math.min(
      params.timeoutMs ?? EXEC_APPROVAL_DEFAULT_TIMEOUT_MS,
      EXEC_APPROVAL_MAX_TIMEOUT_MS,
    );
    const record: ExecApprovalRecord = {
      id,
      commandText,
      ...(params.commandArgv ? { commandArgv: params.commandArgv } : {}),
      cwd: params.cwd ?? null,
      agentId,
      sessionKey: params.sessionKey ?? null,
      host: params.host ?? "gateway",
      warningText: params.warningText ?? null,
      allowedDecisions: EXEC_APPROVAL_DECISIONS.filter(
        (decision) => !(decision === "allow-always" && params.unavailableDecisions?.includes("allow-always")),
      ),
      createdAtMs,
      expiresAtMs: createdAtMs + timeoutMs,
    };
    return new Promise<ExecApprovalResolution>((resolve) => {
      const settle = (resolution: ExecApprovalResolution) => {
        const entry = this.#pending.get(id);
        if (!entry) return;
        clearTimeout(entry.timer);
        this.#pending.delete(id);
        this.#cluster?.settled(id);
        this.#options.emit(EXEC_APPROVAL_RESOLVED_EVENT, resolution, APPROVALS_SCOPE);
        this.#options.logger.info("exec approval resolved", {
          approvalId: id,
          decision: resolution.decision,
          reason: resolution.reason,
        });
        resolve(resolution);
      };
      const timer = setTimeout(
        () => settle({ id, decision: "deny", reason: "timeout", createdAtMs, resolvedAtMs: this.#now() }),
        timeoutMs,
      );
      timer.unref();
      this.#pending.set(id, { record, agentId, timer, settle });
      this.#options.logger.info("exec approval requested", { approvalId: id, agentId, timeoutMs });
      // The other instances list it before their clients see the event, so an answer right away finds it.
      this.#cluster?.pendingChanged();
      this.#options.emit(EXEC_APPROVAL_REQUESTED_EVENT, execApprovalEntry(record), APPROVALS_SCOPE);
    });
  }

  /** One pending approval; an answered or expired one is not found. */
  get(id: string): ExecApprovalRecord {
    const record = this.#pending.get(id)?.record ?? this.#cluster?.remoteRecord(id);
    if (!record) throw notFound(id);
    return record;
  }

  /**
   * Records an operator's answer. An unknown or already answered id is an error: the first answer wins. In a
   * cluster an approval pending on another instance is answered there: the promise settles once that instance
   * confirmed it (APPROVAL_NOT_FOUND when no instance holds it within the forward timeout).
   */
  resolve(id: string, decision: string, resolvedBy?: string): ResolvedApproval | Promise<ResolvedApproval> {
    if (!this.#pending.has(id) && this.#cluster)
      return this.#cluster.forwardResolve(id, decision, resolvedBy);
    return this.#resolveLocal(id, decision, resolvedBy);
  }

  #resolveLocal(id: string, decision: string, resolvedBy?: string): ResolvedApproval {
    const entry = this.#pending.get(id);
    if (!entry) throw notFound(id);
    if (!(entry.record.allowedDecisions as string[]).includes(decision)) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `decision must be one of ${entry.record.allowedDecisions.map((value) => `"${value}"`).join(", ")}`,
        { details: { code: "INVALID_PARAMS", allowed: entry.record.allowedDecisions } },
      );
    }
    const accepted = decision as ExecApprovalDecision;
    if (accepted === "allow-always") {
      this.#options.allowlist.add(entry.agentId, entry.record.commandText);
      this.#cluster?.granted();
    }
    entry.settle({
      id,
      decision: accepted,
      reason: "operator",
      createdAtMs: entry.record.createdAtMs,
      resolvedAtMs: this.#now(),
      ...(resolvedBy ? { resolvedBy } : {}),
    });
    return { ok: true, id, decision: accepted };
  }

  /** Denies everything still waiting, so no caller hangs past the gateway's life. */
  close(): void {
    this.#closed = true;
    for (const [id, entry] of this.#pending) {
      entry.settle({
        id,
        decision: "deny",
        reason: "shutdown",
        createdAtMs: entry.record.createdAtMs,
        resolvedAtMs: this.#now(),
      });
    }
    this.#cluster?.close();
  }
}
