import { randomUUID } from "node:crypto";
import { ErrorDetailCodes, GatewayError } from "@openclaw/protocol";
import { normalizeSessionKey, parseSessionKey } from "@openclaw/sessions";
import { defaultAgentId } from "../config/configured-agents.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { listAgents } from "./agents-methods.js";

/**
 * `sessions.create` as OpenClaw's TUI (`/new`) and Control UI call it: the session row is created (or found, for a
 * key that exists) with its label and settings, and a first `message` starts a run as `chat.send` would.
 */
export const controlUiCompatSessionCreateMethods: Pick<MethodHandlers, "sessions.create"> = {
  "sessions.create": async (params, { runtime }) => {
    if (params.incognito) {
      throw new GatewayError(
        "INVALID_REQUEST",
        "incognito sessions are not supported by this gateway: create a normal session (omit incognito)",
      );
    }
    const config = runtime.configState.config;
    const agentId =
      params.agentId ??
      (params.key === undefined ? undefined : parseSessionKey(params.key)?.agentId) ??
      defaultAgentId(config);
    const configured = listAgents(runtime).map((agent) => agent.id);
    if (!configured.includes(agentId)) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `no agent "${agentId}" is configured (configured: ${configured.join(", ")}): use one of those`,
        { details: { code: ErrorDetailCodes.AGENT_NOT_FOUND, agentId, configured } },
      );
    }
    // Like OpenClaw, a key that names no agent is stored under the agent's namespace (its TUI's `tui-<uuid>`
    // becomes `agent:main:tui-<uuid>`, which is the key the TUI then chats with).
    const requested = params.key ?? `session-${randomUUID()}`;
    const scoped = /^agent:/i.test(requested.trim()) ? requested : `agent:${agentId}:${requested.trim()}`;
    const key = normalizeSessionKey(scoped, { agentId, mainKey: config.session.mainKey });
    await runtime.sessions.ensure(key, {
      ...(params.label === undefined ? {} : { label: params.label }),
      ...(params.displayName === undefined ? {} : { displayName: params.displayName }),
    });
    const settings = {
      ...(params.model === undefined ? {} : { model: params.model }),
      ...(params.thinkingLevel === undefined ? {} : { thinkingLevel: params.thinkingLevel }),
    };
    let entry =
      Object.keys(settings).length > 0
        ? await runtime.sessions.patch(key, settings)
        : await runtime.sessions.ensure(key);
    let runId: string | undefined;
    if (params.message !== undefined && params.message.trim() !== "") {
      const { idempotencyKey } = params;
      // As with chat.send, OpenClaw names the run by the idempotency key, unless that name is taken.
      const namedRun =
        idempotencyKey !== undefined && runtime.chat.agent.getRun(idempotencyKey) === undefined
          ? { runId: idempotencyKey }
          : {};
      const turn = await runtime.chat.accept({
        ...namedRun,
        sessionKey: key,
        message: params.message,
        agentId,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      });
      runId = turn.runId;
      entry = (await runtime.sessions.get(key)) ?? entry;
    }
    return {
      ok: true as const,
      key,
      ...(entry.sessionId ? { sessionId: entry.sessionId } : {}),
      entry,
      runStarted: runId !== undefined,
      ...(runId === undefined ? {} : { runId }),
    };
  },
};
