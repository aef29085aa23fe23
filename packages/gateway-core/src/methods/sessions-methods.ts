import { normalizeSessionKey } from "@openclaw/sessions";
import type { MethodHandlers } from "../runtime/method-registry.js";

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
    const { rows, total } = await runtime.sessions.list(params ?? {});
    return { ts: Date.now(), path: runtime.sessions.indexPath, count: rows.length, total, sessions: rows };
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
