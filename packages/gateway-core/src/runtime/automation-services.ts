import type { ClusterCoordinator } from "@openclaw/sessions";
import { createAuthRateLimiter } from "../auth/auth-rate-limiter.js";
import type { ChannelManager } from "../channels/index.js";
import type { ChatService } from "../chat/chat-service.js";
import { agentRoster } from "../config/configured-agents.js";
import type { OpenClawConfig } from "../config/index.js";
import { systemCronClock } from "../cron/cron-clock.js";
import { type CronClock, type CronJobStore, CronService, readCronSettings } from "../cron/index.js";
import { reportCronRun } from "../diagnostics/cron-run-reporter.js";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import { HeartbeatService } from "../heartbeat/index.js";
import { createHookHandler, type HookHandler } from "../hooks/index.js";
import type { Logger } from "../logging/logger.js";
import { resolveAgentWorkspaceDir } from "../workspace/workspace-dir.js";

/**
 * Webhook runs (`hooks`), scheduled jobs (`cron`) and the agents' heartbeats: all start agent turns and answer into
 * a channel.
 */
export interface AutomationServices {
  hooks: HookHandler;
  cron: CronService;
  heartbeat: HeartbeatService;
}

export function createAutomationServices(o: {
  config: () => OpenClawConfig;
  chat: ChatService;
  channels: ChannelManager;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  broadcast: (event: string, payload: unknown, requiredScope?: string) => void;
  cron?: { clock?: CronClock; catchUpDelayMs?: number };
  /** Where jobs and runs are kept; cron's file store under the state dir when omitted. */
  cronStore?: CronJobStore;
  /** Receives a `cron.run` event per finished job run. */
  diagnostics?: DiagnosticBus;
  /** Several gateways on one store: one leader runs the timer, each slot is claimed once (needs `cronStore`). */
  cluster?: ClusterCoordinator;
}): AutomationServices {
  const { config, logger } = o;
  const deliver = async (delivery: {
    channel: string;
    to: string;
    accountId?: string;
    threadId?: string;
    text: string;
  }) => {
    await o.channels.send({
      channel: delivery.channel,
      to: delivery.to,
      message: delivery.text,
      ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
      ...(delivery.threadId ? { threadId: delivery.threadId } : {}),
    });
  };
  // Both may name any configured agent.
  const agents = () => agentRoster(config());
  // Cheap to construct: timers are armed in start(), after listen.
  const heartbeat = new HeartbeatService({
    config,
    chat: o.chat,
    isSessionBusy: (sessionKey) => o.chat.agent.isActive(sessionKey),
    deliver,
    lastRoute: (sessionKey) => o.channels.lastRouteOf(sessionKey),
    workspaceDir: (agentId) =>
      resolveAgentWorkspaceDir(config(), agentId, { stateDir: o.stateDir, env: o.env }),
    clock: o.cron?.clock ?? systemCronClock,
    emit: (event) => o.broadcast("heartbeat", event, "operator.read"),
    logger: logger.child({ component: "heartbeat" }),
  });
  // Hooks get their own limiter, as OpenClaw documents it: loopback is not exempt, since webhook senders are
  // often local scripts and proxies.
  const hooks = createHookHandler({
    config: () => config().hooks,
    chat: o.chat,
    rateLimiter: createAuthRateLimiter({
      maxAttempts: 20,
      windowMs: 60_000,
      lockoutMs: 60_000,
      exemptLoopback: false,
    }),
    agents,
    deliver,
    heartbeat,
    logger: logger.child({ component: "hooks" }),
  });
  // Cheap to construct: the jobs file is read (and croner loaded, if needed) in start(), after listen.
  const cron = new CronService({
    stateDir: o.stateDir,
    chat: o.chat,
    deliver,
    emit: (event) => {
      o.broadcast("cron", event, "operator.read");
      if (o.diagnostics) reportCronRun(o.diagnostics, event);
    },
    agents,
    mainKey: () => config().session.mainKey,
    settings: () => readCronSettings(config(), o.env),
    logger: logger.child({ component: "cron" }),
    ...(o.cronStore ? { store: o.cronStore } : {}),
    ...(o.cluster ? { cluster: o.cluster } : {}),
    ...(o.cron?.clock ? { clock: o.cron.clock } : {}),
    ...(o.cron?.catchUpDelayMs !== undefined ? { catchUpDelayMs: o.cron.catchUpDelayMs } : {}),
    heartbeat,
  });
  return { hooks, cron, heartbeat };
}
