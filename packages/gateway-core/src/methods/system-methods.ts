import { PROTOCOL_VERSION } from "@openclaw/protocol";
import { defaultAgentId } from "../config/configured-agents.js";
import { tailLogFile } from "../logging/tail-log-file.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { listAgents } from "./agents-methods.js";
import { openClawStatusSummary } from "./status-summary.js";

export const systemMethods: Pick<
  MethodHandlers,
  "health" | "status" | "system-presence" | "logs.tail" | "last-heartbeat" | "set-heartbeats"
> = {
  // The cluster's members only when asked: OpenClaw's clients check the health shape strictly.
  health: async (params, { runtime }) => {
    const snapshot = await runtime.healthSnapshot();
    return params?.cluster && runtime.cluster
      ? { ...snapshot, cluster: runtime.cluster.summary() }
      : snapshot;
  },
  status: async (params, { runtime, scopes }) => {
    const now = Date.now();
    const memory = process.memoryUsage();
    const credential = await runtime.resolveCredential();
    const agents = listAgents(runtime);
    const summary = await openClawStatusSummary(runtime, {
      scopes,
      includeCliProjection: params?.includeCliProjection === true,
    });
    return {
      ok: true as const,
      ...summary,
      version: runtime.version,
      protocol: PROTOCOL_VERSION,
      pid: process.pid,
      uptimeMs: now - runtime.startedAt,
      startedAt: runtime.startedAt,
      nodeVersion: process.version,
      platform: `${process.platform}-${process.arch}`,
      bind: runtime.bind,
      auth: { mode: credential.mode },
      configPath: runtime.configState.paths.configPath,
      stateDir: runtime.configState.paths.stateDir,
      connections: runtime.connectionCount(),
      agents: { count: agents.length, defaultId: defaultAgentId(runtime.configState.config) },
      // Configured channels only: a registered channel kind without a config section is available, not present.
      channels: runtime.channels.configuredChannelIds(),
      memory: { rss: memory.rss, heapUsed: memory.heapUsed },
      configWarnings: runtime.configState.current.warnings,
      ...(runtime.cluster ? { cluster: runtime.cluster.summary() } : {}),
    };
  },
  "system-presence": (_params, { runtime }) => runtime.presenceEntries(),
  "logs.tail": (params, { runtime }) => tailLogFile(runtime.logFile, params ?? {}),
  "last-heartbeat": (_params, { runtime }) => runtime.heartbeat.last(),
  "set-heartbeats": (params, { runtime }) => {
    runtime.heartbeat.setEnabled(params.enabled);
    return { ok: true as const, enabled: params.enabled };
  },
};
