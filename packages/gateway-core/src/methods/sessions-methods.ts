import type { SessionsListParams } from "@openclaw/protocol";
import { normalizeSessionKey, type SessionStoreRow } from "@openclaw/sessions";
import { SubagentRegistry } from "../agent-tools/ports/subagent-registry.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { sessionDefaults } from "./session-defaults.js";

type ListOptions = Omit<NonNullable<SessionsListParams>, "spawnedBy">;

/**
 * `spawnedBy`: the sub-agent sessions a session spawned, read from the sub-agent lineage the session tools keep
 * (`subagents/runs.json`), then filtered and paged like any list.
 */
async function listSpawnedBy(
  runtime: GatewayRuntime,
  parentKey: string,
  { limit, offset, ...filters }: ListOptions,
): Promise<{ rows: SessionStoreRow[]; total: number }> {
  const lineage = await SubagentRegistry.open(runtime.configState.paths.stateDir);
  const { rows } = await runtime.sessions.list(filters);
  const children = rows.filter((row) => lineage.get(row.key)?.parentKey === parentKey);
  const start = offset ?? 0;
  return {
    rows: children.slice(start, limit === undefined ? undefined : start + limit),
    total: children.length,
  };
}

export const sessionsMethods: Pick<
  MethodHandlers,
  | "sessions.list"
  | "sessions.preview"
  | "sessions.resolve"
  | "sessions.patch"
  | "sessions.reset"
  | "sessions.delete"
  | "sessions.compact"
> = {
  "sessions.list": async (params, { runtime }) => {
    const { spawnedBy, ...options } = params ?? {};
    const page =
      spawnedBy === undefined
        ? await runtime.sessions.list(options)
        : await listSpawnedBy(runtime, normalizeSessionKey(spawnedBy), options);
    const offset = options.offset ?? 0;
    const nextOffset = offset + page.rows.length;
    const hasMore = nextOffset < page.total;
    return {
      ts: Date.now(),
      path: runtime.sessions.indexPath,
      count: page.rows.length,
      totalCount: page.total,
      ...(options.limit === undefined ? {} : { limitApplied: options.limit }),
      ...(offset > 0 ? { offset } : {}),
      nextOffset: hasMore ? nextOffset : null,
      hasMore,
      owners: [],
      defaults: sessionDefaults(runtime, options.agentId),
      sessions: page.rows,
    };
  },
  "sessions.preview": async ({ keys, limit, maxChars }, { runtime }) => ({
    ts: Date.now(),
    previews: await runtime.sessions.preview(
      keys.map((key) => normalizeSessionKey(key)),
      { limit, maxChars },
    ),
  }),
  "sessions.resolve": async (params, { runtime }) => {
    const resolved = await runtime.sessions.resolve({
      key: params.key === undefined ? undefined : normalizeSessionKey(params.key),
      sessionId: params.sessionId,
      label: params.label,
      agentId: params.agentId,
      allowMissing: params.allowMissing,
    });
    return resolved;
  },
  "sessions.patch": async ({ key, agentId: _agentId, ...fields }, { runtime }) => {
    const normalized = normalizeSessionKey(key);
    const entry = await runtime.sessions.patch(normalized, fields);
    return { ok: true as const, key: normalized, entry };
  },
  "sessions.reset": async ({ key, reason }, { runtime }) => {
    const normalized = normalizeSessionKey(key);
    const { row, previousSessionId } = await runtime.sessions.reset(normalized, { reason });
    return previousSessionId === undefined
      ? { ok: true as const, key: normalized, entry: row }
      : { ok: true as const, key: normalized, entry: row, previousSessionId };
  },
  "sessions.delete": async ({ key, deleteTranscript, expectedSessionId }, { runtime }) => {
    const normalized = normalizeSessionKey(key);
    const result = await runtime.sessions.delete(normalized, { deleteTranscript, expectedSessionId });
    return { ok: true as const, key: normalized, ...result };
  },
  "sessions.compact": async ({ key, maxLines }, { runtime }) => {
    const normalized = normalizeSessionKey(key);
    const result = await runtime.sessions.compact(normalized, { maxLines });
    return { ok: true as const, key: normalized, ...result };
  },
};
