import type { ExecApprovalDecision, ExecApprovalRecord, ExecApprovalResolution } from "@openclaw/protocol";

/** What an answered (or expired) approval left behind: shown briefly where its row was. */
export interface ExecApprovalOutcome {
  id: string;
  commandText: string;
  decision: ExecApprovalDecision;
  /** e.g. "allowed once by you", "denied: no answer in time". */
  note: string;
  resolvedAtMs: number;
}

export const DECISION_LABELS: Record<ExecApprovalDecision, string> = {
  "allow-once": "Allow once",
  "allow-always": "Allow always",
  deny: "Deny",
};

const DECISION_PAST: Record<ExecApprovalDecision, string> = {
  "allow-once": "allowed once",
  "allow-always": "allowed always",
  deny: "denied",
};

/** Outcomes kept on screen; older ones scroll away. */
const MAX_OUTCOMES = 10;

/**
 * One line on how an approval ended. `selfConnId` is this tab's connection id, so the operator's own answer reads
 * "by you" and another operator's names the connection that gave it.
 */
export function describeApprovalOutcome(resolution: ExecApprovalResolution, selfConnId: string): string {
  const past = DECISION_PAST[resolution.decision];
  switch (resolution.reason) {
    case "timeout":
      return `${past}: no answer in time`;
    case "allowlist":
      return `${past}: the command is on the allowlist`;
    case "shutdown":
      return `${past}: the gateway shut down`;
    case "operator": {
      if (resolution.resolvedBy === undefined) return `${past} by an operator`;
      if (resolution.resolvedBy === selfConnId) return `${past} by you`;
      return `${past} by another operator (connection ${resolution.resolvedBy})`;
    }
  }
}

export interface ExecApprovalQueueOptions {
  /** This tab's current connection id (it changes on reconnect). */
  selfConnId(): string;
  /** Defaults to `Date.now`. */
  now?(): number;
}

/**
 * The pending exec approvals as this tab knows them: filled from `exec.approval.list`, kept current by the
 * `exec.approval.requested` / `exec.approval.resolved` events. The app shell owns one, so the nav badge counts
 * requests on every screen and the Approvals screen shows the same list. No DOM: listeners draw.
 */
export class ExecApprovalQueue {
  readonly #pending = new Map<string, ExecApprovalRecord>();
  readonly #outcomes: ExecApprovalOutcome[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #options: ExecApprovalQueueOptions;
  readonly #now: () => number;
  /** Gateway clock minus ours, learnt from each fresh request, so a skewed browser clock counts down right. */
  #clockOffsetMs = 0;

  constructor(options: ExecApprovalQueueOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Soonest to expire first: the most urgent is on top. */
  get pending(): ExecApprovalRecord[] {
    return [...this.#pending.values()].sort((a, b) => a.expiresAtMs - b.expiresAtMs);
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Newest first. */
  get outcomes(): ExecApprovalOutcome[] {
    return [...this.#outcomes];
  }

  /**
   * The answer to `exec.approval.list` replaces what was known. Events and answers share one ordered socket, so
   * the list is exactly what was pending when the gateway answered; later events then apply on top.
   */
  replace(records: readonly ExecApprovalRecord[]): void {
    this.#pending.clear();
    for (const record of records) this.#pending.set(record.id, record);
    this.#changed();
  }

  /** An `exec.approval.requested` event: it was created just now on the gateway's clock. */
  add(record: ExecApprovalRecord): void {
    this.#clockOffsetMs = record.createdAtMs - this.#now();
    this.#pending.set(record.id, record);
    this.#changed();
  }

  /** An `exec.approval.resolved` event. Returns the outcome when the approval was one this tab was showing. */
  resolve(resolution: ExecApprovalResolution): ExecApprovalOutcome | undefined {
    const record = this.#pending.get(resolution.id);
    if (record === undefined) return undefined;
    this.#pending.delete(resolution.id);
    const outcome: ExecApprovalOutcome = {
      id: record.id,
      commandText: record.commandText,
      decision: resolution.decision,
      note: describeApprovalOutcome(resolution, this.#options.selfConnId()),
      resolvedAtMs: resolution.resolvedAtMs,
    };
    this.#outcomes.unshift(outcome);
    this.#outcomes.length = Math.min(this.#outcomes.length, MAX_OUTCOMES);
    this.#changed();
    return outcome;
  }

  /** Milliseconds until the gateway denies `record` for want of an answer (never negative). */
  msLeft(record: ExecApprovalRecord): number {
    return Math.max(0, record.expiresAtMs - (this.#now() + this.#clockOffsetMs));
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
