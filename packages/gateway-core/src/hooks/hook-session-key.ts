import { randomUUID } from "node:crypto";
import {
  buildHookSessionKey,
  isSessionError,
  normalizeSessionKey,
  parseSessionKey,
} from "@openclaw/sessions";
import type { HooksConfig } from "../config/hooks-config-schema.js";
import { HookError } from "./hook-error.js";
import type { HookAgentPayload } from "./hook-payload.js";

/** The session an agent hook runs in: a fresh `hook:<uuid>` one unless the request or `hooks.defaultSessionKey` names one. */
export function agentSessionKey(payload: HookAgentPayload, agentId: string, config: HooksConfig): string {
  const persistent = payload.sessionMode === "persistent";
  if (payload.sessionKey !== undefined) requireRequestKeysAllowed(config);
  if (persistent && (payload.sessionKey === undefined || allowedPrefixes(config).length === 0)) {
    throw new HookError(
      400,
      "SESSION_KEY_NOT_ALLOWED",
      'sessionMode "persistent" needs an explicit sessionKey, hooks.allowRequestSessionKey: true and a non-empty hooks.allowedSessionKeyPrefixes',
    );
  }
  const logical = payload.sessionKey ?? (config.defaultSessionKey?.trim() || undefined);
  if (logical === undefined) {
    const id = randomUUID();
    checkPrefix(`hook:${id}`, config);
    return buildHookSessionKey(id, agentId);
  }
  const key = scopedSessionKey(logical, agentId, config);
  // An isolated run on a stable key gets a fresh session under it, so earlier events do not become context.
  return persistent ? key : `${key}:run:${randomUUID()}`;
}

export function scopedSessionKey(logical: string, agentId: string, config: HooksConfig): string {
  checkPrefix(logical, config);
  try {
    const parsed = parseSessionKey(logical);
    // A key naming another agent is re-scoped to the agent this request resolved to, then checked again.
    let key = normalizeSessionKey(parsed ? `agent:${agentId}:${parsed.rest}` : logical, { agentId });
    if (!key.startsWith("agent:")) key = normalizeSessionKey(`agent:${agentId}:${key}`);
    if (parsed) checkPrefix(key, config);
    return key;
  } catch (error) {
    if (!isSessionError(error)) throw error;
    throw new HookError(400, "INVALID_PAYLOAD", `sessionKey is invalid: ${error.message}`, {
      cause: error,
    });
  }
}

export function requireRequestKeysAllowed(config: HooksConfig): void {
  if (config.allowRequestSessionKey === true) return;
  throw new HookError(
    400,
    "SESSION_KEY_NOT_ALLOWED",
    "a sessionKey in the request is refused: omit it, or set hooks.allowRequestSessionKey: true with hooks.allowedSessionKeyPrefixes",
  );
}

function allowedPrefixes(config: HooksConfig): string[] {
  return (config.allowedSessionKeyPrefixes ?? [])
    .map((prefix) => prefix.trim().toLowerCase())
    .filter((prefix) => prefix !== "");
}

function checkPrefix(key: string, config: HooksConfig): void {
  const prefixes = allowedPrefixes(config);
  if (prefixes.length === 0) return;
  const lower = key.toLowerCase();
  if (prefixes.some((prefix) => lower.startsWith(prefix))) return;
  throw new HookError(
    400,
    "SESSION_KEY_NOT_ALLOWED",
    `session key "${key}" does not start with any of hooks.allowedSessionKeyPrefixes (${prefixes.join(", ")}): use a matching key or widen the list`,
  );
}
