import type { CronEvent } from "@openclaw/protocol";
import type { ClusterCoordinator } from "@openclaw/sessions";
import type { ChatTurn, ChatTurnRequest } from "../chat/chat-service.js";
import type { HeartbeatWakePort } from "../heartbeat/heartbeat-events.js";
import type { Logger } from "../logging/logger.js";
import type { CronClock } from "./cron-clock.js";
import type { CronJobStore } from "./cron-job-store.js";
import type { CronAgentRoster } from "./cron-job-target.js";

/** What the scheduler needs from the chat service: the entry point `chat.send` and the hooks use. */
export interface CronChat {
  start(request: ChatTurnRequest): ChatTurn;
}

export interface CronDeliveryRequest {
  channel: string;
  to: string;
  accountId?: string;
  threadId?: string;
  text: string;
  jobId: string;
  runId: string;
}

/** Read on every tick, so a config reload pauses or resumes the scheduler without a restart. */
export interface CronSettings {
  /** `cron.enabled` (default true): false keeps the jobs but runs none. */
  enabled: boolean;
  /** `cron.skipMissedJobs` (default false): see the catch-up policy on `CronService`. */
  skipMissedJobs: boolean;
}

/** What cron needs of the heartbeat service. */
export type CronHeartbeatPort = HeartbeatWakePort;

export interface CronServiceOptions {
  /** Where the default store keeps its files (`<stateDir>/cron/`); unused when `store` is given. */
  stateDir: string;
  /**
   * Where jobs and run history live: `createTableCronStore(...)` over the storage port's `cron.jobs` and
   * `cron.runs` tables, or any other {@link CronJobStore}. Default: the files under `<stateDir>/cron/`.
   */
  store?: CronJobStore;
  chat: CronChat;
  /** Sends a finished run's answer to a channel peer; without it jobs with announce delivery are refused. */
  deliver?: (delivery: CronDeliveryRequest) => Promise<void>;
  /** Receives the `cron` event of every job change and run start/finish. */
  emit?: (event: CronEvent) => void;
  clock?: CronClock;
  logger?: Logger;
  /** The configured agents; without it any agent id is accepted and the default is `main`. */
  agents?: () => CronAgentRoster;
  /** `session.mainKey`, for jobs that run in the main session. */
  mainKey?: () => string | undefined;
  settings?: () => CronSettings;
  /** How long after start the one catch-up run of a job missed while the gateway was down waits. */
  catchUpDelayMs?: number;
  /**
   * The agents' heartbeats, for `wakeMode: "next-heartbeat"`: a main-session system event then waits for the
   * agent's next heartbeat instead of starting a turn of its own. Without it every job runs at once.
   */
  heartbeat?: CronHeartbeatPort;
  /** How long `stop` lets runs in flight finish (and deliver) before the gateway closes the agent under them. */
  stopGraceMs?: number;
  /**
   * The cluster of gateway instances sharing `store` (a table store on the shared storage). With it, jobs fire
   * once cluster-wide: only the holder of the `cron:leader` lease arms the timer and applies start-up recovery,
   * every scheduled slot is claimed once (`claimOnce`), and each instance reloads the jobs when another changes
   * them (`cron.changed`). Manual `cron.run` runs on the instance asked. Without it: one scheduler per store.
   */
  cluster?: ClusterCoordinator;
  /** How often an instance that is not the cron leader tries to become it (default 2000 ms). */
  leaderRetryMs?: number;
}

export const DEFAULT_CATCH_UP_DELAY_MS = 10_000;
export const DEFAULT_STOP_GRACE_MS = 5_000;
