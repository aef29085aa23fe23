/** How one heartbeat ended, in OpenClaw's `heartbeat` event shape. */
export type HeartbeatStatus = "sent" | "ok-empty" | "ok-token" | "skipped" | "failed";

export interface HeartbeatEvent {
  ts: number;
  status: HeartbeatStatus;
  agentId: string;
  /** Why a heartbeat was skipped or failed, e.g. `quiet-hours`, `empty-heartbeat-file`, `no-route`. */
  reason?: string;
  /** A sentence for the operator, when there is something to explain. */
  message?: string;
  durationMs?: number;
  channel?: string;
  to?: string;
  accountId?: string;
  /** The first part of a delivered alert. */
  preview?: string;
  /** True when nothing was shown to anyone. */
  silent?: boolean;
  /** What a status surface should show: `ok`, `alert` or `error`; absent for a skip. */
  indicatorType?: "ok" | "alert" | "error";
  runId?: string;
}

export function indicatorFor(status: HeartbeatStatus): HeartbeatEvent["indicatorType"] {
  if (status === "ok-empty" || status === "ok-token") return "ok";
  if (status === "sent") return "alert";
  if (status === "failed") return "error";
  return undefined;
}

export const PREVIEW_CHARS = 200;

/**
 * What automation needs of the heartbeats for OpenClaw's `next-heartbeat` wakes (cron `wakeMode`, `/hooks/wake`
 * `mode`): whether an agent runs scheduled heartbeats, and a way to hand its next one a system event.
 */
export interface HeartbeatWakePort {
  hasScheduledHeartbeat(agentId: string): boolean;
  enqueueSystemEvent(agentId: string, text: string): void;
}
