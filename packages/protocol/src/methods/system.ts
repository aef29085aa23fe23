import { z } from "zod";
import { LIMITS } from "../limits.js";

export const EmptyParamsSchema = z.object({}).optional();

export const HealthParamsSchema = z
  .object({
    probe: z.boolean().optional(),
    /**
     * True adds `cluster` (this gateway's instances on a shared store). Asked for, because OpenClaw's clients check
     * the health shape strictly and know no such field.
     */
    cluster: z.boolean().optional(),
  })
  .optional();
const HealthSessionsSchema = z.object({
  path: z.string(),
  count: z.int().min(0),
  recent: z.array(
    z.object({ key: z.string(), updatedAt: z.int().min(0).nullable(), age: z.int().min(0).nullable() }),
  ),
});

export const HeartbeatSummarySchema = z.object({
  enabled: z.boolean(),
  every: z.string(),
  everyMs: z.int().min(0),
  prompt: z.string(),
  target: z.string(),
  model: z.string().optional(),
  session: z.string().optional(),
  ackMaxChars: z.int().min(0),
});

/** One heartbeat's outcome: the `heartbeat` event and `last-heartbeat`'s answer (OpenClaw's shape). */
export const HeartbeatEventSchema = z.object({
  ts: z.int().min(0),
  status: z.enum(["sent", "ok-empty", "ok-token", "skipped", "failed"]),
  agentId: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  durationMs: z.int().min(0).optional(),
  channel: z.string().optional(),
  to: z.string().optional(),
  accountId: z.string().optional(),
  preview: z.string().optional(),
  silent: z.boolean().optional(),
  indicatorType: z.enum(["ok", "alert", "error"]).optional(),
  runId: z.string().optional(),
});
export type HeartbeatEvent = z.infer<typeof HeartbeatEventSchema>;
export const LastHeartbeatParamsSchema = z.object({}).optional();
export const LastHeartbeatResultSchema = HeartbeatEventSchema.nullable();
export const SetHeartbeatsParamsSchema = z.object({ enabled: z.boolean() });
export const SetHeartbeatsResultSchema = z.object({ ok: z.literal(true), enabled: z.boolean() });

/** One gateway instance of a cluster (several gateways sharing one PostgreSQL store). */
export const ClusterInstanceSchema = z.object({
  instanceId: z.string(),
  address: z.string().optional(),
  version: z.string(),
  hostname: z.string(),
  pid: z.int(),
  startedAt: z.int().min(0),
  lastSeenAt: z.int().min(0),
  /** Heard from within the last three heartbeats. */
  alive: z.boolean(),
  /** The instance that answered. */
  self: z.boolean(),
});
export type ClusterInstance = z.infer<typeof ClusterInstanceSchema>;

/** This gateway's view of its cluster; absent when it runs alone (no shared store). */
export const ClusterSummarySchema = z.object({
  instanceId: z.string(),
  /** "unavailable" while the shared store cannot be reached: the control plane stays up, writes are refused. */
  storage: z.enum(["ok", "unavailable"]),
  instances: z.array(ClusterInstanceSchema),
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

export const HealthResultSchema = z.object({
  ok: z.literal(true),
  ts: z.int().min(0),
  durationMs: z.int().min(0),
  heartbeatSeconds: z.int().min(0).optional(),
  defaultAgentId: z.string().optional(),
  channels: z.record(z.string(), z.unknown()),
  channelOrder: z.array(z.string()),
  channelLabels: z.record(z.string(), z.string()),
  sessions: HealthSessionsSchema,
  /** Several gateways sharing one store: who they are and whether the store answers (with `cluster: true`). */
  cluster: ClusterSummarySchema.optional(),
  /** Per agent, as OpenClaw reports it: whether and how often its heartbeat runs. */
  agents: z
    .array(
      z.object({
        agentId: z.string(),
        isDefault: z.boolean(),
        heartbeat: HeartbeatSummarySchema,
        sessions: HealthSessionsSchema,
      }),
    )
    .optional(),
});
export type HealthResult = z.infer<typeof HealthResultSchema>;

/** OpenClaw's CLI asks for its channel summary and its own projection of the config; both are optional. */
export const StatusParamsSchema = z
  .object({ includeChannelSummary: z.boolean().optional(), includeCliProjection: z.boolean().optional() })
  .optional();

/** One recent session in OpenClaw's status summary (sent to admins only, as OpenClaw redacts it for readers). */
const StatusSessionSchema = z.object({
  agentId: z.string(),
  key: z.string(),
  kind: z.string(),
  sessionId: z.string().optional(),
  updatedAt: z.number().nullable(),
  age: z.number().nullable(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  totalTokens: z.number().nullable(),
  totalTokensFresh: z.boolean(),
  remainingTokens: z.number().nullable(),
  percentUsed: z.number().nullable(),
  model: z.string().nullable(),
  contextTokens: z.number().nullable(),
  flags: z.array(z.string()),
});

/** Tasks by status and runtime, as OpenClaw counts its background tasks; this gateway runs none of its kinds. */
const StatusTaskCountsSchema = z.object({
  total: z.int().min(0),
  active: z.int().min(0),
  terminal: z.int().min(0),
  failures: z.int().min(0),
  byStatus: z.record(z.string(), z.int().min(0)),
  byRuntime: z.record(z.string(), z.int().min(0)),
});

/**
 * `status`: OpenClaw's status summary (`runtimeVersion`, `heartbeat`, `channelSummary`, `queuedSystemEvents`,
 * `tasks`, `taskAudit`, `sessions` with `byAgent`, `pid`, and `cliProjection` when asked), which OpenClaw's
 * `openclaw status` reads, plus this gateway's own facts (version, bind, auth, uptime, connections, ...).
 */
export const StatusResultSchema = z.object({
  ok: z.literal(true),
  runtimeVersion: z.string(),
  heartbeat: z.object({
    defaultAgentId: z.string(),
    agents: z.array(
      z.object({
        agentId: z.string(),
        enabled: z.boolean(),
        every: z.string(),
        everyMs: z.int().min(0),
        waitingForRoute: z.boolean(),
      }),
    ),
  }),
  channelSummary: z.array(z.string()),
  queuedSystemEvents: z.array(z.string()),
  tasks: StatusTaskCountsSchema,
  taskAudit: z.object({
    total: z.int().min(0),
    warnings: z.int().min(0),
    errors: z.int().min(0),
    byCode: z.record(z.string(), z.int().min(0)),
  }),
  sessions: z.object({
    /** Session index files; empty for a reader (OpenClaw shows paths to admins only). */
    paths: z.array(z.string()),
    count: z.int().min(0),
    defaults: z.object({ model: z.string().nullable(), contextTokens: z.number().nullable() }),
    recent: z.array(StatusSessionSchema),
    byAgent: z.array(
      z.object({
        agentId: z.string(),
        path: z.string(),
        count: z.int().min(0),
        recent: z.array(StatusSessionSchema),
      }),
    ),
  }),
  /** What OpenClaw's CLI shows of the config without reading it itself: the agent roster. */
  cliProjection: z
    .object({
      agents: z.object({
        defaultId: z.string(),
        ownership: z.literal("sole"),
        selectionRequired: z.boolean(),
        rows: z.array(z.object({ id: z.string(), name: z.string().optional() })),
      }),
    })
    .optional(),
  version: z.string(),
  protocol: z.int(),
  pid: z.int(),
  uptimeMs: z.int().min(0),
  startedAt: z.int().min(0),
  nodeVersion: z.string(),
  platform: z.string(),
  bind: z.object({ mode: z.string(), host: z.string(), port: z.int() }),
  auth: z.object({ mode: z.string() }),
  configPath: z.string(),
  stateDir: z.string(),
  connections: z.int().min(0),
  agents: z.object({ count: z.int().min(0), defaultId: z.string() }),
  channels: z.array(z.string()),
  memory: z.object({ rss: z.int().min(0), heapUsed: z.int().min(0) }),
  configWarnings: z.array(z.string()),
  cluster: ClusterSummarySchema.optional(),
});
export type StatusResult = z.infer<typeof StatusResultSchema>;

export const PresenceEntrySchema = z.object({
  host: z.string().min(1).optional(),
  ip: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  platform: z.string().min(1).optional(),
  mode: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
  text: z.string().optional(),
  ts: z.int().min(0),
  onlineSince: z.int().min(0).optional(),
  lastActivityAt: z.int().min(0).optional(),
  roles: z.array(z.string().min(1)).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  instanceId: z.string().min(1).optional(),
});
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>;
export const SystemPresenceResultSchema = z.array(PresenceEntrySchema);

export const LogsTailParamsSchema = z
  .object({
    cursor: z.int().min(0).optional(),
    limit: z.int().min(1).max(5000).optional(),
    maxBytes: z.int().min(1).max(1_000_000).optional(),
  })
  .optional();
export type LogsTailParams = z.infer<typeof LogsTailParamsSchema>;
export const LogsTailResultSchema = z.object({
  file: z.string(),
  cursor: z.int().min(0),
  size: z.int().min(0),
  lines: z.array(z.string()),
  truncated: z.boolean().optional(),
  reset: z.boolean().optional(),
});
export type LogsTailResult = z.infer<typeof LogsTailResultSchema>;

export const ChannelsStatusParamsSchema = z
  .object({
    probe: z.boolean().optional(),
    timeoutMs: z.int().min(0).optional(),
    channel: z.string().max(LIMITS.idChars).optional(),
  })
  .optional();
export type ChannelsStatusParams = z.infer<typeof ChannelsStatusParamsSchema>;

export const ChannelAccountSnapshotSchema = z.looseObject({
  accountId: z.string(),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
  configured: z.boolean().optional(),
  running: z.boolean().optional(),
  connected: z.boolean().optional(),
  lastError: z.string().nullable().optional(),
  lastStartAt: z.int().min(0).nullable().optional(),
  lastStopAt: z.int().min(0).nullable().optional(),
  lastInboundAt: z.int().min(0).nullable().optional(),
  lastOutboundAt: z.int().min(0).nullable().optional(),
  /**
   * Several gateways on one store: "owner" runs the account here, "standby" waits for its lease, "shared" (webhook
   * mode) runs on every instance.
   */
  ownership: z.enum(["owner", "standby", "shared"]).optional(),
  /** The instance running the account (null while nobody holds its lease). */
  owner: z.object({ instanceId: z.string() }).nullable().optional(),
});
export type ChannelAccountSnapshot = z.infer<typeof ChannelAccountSnapshotSchema>;

export const ChannelsStatusResultSchema = z.object({
  ts: z.int().min(0),
  channelOrder: z.array(z.string()),
  channelLabels: z.record(z.string(), z.string()),
  channels: z.record(z.string(), z.unknown()),
  channelAccounts: z.record(z.string(), z.array(ChannelAccountSnapshotSchema)),
  channelDefaultAccountId: z.record(z.string(), z.string().min(1)),
});
export type ChannelsStatusResult = z.infer<typeof ChannelsStatusResultSchema>;
