import type { HealthResult } from "@openclaw/protocol";
import type { SessionStore } from "@openclaw/sessions";
import type { ChannelManager } from "../channels/index.js";
import { defaultAgentId } from "../config/configured-agents.js";
import type { OpenClawConfig } from "../config/index.js";
import type { HeartbeatSummary } from "../heartbeat/index.js";

/** A cached answer is reused for this long: `health` is polled by every UI and probe. */
const HEALTH_CACHE_MS = 1000;

export interface HealthSnapshots {
  snapshot(): Promise<HealthResult>;
  /** Drops the cached answer (a channel changed), so the next snapshot is fresh. */
  invalidate(): void;
}

export function createHealthSnapshots(o: {
  sessions: SessionStore;
  channels: () => ChannelManager;
  config: () => OpenClawConfig;
  tickIntervalMs: number;
  now: () => number;
  heartbeats?: () => HeartbeatSummary[];
}): HealthSnapshots {
  let cache: { at: number; value: HealthResult } | undefined;
  let lastSessions: HealthResult["sessions"] | undefined;
  const sessionsSummary = async (): Promise<HealthResult["sessions"]> => {
    const now = o.now();
    const recent = (await o.sessions.list({ limit: 5 })).rows;
    return {
      path: o.sessions.indexPath,
      count: await o.sessions.count(),
      recent: recent.map((row) => recentRow(row, now)),
    };
  };
  return {
    async snapshot() {
      const now = o.now();
      if (cache && now - cache.at < HEALTH_CACHE_MS) return { ...cache.value, ts: now };
      const started = performance.now();
      const sessions = await sessionsSummary().catch(() => undefined);
      const channelSummary = await o.channels().status();
      const defaultId = defaultAgentId(o.config());
      const heartbeats = o.heartbeats?.() ?? [];
      const value: HealthResult = {
        ok: true,
        ts: now,
        durationMs: Math.round(performance.now() - started),
        heartbeatSeconds: Math.round(o.tickIntervalMs / 1000),
        defaultAgentId: defaultId,
        channels: channelSummary.channels,
        channelOrder: channelSummary.channelOrder,
        channelLabels: channelSummary.channelLabels,
        // The store unreachable (a cluster's database lost): the control plane still answers, with the last count.
        sessions: sessions ?? lastSessions ?? { path: o.sessions.indexPath, count: 0, recent: [] },
      };
      if (sessions) lastSessions = sessions;
      if (heartbeats.length > 0 && sessions) {
        value.agents = await Promise.all(
          heartbeats.map(async ({ agentId, nextAt: _nextAt, ...heartbeat }) => {
            const own = await o.sessions.list({ agentId, limit: 5 });
            return {
              agentId,
              isDefault: agentId === defaultId,
              heartbeat,
              sessions: {
                path: o.sessions.indexPath,
                count: own.total,
                recent: own.rows.map((row) => recentRow(row, now)),
              },
            };
          }),
        );
      }
      cache = { at: now, value };
      return value;
    },
    invalidate() {
      cache = undefined;
    },
  };
}

function recentRow(row: { key: string; updatedAt?: unknown }, now: number) {
  return {
    key: row.key,
    updatedAt: typeof row.updatedAt === "number" ? Math.round(row.updatedAt) : null,
    age: typeof row.updatedAt === "number" ? Math.max(0, Math.round(now - row.updatedAt)) : null,
  };
}
