import type { AgentRunResult } from "@openclaw/agent";
import type { CronDelivery, CronRunStatus } from "@openclaw/protocol";
import type { Logger } from "../logging/logger.js";
import type { CronClock } from "./cron-clock.js";
import { CronError } from "./cron-error.js";
import type { StoredCronJob } from "./cron-job-store.js";
import { type CronTargetContext, resolveCronTarget } from "./cron-job-target.js";
import type { RunOrigin, RunOutcome } from "./cron-run-outcome.js";
import type { CronChat, CronDeliveryRequest, CronHeartbeatPort } from "./cron-service-options.js";

const SUMMARY_MAX_CHARS = 2_000;

export interface CronRunExecutorOptions {
  chat: CronChat;
  deliver: ((delivery: CronDeliveryRequest) => Promise<void>) | undefined;
  clock: CronClock;
  logger: Logger;
  targetContext: () => CronTargetContext;
  heartbeat?: CronHeartbeatPort;
}

/** A run as it ended: what to record, how long it took, and the session it ran in. */
export interface ExecutedRun {
  outcome: RunOutcome;
  durationMs: number;
  sessionKey: string | undefined;
}

/**
 * Runs one claimed slot of a job: a turn through the chat service like any other, then the answer delivered to
 * the job's channel peer when it asks for that. Never throws: every failure ends as an `error` outcome.
 */
export class CronRunExecutor {
  readonly #options: CronRunExecutorOptions;

  constructor(options: CronRunExecutorOptions) {
    this.#options = options;
  }

  async run(job: StoredCronJob, origin: RunOrigin): Promise<ExecutedRun> {
    const { clock } = this.#options;
    const startedAt = clock.now();
    const outcome: RunOutcome = { status: "error", deliveryStatus: "not-requested" };
    let sessionKey: string | undefined;
    try {
      const payload = job.payload;
      if (payload.kind !== "agentTurn" && payload.kind !== "systemEvent") {
        throw new CronError("CRON_UNSUPPORTED", `payload kind "${payload.kind}" cannot run on this gateway`);
      }
      // An agent removed from the config since the job was added fails the run (recorded and logged) before anything
      // is written, so no `agents/<id>/` is created for it.
      const target = resolveCronTarget(job, this.#options.targetContext());
      sessionKey = target.sessionKey;
      if (this.#waitsForHeartbeat(job, target.agentId)) {
        // OpenClaw's "next-heartbeat": the event joins the agent's next heartbeat turn in the main session.
        this.#options.heartbeat?.enqueueSystemEvent(target.agentId, (job.payload as { text: string }).text);
        outcome.status = "ok";
        outcome.summary = "queued for the agent's next heartbeat";
        return { outcome, durationMs: Math.max(0, clock.now() - startedAt), sessionKey };
      }
      const timeoutSeconds = payload.kind === "agentTurn" ? payload.timeoutSeconds : undefined;
      const turn = this.#options.chat.start({
        origin: { channel: "cron", trigger: "cron" },
        runId: origin.runId,
        sessionKey,
        agentId: target.agentId,
        message: payload.kind === "agentTurn" ? payload.message : payload.text,
        ...(payload.kind === "agentTurn" && payload.model ? { model: payload.model } : {}),
        ...(timeoutSeconds ? { timeoutMs: Math.round(timeoutSeconds * 1000) } : {}),
        // A shared session may be mid-conversation: the job waits its turn instead of cutting in.
        ...(job.sessionTarget === "isolated" ? {} : { queueMode: "followup" as const }),
        extraSystemPrompt:
          payload.kind === "agentTurn"
            ? `The next message is the scheduled job ${JSON.stringify(job.name)}, run by the gateway's scheduler with no one watching: do the task and answer with the result.`
            : `The next message is a system event from the scheduled job ${JSON.stringify(job.name)}, not text the user typed.`,
      });
      sessionKey = turn.sessionKey;
      const result = await turn.done;
      Object.assign(outcome, await this.#finishTurn(job, origin, result));
    } catch (error) {
      outcome.status = "error";
      outcome.error = error instanceof Error ? error.message : String(error);
    }
    return { outcome, durationMs: Math.max(0, clock.now() - startedAt), sessionKey };
  }

  #waitsForHeartbeat(job: StoredCronJob, agentId: string): boolean {
    const heartbeat = this.#options.heartbeat;
    if (!heartbeat || job.wakeMode !== "next-heartbeat") return false;
    if (job.payload.kind !== "systemEvent" || job.sessionTarget !== "main") return false;
    if (heartbeat.hasScheduledHeartbeat(agentId)) return true;
    // With no heartbeat to wait for, the event would never be seen: it runs now, as before.
    this.#options.logger.info("cron job wants the next heartbeat, but the agent runs none; running it now", {
      jobId: job.id,
      agentId,
    });
    return false;
  }

  async #finishTurn(
    job: StoredCronJob,
    origin: RunOrigin,
    result: AgentRunResult,
  ): Promise<Partial<RunOutcome>> {
    const status: CronRunStatus =
      result.status === "ok" ? "ok" : result.status === "aborted" ? "skipped" : "error";
    const text = result.text.trim();
    const outcome: Partial<RunOutcome> = { status, deliveryStatus: "not-requested" };
    if (text !== "") outcome.summary = text.slice(0, SUMMARY_MAX_CHARS);
    if (status !== "ok")
      outcome.error = result.error?.message ?? `the run ended with status ${result.status}`;
    if (result.model) outcome.model = result.model;
    const target = deliveryTarget(job.delivery);
    if (!target) return outcome;
    const deliver = this.#options.deliver;
    if (status !== "ok" || text === "" || !deliver) {
      outcome.deliveryStatus = "not-delivered";
      outcome.delivered = false;
      return outcome;
    }
    try {
      await deliver({ ...target, text: result.text, jobId: job.id, runId: origin.runId });
      outcome.delivered = true;
      outcome.deliveryStatus = "delivered";
    } catch (error) {
      outcome.delivered = false;
      outcome.deliveryStatus = "not-delivered";
      outcome.deliveryError = error instanceof Error ? error.message : String(error);
      this.#options.logger.warn("cron delivery failed", {
        jobId: job.id,
        runId: origin.runId,
        error: outcome.deliveryError,
      });
    }
    return outcome;
  }
}

/** Where an `announce` delivery goes; undefined for any other mode or an incomplete target. */
function deliveryTarget(
  delivery: CronDelivery | undefined,
): { channel: string; to: string; accountId?: string; threadId?: string } | undefined {
  if (delivery?.mode !== "announce" || !delivery.channel || !delivery.to) return undefined;
  return {
    channel: delivery.channel,
    to: delivery.to,
    ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
    ...(delivery.threadId !== undefined ? { threadId: String(delivery.threadId) } : {}),
  };
}
