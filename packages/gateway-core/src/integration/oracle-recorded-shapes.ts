/**
 * Result shapes OpenClaw's published protocol schema leaves out (it publishes params for these methods, not
 * results), written down from what OpenClaw 2026.9.6 actually answers: the frames its Control UI exchanged with the
 * real gateway (`../shared/reference/openclaw-2026.9.6-control-ui-frames.jsonl`, checked by
 * oracle-recorded-shapes.test.ts against these very schemas) and the fields its CLI, TUI and Control UI read.
 *
 * Every field an OpenClaw client reads is required and typed here, so a missing or renamed field fails the oracle;
 * fields this gateway adds beside them are allowed (OpenClaw's own answers carry many more than its clients read).
 */

const string = { type: "string" } as const;
const nonEmpty = { type: "string", minLength: 1 } as const;
const boolean = { type: "boolean" } as const;
const count = { type: "integer", minimum: 0 } as const;
const number = { type: "number" } as const;
const object = { type: "object" } as const;
const array = (items: object = {}) => ({ type: "array", items }) as const;
const nullable = (schema: object) => ({ anyOf: [schema, { type: "null" }] }) as const;
const shape = (required: Record<string, object>, optional: Record<string, object> = {}) => ({
  type: "object",
  required: Object.keys(required),
  properties: { ...required, ...optional },
});

/** `condition` implies `requirement` (JSON Schema's if/then, spelled without a `then` key). */
const when = (condition: object, requirement: object) => ({ anyOf: [{ not: condition }, requirement] });

/** A `content` block of a transcript message; a `toolCall` block names the call its `toolResult` answers. */
const contentBlock = {
  type: "object",
  required: ["type"],
  properties: { type: nonEmpty },
  allOf: [
    when({ properties: { type: { const: "text" } } }, { required: ["text"], properties: { text: string } }),
    when(
      { properties: { type: { const: "toolCall" } } },
      { required: ["id", "name", "arguments"], properties: { id: nonEmpty, name: nonEmpty } },
    ),
  ],
} as const;

/** A message of OpenClaw's transcripts, as `chat.history`, `chat.startup` and the `chat` event carry them. */
export const transcriptMessage = {
  ...shape(
    {
      role: { enum: ["user", "assistant", "toolResult", "system", "custom"] },
      content: { anyOf: [string, array(contentBlock)] },
      timestamp: number,
    },
    { __openclaw: object },
  ),
  allOf: [
    when(
      { properties: { role: { const: "toolResult" } } },
      { required: ["toolCallId", "toolName"], properties: { toolCallId: nonEmpty, toolName: nonEmpty } },
    ),
  ],
} as const;

const sessionDefaults = shape({
  modelProvider: nullable(string),
  model: nullable(string),
  contextTokens: nullable(count),
});

/** A pending approval: an `exec.approval.list` row and the `exec.approval.requested` payload. */
export const pendingApproval = shape({
  id: nonEmpty,
  request: shape({ command: nonEmpty }),
  createdAtMs: count,
  expiresAtMs: count,
});

const statusSession = shape({ key: nonEmpty, updatedAt: nullable(number), age: nullable(number) });

export const RECORDED_RESULT_SHAPES: Record<string, object> = {
  /** OpenClaw's status summary: `openclaw status` maps `sessions.byAgent` and reads `channelSummary.length`. */
  status: shape(
    {
      runtimeVersion: string,
      heartbeat: shape({
        defaultAgentId: nonEmpty,
        agents: array(shape({ agentId: nonEmpty, enabled: boolean, every: string, everyMs: count })),
      }),
      channelSummary: array(string),
      queuedSystemEvents: array(),
      tasks: shape({ total: count, active: count, terminal: count, failures: count, byStatus: object }),
      taskAudit: shape({ total: count, warnings: count, errors: count, byCode: object }),
      sessions: shape({
        paths: array(string),
        count,
        defaults: shape({ model: nullable(string), contextTokens: nullable(number) }),
        recent: array(statusSession),
        byAgent: array(shape({ agentId: nonEmpty, path: string, count, recent: array(statusSession) })),
      }),
      pid: count,
    },
    {
      cliProjection: shape({
        agents: shape({
          defaultId: nonEmpty,
          ownership: string,
          selectionRequired: boolean,
          rows: array(shape({ id: nonEmpty }, { name: string })),
        }),
      }),
    },
  ),
  /** A bare array; each pending approval carries the request as asked (`request.command`). */
  "exec.approval.list": array(pendingApproval),
  "chat.history": shape(
    { sessionKey: nonEmpty, messages: array(transcriptMessage), hasMore: boolean },
    { sessionId: string, nextOffset: count, totalMessages: count, offset: count },
  ),
  /** `runId` is the send's `idempotencyKey` (checked by the tests that know the key). */
  "chat.send": shape({ runId: nonEmpty, status: { enum: ["started", "in_flight", "ok"] } }),
  "sessions.list": shape(
    {
      ts: count,
      path: string,
      count,
      totalCount: count,
      nextOffset: nullable(count),
      hasMore: boolean,
      owners: array(),
      defaults: sessionDefaults,
      sessions: array(),
    },
    { limitApplied: count, offset: count },
  ),
  "config.get": shape({
    path: string,
    exists: boolean,
    raw: nullable(string),
    parsed: nullable(object),
    sourceConfig: object,
    resolved: object,
    runtimeConfig: object,
    config: object,
    valid: boolean,
    hash: string,
    issues: array(),
    warnings: array(),
    legacyIssues: array(),
    configRevisionHash: string,
    appliedConfigHash: string,
  }),
  /** OpenClaw's CLI refuses a page without `snapshotRevision` ("invalid inventory page"). */
  "cron.list": shape({
    jobs: array(),
    snapshotRevision: nonEmpty,
    total: count,
    offset: count,
    limit: count,
    hasMore: boolean,
    nextOffset: nullable(count),
  }),
  "cron.status": shape({ enabled: boolean, storePath: string, jobs: count, nextWakeAtMs: nullable(count) }),
};

/**
 * Params where OpenClaw 2026.9.6 takes more than its published 2026.9.1 schema (copied from the release's own
 * validators in dist/src-*.mjs): these replace the published definition when a test checks what it sends.
 */
export const RELEASE_PARAM_SHAPES: Record<string, object> = {
  /** Its CLI's `models list` sends `provider` and `includeDetails`. */
  "models.list": {
    type: "object",
    additionalProperties: false,
    properties: {
      agentId: nonEmpty,
      sessionKey: nonEmpty,
      authProfileId: nonEmpty,
      provider: nonEmpty,
      includeDetails: boolean,
      includeProviderCapabilities: boolean,
      includeDefaultModels: boolean,
      preparedOnly: boolean,
      refresh: boolean,
      view: { enum: ["default", "configured", "provider-config", "all"] },
    },
    allOf: [
      {
        not: {
          properties: { preparedOnly: { const: true }, refresh: { const: true } },
          required: ["preparedOnly", "refresh"],
        },
      },
      { not: { required: ["sessionKey", "authProfileId"] } },
    ],
  },
};
