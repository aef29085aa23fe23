import type { ToolContext } from "@openclaw/agent";
import type { SessionInfo, SessionsPort } from "../ports/sessions-port.js";
import type { SessionToolSettings } from "./session-tools-config.js";
import { decideSessionAccess, type SessionCaller } from "./session-visibility.js";

/** What every session tool is built with. */
export interface SessionToolsOptions {
  /** Read on every call, so a config edit applies to the next call (see `resolveSessionToolSettings`). */
  settings(agentId: string): SessionToolSettings;
}

export async function resolveCaller(port: SessionsPort, ctx: ToolContext): Promise<SessionCaller> {
  const own = ctx.sessionKey === "" ? undefined : await port.get(ctx.sessionKey);
  return { key: ctx.sessionKey, agentId: ctx.agentId, isMain: own?.isMain ?? false };
}

export type TargetResolution =
  | { ok: true; session: SessionInfo }
  | { ok: false; status: "forbidden" | "error"; error: string };

/**
 * The session a tool call names (by key, `current`, or by label within an agent), checked against the visibility
 * policy. A session that does not exist and one that is not visible are both reported, with different statuses.
 */
export async function resolveVisibleSession(
  port: SessionsPort,
  caller: SessionCaller,
  settings: SessionToolSettings,
  target: { sessionKey?: string; label?: string; agentId?: string },
): Promise<TargetResolution> {
  const named = target.sessionKey?.trim();
  const key =
    named === "current" || (named === undefined && target.label === undefined && target.agentId === undefined)
      ? caller.key
      : await port.resolveKey({
          ...(named ? { sessionKey: named } : {}),
          ...(target.label ? { label: target.label } : {}),
          agentId: target.agentId ?? caller.agentId,
        });
  const described = describeTarget(target);
  if (key === undefined || key === "") {
    return { ok: false, status: "error", error: `no session found for ${described}` };
  }
  const session = await port.get(key);
  if (session === undefined)
    return { ok: false, status: "error", error: `no session found for ${described}` };
  const decision = await decideSessionAccess(caller, session, settings, (k) => port.get(k));
  if (!decision.allowed) return { ok: false, status: "forbidden", error: decision.reason };
  return { ok: true, session };
}

function describeTarget(target: { sessionKey?: string; label?: string; agentId?: string }): string {
  if (target.sessionKey) return `sessionKey "${target.sessionKey}"`;
  if (target.label) return `label "${target.label}"${target.agentId ? ` of agent "${target.agentId}"` : ""}`;
  return `agent "${target.agentId}"`;
}
