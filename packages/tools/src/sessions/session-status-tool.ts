import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import type { SessionInfo, SessionsPort } from "../ports/sessions-port.js";
import { refuseUnsupportedParams } from "./refuse-unsupported-params.js";
import { resolveCaller, resolveVisibleSession, type SessionToolsOptions } from "./session-tool-target.js";

const SessionStatusSchema = z.object({
  sessionKey: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe('Session key from sessions_list; omit (or "current") for this session.'),
});

const UNSUPPORTED = {
  model: "the session's model is not changed from a tool here; ask the operator (sessions.patch)",
  changesSince: "session state-change events are not recorded here; read sessions_history instead",
};

export function createSessionStatusTool(port: SessionsPort, options: SessionToolsOptions): AgentTool {
  return {
    name: "session_status",
    description:
      "Show the status of this session (or another one you can see): agent, model, token usage, message count, last activity, whether a run is going on, and its parent if it is a sub-agent.",
    parameters: SessionStatusSchema,
    async execute(rawArgs, ctx) {
      refuseUnsupportedParams("session_status", rawArgs, UNSUPPORTED);
      const args = parseToolArgs("session_status", SessionStatusSchema, rawArgs);
      const settings = options.settings(ctx.agentId);
      const caller = await resolveCaller(port, ctx);
      const target = await resolveVisibleSession(port, caller, settings, {
        sessionKey: args.sessionKey ?? "current",
      });
      if (!target.ok) return { status: target.status, error: target.error };
      const session = target.session;
      const defaultModel = port.agents().find((agent) => agent.id === session.agentId)?.model;
      const model = session.model ?? defaultModel;
      return {
        ok: true,
        sessionKey: session.key,
        agentId: session.agentId,
        changedModel: false,
        statusText: statusText(session, model),
        ...(model ? { model, modelProvider: model.split("/")[0] } : {}),
        ...(session.sessionId ? { sessionId: session.sessionId } : {}),
        kind: session.kind,
        channel: session.channel,
        usage: {
          inputTokens: session.inputTokens ?? 0,
          outputTokens: session.outputTokens ?? 0,
          totalTokens: session.totalTokens ?? (session.inputTokens ?? 0) + (session.outputTokens ?? 0),
        },
        ...(session.messageCount !== undefined ? { messageCount: session.messageCount } : {}),
        ...(session.updatedAt !== undefined ? { updatedAt: session.updatedAt } : {}),
        running: session.running,
        ...(session.parentSessionKey ? { parentSessionKey: session.parentSessionKey } : {}),
        spawnDepth: session.spawnDepth,
      };
    },
  };
}

function statusText(session: SessionInfo, model: string | undefined): string {
  const lines = [
    `Session: ${session.key}${session.label ? ` (${session.label})` : ""}`,
    `Agent: ${session.agentId}`,
    `Model: ${model ?? "default"}`,
    `Tokens: ${session.inputTokens ?? 0} in / ${session.outputTokens ?? 0} out`,
  ];
  if (session.messageCount !== undefined) lines.push(`Messages: ${session.messageCount}`);
  if (session.updatedAt !== undefined)
    lines.push(`Last activity: ${new Date(session.updatedAt).toISOString()}`);
  lines.push(`Run: ${session.running ? "running" : "idle"}`);
  if (session.parentSessionKey)
    lines.push(`Spawned by: ${session.parentSessionKey} (depth ${session.spawnDepth})`);
  return lines.join("\n");
}
