import { GatewayError } from "@openclaw/protocol";
import { normalizeSessionKey, parseSessionKey } from "@openclaw/sessions";
import { openClawHistoryMessages } from "../chat/openclaw-history-message.js";
import { ChatCommandRegistry } from "../commands/command-registry.js";
import { defaultAgentId } from "../config/configured-agents.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { listAgents } from "./agents-methods.js";

const STARTUP_DEFAULT_LIMIT = 80;
const DEFAULT_AGENT_NAME = "Assistant";

function agentIdOf(runtime: GatewayRuntime, agentId: string | undefined, sessionKey?: string): string {
  return (
    agentId ??
    (sessionKey === undefined ? undefined : parseSessionKey(sessionKey)?.agentId) ??
    defaultAgentId(runtime.configState.config)
  );
}

/** The model a new run of this agent would use, as OpenClaw's `defaults` name it; none when none is configured. */
interface SessionDefaults {
  modelProvider?: string;
  model?: string;
  contextTokens?: number;
  modelSelectionTarget: "session";
}

function sessionDefaults(runtime: GatewayRuntime, agentId: string): SessionDefaults {
  try {
    const { provider, model } = runtime.chat.agent.resolveModel(undefined, agentId);
    const contextWindow = runtime.chat.agent
      .listModels()
      .find((each) => each.provider === provider && each.id === model)?.contextWindow;
    return {
      modelProvider: provider,
      model,
      ...(contextWindow === undefined ? {} : { contextTokens: contextWindow }),
      modelSelectionTarget: "session",
    };
  } catch {
    return { modelSelectionTarget: "session" };
  }
}

/** Our in-chat commands (`/new`, `/model`, ...) in OpenClaw's command-entry shape; all work as text and natively. */
function commandEntries(includeArgs: boolean) {
  return new ChatCommandRegistry().nativeCommands().map((command) => ({
    name: command.name,
    nativeName: command.name,
    textAliases: [`/${command.name}`],
    description: command.description,
    source: "native" as const,
    scope: "both" as const,
    acceptsArgs: command.args !== undefined,
    ...(command.args === undefined || !includeArgs
      ? {}
      : { args: [{ name: "args", description: command.args, type: "string" as const }] }),
  }));
}

export const controlUiCompatChatMethods: Pick<
  MethodHandlers,
  | "chat.startup"
  | "chat.metadata"
  | "commands.list"
  | "progressCard.get"
  | "agent.identity.get"
  | "models.authStatus"
> = {
  "chat.startup": async ({ sessionKey, agentId, limit, maxBytes }, { runtime }) => {
    const key = normalizeSessionKey(sessionKey);
    const agent = agentIdOf(runtime, agentId, key);
    const row = await runtime.sessions.get(key);
    const entries = await runtime.sessions.readTranscript(key);
    const count = Math.min(entries.length, limit ?? STARTUP_DEFAULT_LIMIT);
    let messages = openClawHistoryMessages(entries.slice(entries.length - count), {
      firstSeq: entries.length - count,
    });
    // `maxBytes` bounds the page: the oldest rows are dropped until the newest ones fit.
    while (maxBytes !== undefined && messages.length > 1 && JSON.stringify(messages).length > maxBytes) {
      messages = messages.slice(1);
    }
    const defaults = sessionDefaults(runtime, agent);
    const parsedKey = parseSessionKey(key);
    const active = runtime.chat.agent.isActive(key);
    return {
      sessionKey: key,
      ...(row?.sessionId ? { sessionId: row.sessionId } : {}),
      messages,
      pendingInputs: { items: [], total: 0 as const },
      hasMore: entries.length > messages.length,
      totalMessages: entries.length,
      defaults,
      sessionInfo: {
        key,
        ...(row?.sessionId ? { sessionId: row.sessionId } : {}),
        ...(row?.label ? { label: row.label } : {}),
        ...(row?.displayName ? { displayName: row.displayName } : {}),
        ...(row?.thinkingLevel ? { thinkingLevel: row.thinkingLevel } : {}),
        kind: row?.kind ?? "direct",
        agentId: agent,
        isMain: row?.isMain ?? parsedKey?.rest === runtime.configState.config.session.mainKey,
        updatedAt: row?.updatedAt ?? null,
        archived: row?.archived ?? false,
        pinned: row?.pinned ?? false,
        unread: row?.unread ?? false,
        ...(defaults.modelProvider === undefined ? {} : { modelProvider: defaults.modelProvider }),
        ...(row?.model
          ? { model: row.model }
          : defaults.model === undefined
            ? {}
            : { model: defaults.model }),
        hasActiveRun: active,
        activeRunIds: [],
        snapshotAt: Date.now(),
      },
    };
  },
  "commands.list": ({ includeArgs }) => ({ commands: commandEntries(includeArgs ?? true) }),
  "chat.metadata": (_params, { runtime }) => ({
    models: runtime.chat.agent.listModels().map((model) => ({
      id: model.id,
      name: model.name,
      provider: model.provider,
      ...(model.contextWindow === undefined ? {} : { contextWindow: model.contextWindow }),
      available: model.available,
    })),
    commands: commandEntries(true),
    swarmEnabled: false as const,
    accountSelection: { kind: "automatic" as const, label: "Automatic account selection" },
    runtimeSelectionLocked: false as const,
  }),
  // Progress cards are a feature this gateway does not have: OpenClaw's answer for a session without one.
  "progressCard.get": () => ({ card: null }),
  "agent.identity.get": ({ agentId, sessionKey }, { runtime }) => {
    const id = agentIdOf(
      runtime,
      agentId,
      sessionKey === undefined ? undefined : normalizeSessionKey(sessionKey),
    );
    const agent = listAgents(runtime).find((each) => each.id === id);
    if (!agent) {
      throw new GatewayError("INVALID_REQUEST", `no agent "${id}" is configured: see agents.list`);
    }
    const configuredName = agent.identity?.name ?? agent.name;
    const name = configuredName ?? DEFAULT_AGENT_NAME;
    return {
      agentId: id,
      name,
      nameSource: configuredName ? ("config" as const) : ("default" as const),
      // OpenClaw falls back to the name's first letter when no avatar or emoji is configured.
      avatar: agent.identity?.avatar ?? agent.identity?.emoji ?? name.slice(0, 1).toUpperCase(),
      ...(agent.identity?.emoji ? { emoji: agent.identity.emoji } : {}),
    };
  },
  // OpenClaw's auth-profile store is not part of this gateway; its own "cannot report" answer says so.
  "models.authStatus": () => ({
    ts: Date.now(),
    providers: [],
    unavailable: {
      code: "MODEL_AUTH_STATUS_UNAVAILABLE",
      message:
        "This gateway keeps no auth profiles to report; models.list shows which configured models have credentials.",
    },
  }),
};
