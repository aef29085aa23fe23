import type { AgentRunResult } from "@openclaw/agent";
import { buildMainSessionKey } from "@openclaw/sessions";
import type { ChatTurnRequest } from "../chat/chat-service.js";
import type { OpenClawConfig } from "../config/index.js";
import type { CronClock, CronTimer } from "../cron/cron-clock.js";
import type { Logger } from "../logging/logger.js";
import { isWithinActiveHours } from "./active-hours.js";
import { type HeartbeatEvent, indicatorFor, PREVIEW_CHARS } from "./heartbeat-events.js";
import { readHeartbeatFile } from "./heartbeat-file.js";
import { classifyHeartbeatReply } from "./heartbeat-reply.js";
import { type HeartbeatDelivery, type LastRoute, resolveHeartbeatRoute } from "./heartbeat-route.js";
import { type AgentHeartbeat, resolveHeartbeats } from "./heartbeat-settings.js";

/** System events waiting for an agent's next heartbeat (cron `wakeMode: "next-heartbeat"`), per agent. */
const MAX_PENDING_EVENTS = 20;
const MAX_EVENT_CHARS = 2_000;

export interface HeartbeatServiceOptions {
  config: () => OpenClawConfig;
  chat: { start(request: ChatTurnRequest): { runId: string; done: Promise<AgentRunResult> } };
  /** Whether a session has a turn running or queued: a heartbeat then waits for its next tick. */
  isSessionBusy: (sessionKey: string) => boolean;
  deliver: (delivery: HeartbeatDelivery & { text: string }) => Promise<void>;
  lastRoute: (sessionKey: string) => LastRoute | undefined;
  workspaceDir: (agentId: string) => string;
  clock: CronClock;
  emit: (event: HeartbeatEvent) => void;
  logger: Logger;
}

/** One agent's heartbeat as `health` reports it (OpenClaw's `agents[].heartbeat`). */
export interface HeartbeatSummary {
  agentId: string;
  enabled: boolean;
  every: string;
  everyMs: number;
  prompt: string;
  target: string;
  model?: string;
  session?: string;
  ackMaxChars: number;
  /** When the next scheduled heartbeat is due (not part of OpenClaw's health shape). */
  nextAt?: number;
}

interface AgentState {
  settings: AgentHeartbeat;
  timer?: CronTimer;
  nextAt?: number;
  running?: Promise<HeartbeatEvent>;
}

/**
 * Periodic agent turns in each heartbeat agent's main session, as OpenClaw's heartbeat: on the configured cadence,
 * inside active hours, only when `HEARTBEAT.md` holds something to do (or system events wait), never on top of a
 * running turn. An answer that is only `HEARTBEAT_OK` (or `NO_REPLY`) is kept quiet; anything else is delivered to
 * the target. Every outcome is a `heartbeat` event, and the last one is kept for `last-heartbeat`.
 */
export class HeartbeatService {
  readonly #o: HeartbeatServiceOptions;
  readonly #agents = new Map<string, AgentState>();
  readonly #pending = new Map<string, string[]>();
  #enabled = true;
  #started = false;
  #last: HeartbeatEvent | null = null;

  constructor(options: HeartbeatServiceOptions) {
    this.#o = options;
  }

  /** Reads the config and schedules every heartbeat agent; a malformed block is logged and leaves heartbeats off. */
  start(): void {
    this.#started = true;
    this.reload();
  }

  /** Re-reads the heartbeat settings (config reload); agents keep their place in the cadence when it is unchanged. */
  reload(): void {
    if (!this.#started) return;
    let resolved: AgentHeartbeat[];
    try {
      resolved = resolveHeartbeats(this.#o.config());
    } catch (error) {
      this.#o.logger.error("heartbeats are off: the heartbeat config is invalid", {
        error: error instanceof Error ? error.message : String(error),
      });
      resolved = [];
    }
    const wanted = new Set(resolved.map((settings) => settings.agentId));
    for (const [agentId, state] of this.#agents) {
      if (!wanted.has(agentId)) {
        this.#clear(state);
        this.#agents.delete(agentId);
      }
    }
    for (const settings of resolved) {
      for (const key of settings.unsupportedKeys) {
        this.#o.logger.warn(
          `not supported by this gateway: heartbeat.${key} of agent "${settings.agentId}" is ignored`,
          {
            agentId: settings.agentId,
          },
        );
      }
      const state = this.#agents.get(settings.agentId);
      const sameCadence = state?.settings.everyMs === settings.everyMs;
      if (state) state.settings = settings;
      const current = state ?? { settings };
      this.#agents.set(settings.agentId, current);
      if (!sameCadence || current.timer === undefined) this.#schedule(current);
    }
  }

  stop(): void {
    this.#started = false;
    for (const state of this.#agents.values()) this.#clear(state);
  }

  /** `set-heartbeats`: scheduled heartbeats pause (false) or resume (true); manual runs are not affected. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  last(): HeartbeatEvent | null {
    return this.#last;
  }

  summaries(): HeartbeatSummary[] {
    return [...this.#agents.values()].map(({ settings, nextAt }) => ({
      agentId: settings.agentId,
      enabled: settings.enabled && this.#enabled,
      every: settings.every,
      everyMs: settings.everyMs,
      prompt: settings.prompt,
      target: settings.target,
      ...(settings.model ? { model: settings.model } : {}),
      ...(settings.session ? { session: settings.session } : {}),
      ackMaxChars: settings.ackMaxChars,
      ...(nextAt !== undefined ? { nextAt } : {}),
    }));
  }

  /** Whether `agentId` runs heartbeats on a schedule (so a system event queued for it will be picked up). */
  hasScheduledHeartbeat(agentId: string): boolean {
    return this.#agents.get(agentId)?.settings.enabled === true;
  }

  /** Queues a system event for the agent's next heartbeat (cron `wakeMode: "next-heartbeat"`). */
  enqueueSystemEvent(agentId: string, text: string): void {
    const queue = this.#pending.get(agentId) ?? [];
    queue.push(text.slice(0, MAX_EVENT_CHARS));
    while (queue.length > MAX_PENDING_EVENTS) queue.shift();
    this.#pending.set(agentId, queue);
  }

  /** Runs the agent's heartbeat now (or every heartbeat agent's), regardless of the cadence and of `set-heartbeats`. */
  async runNow(agentId?: string): Promise<HeartbeatEvent[]> {
    const states = agentId
      ? [this.#agents.get(agentId)].filter((s) => s !== undefined)
      : [...this.#agents.values()];
    return Promise.all(states.map((state) => this.#run(state, "manual")));
  }

  #clear(state: AgentState): void {
    if (state.timer) this.#o.clock.clearTimer(state.timer);
    state.timer = undefined;
    state.nextAt = undefined;
  }

  #schedule(state: AgentState): void {
    this.#clear(state);
    if (!this.#started || !state.settings.enabled) return;
    const { clock } = this.#o;
    state.nextAt = clock.now() + state.settings.everyMs;
    state.timer = clock.setTimer(() => {
      state.timer = undefined;
      void this.#run(state, "scheduled").finally(() => {
        if (this.#agents.get(state.settings.agentId) === state) this.#schedule(state);
      });
    }, state.settings.everyMs);
  }

  #sessionKey(settings: AgentHeartbeat): string {
    const mainKey = this.#o.config().session.mainKey;
    const session = settings.session?.trim();
    if (!session || session === "main") return buildMainSessionKey(settings.agentId, mainKey);
    return session.startsWith("agent:") ? session : `agent:${settings.agentId}:${session}`;
  }

  #run(state: AgentState, why: "scheduled" | "manual"): Promise<HeartbeatEvent> {
    if (state.running) return state.running;
    const running = this.#execute(state.settings, why)
      .catch(
        (error: unknown): Omit<HeartbeatEvent, "ts" | "agentId"> => ({
          status: "failed",
          reason: "error",
          message: error instanceof Error ? error.message : String(error),
        }),
      )
      .then((outcome) => this.#record(state.settings.agentId, outcome))
      .finally(() => {
        state.running = undefined;
      });
    state.running = running;
    return running;
  }

  #record(agentId: string, outcome: Omit<HeartbeatEvent, "ts" | "agentId">): HeartbeatEvent {
    const indicatorType = indicatorFor(outcome.status);
    const event: HeartbeatEvent = {
      ts: this.#o.clock.now(),
      agentId,
      ...outcome,
      ...(indicatorType ? { indicatorType } : {}),
    };
    this.#last = event;
    this.#o.emit(event);
    const level = event.status === "failed" ? "warn" : "debug";
    this.#o.logger[level]("heartbeat", { agentId, status: event.status, reason: event.reason });
    return event;
  }

  async #execute(
    settings: AgentHeartbeat,
    why: "scheduled" | "manual",
  ): Promise<Omit<HeartbeatEvent, "ts" | "agentId">> {
    const { clock } = this.#o;
    const startedAt = clock.now();
    const skipped = (reason: string, message?: string) => ({
      status: "skipped" as const,
      reason,
      ...(message ? { message } : {}),
    });
    if (why === "scheduled" && !this.#enabled)
      return skipped("disabled", "heartbeats are paused (set-heartbeats)");
    const config = this.#o.config();
    const fallbackZone = (config.agents.defaults as { userTimezone?: string }).userTimezone;
    if (settings.activeHours && !isWithinActiveHours(clock.now(), settings.activeHours, fallbackZone)) {
      return skipped("quiet-hours");
    }
    const sessionKey = this.#sessionKey(settings);
    if (this.#o.isSessionBusy(sessionKey)) return skipped("requests-in-flight");
    const events = this.#pending.get(settings.agentId) ?? [];
    const file = await readHeartbeatFile(this.#o.workspaceDir(settings.agentId));
    if (file.state === "empty" && events.length === 0) {
      return skipped(
        "empty-heartbeat-file",
        "HEARTBEAT.md has nothing to do: add a checklist to enable heartbeats",
      );
    }
    const route = resolveHeartbeatRoute(settings, {
      config,
      lastRoute: () => this.#o.lastRoute(sessionKey),
    });
    if (route.kind === "no-route") return skipped("no-route", route.message);
    this.#pending.delete(settings.agentId);
    const message =
      events.length === 0
        ? settings.prompt
        : `${settings.prompt}\n\nSystem events since the last heartbeat:\n${events.map((text) => `- ${text}`).join("\n")}`;
    const turn = this.#o.chat.start({
      origin: { channel: "heartbeat", trigger: "heartbeat" },
      sessionKey,
      agentId: settings.agentId,
      message,
      ...(settings.model ? { model: settings.model } : {}),
      timeoutMs: settings.timeoutMs,
      queueMode: "followup",
      extraSystemPrompt:
        "The next message is the gateway's scheduled heartbeat poll, not text the user typed. Answer HEARTBEAT_OK when nothing needs the user's attention.",
    });
    const result = await turn.done;
    const durationMs = Math.max(0, clock.now() - startedAt);
    const base = { durationMs, runId: turn.runId };
    if (result.status !== "ok") {
      return {
        ...base,
        status: result.status === "aborted" ? "skipped" : "failed",
        reason: result.status === "aborted" ? "aborted" : (result.error?.code ?? "run-failed"),
        ...(result.error?.message ? { message: result.error.message } : {}),
      };
    }
    const reply = classifyHeartbeatReply(result.text, settings.ackMaxChars);
    if (reply.kind !== "alert") return { ...base, status: reply.kind, silent: true };
    if (route.kind === "none") {
      return {
        ...base,
        status: "skipped",
        reason: "target-none",
        preview: reply.text.slice(0, PREVIEW_CHARS),
        silent: true,
      };
    }
    const where = {
      channel: route.delivery.channel,
      to: route.delivery.to,
      ...(route.delivery.accountId ? { accountId: route.delivery.accountId } : {}),
    };
    try {
      await this.#o.deliver({ ...route.delivery, text: reply.text });
    } catch (error) {
      return {
        ...base,
        ...where,
        status: "failed",
        reason: "delivery-failed",
        message: error instanceof Error ? error.message : String(error),
      };
    }
    return { ...base, ...where, status: "sent", preview: reply.text.slice(0, PREVIEW_CHARS), silent: false };
  }
}
