import { mkdir, rm } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { type AgentSummary, ErrorDetailCodes, GatewayError } from "@openclaw/protocol";
import { defaultAgentId, listConfiguredAgents } from "../config/configured-agents.js";
import type { OpenClawConfig } from "../config/index.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { MAIN_AGENT_ID, resolveAgentWorkspaceDir } from "../workspace/workspace-dir.js";
import { editConfigFile } from "./config-methods.js";
import { resolveDefaultModel } from "./session-defaults.js";

export { MAIN_AGENT_ID };

type AgentEntry = Record<string, unknown> & { id: string };

/** Agent ids are path- and key-safe slugs: lower-case letters, digits and dashes. */
export function agentIdFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return slug || "agent";
}

function agentWorkspace(runtime: GatewayRuntime, agentId: string): string {
  return resolveAgentWorkspaceDir(runtime.configState.config, agentId, {
    stateDir: runtime.configState.paths.stateDir,
  });
}

function configuredAgents(config: OpenClawConfig): AgentEntry[] {
  return listConfiguredAgents(config) as AgentEntry[];
}

function toSummary(runtime: GatewayRuntime, entry: AgentEntry): AgentSummary {
  const identity = (entry.identity ?? {}) as Record<string, unknown>;
  const model = entry.model;
  const summary: AgentSummary = {
    id: entry.id,
    kind: "agent",
    workspace: agentWorkspace(runtime, entry.id),
  };
  const name = typeof entry.name === "string" ? entry.name : undefined;
  if (name) summary.name = name;
  const identityOut: NonNullable<AgentSummary["identity"]> = {};
  if (typeof identity.name === "string") identityOut.name = identity.name;
  if (typeof identity.emoji === "string") identityOut.emoji = identity.emoji;
  if (typeof identity.avatar === "string") identityOut.avatar = identity.avatar;
  if (Object.keys(identityOut).length > 0) summary.identity = identityOut;
  if (typeof model === "string") summary.model = { primary: model };
  else if (model && typeof model === "object") summary.model = model as AgentSummary["model"];
  else {
    // OpenClaw lists the model the agent really runs with; its Control UI refuses to chat without one here.
    const effective = resolveDefaultModel(runtime, entry.id);
    if (effective) summary.model = { primary: `${effective.provider}/${effective.model}` };
  }
  return summary;
}

/** The configured agents with `main` always present (OpenClaw's implicit default agent). */
export function listAgents(runtime: GatewayRuntime): AgentSummary[] {
  const entries = configuredAgents(runtime.configState.config);
  const agents = entries.map((entry) => toSummary(runtime, entry));
  if (!agents.some((agent) => agent.id === MAIN_AGENT_ID)) {
    agents.unshift(toSummary(runtime, { id: MAIN_AGENT_ID }));
  }
  return agents;
}

/**
 * The roster in the file as an editable view: OpenClaw's keyed `agents.entries` when the file uses it, the legacy
 * `agents.list` array otherwise, so an edit never converts one form into the other.
 */
interface AgentRoster {
  find(agentId: string): AgentEntry | undefined;
  add(entry: AgentEntry): void;
  remove(agentId: string): void;
}

function agentRoster(config: Record<string, unknown>): AgentRoster {
  config.agents ??= {};
  const agents = config.agents as Record<string, unknown>;
  const entries = agents.entries;
  if (entries && typeof entries === "object" && !Array.isArray(entries)) {
    const keyed = entries as Record<string, Record<string, unknown>>;
    return {
      find: (agentId) => (keyed[agentId] ? ({ ...keyed[agentId], id: agentId } as AgentEntry) : undefined),
      add: ({ id, ...rest }) => {
        keyed[id] = rest;
      },
      remove: (agentId) => {
        delete keyed[agentId];
      },
    };
  }
  if (!Array.isArray(agents.list)) agents.list = [];
  const list = agents.list as AgentEntry[];
  return {
    find: (agentId) => list.find((entry) => entry.id === agentId),
    add: (entry) => {
      const index = list.findIndex((candidate) => candidate.id === entry.id);
      if (index === -1) list.push(entry);
      else list[index] = entry;
    },
    remove: (agentId) => {
      agents.list = list.filter((entry) => entry.id !== agentId);
    },
  };
}

function notFound(agentId: string): GatewayError {
  return new GatewayError(
    "INVALID_REQUEST",
    `no agent "${agentId}": see agents.list for the configured agents`,
    {
      details: { code: ErrorDetailCodes.AGENT_NOT_FOUND, agentId },
    },
  );
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

export const agentsMethods: Pick<
  MethodHandlers,
  "agents.list" | "agents.create" | "agents.update" | "agents.delete"
> = {
  "agents.list": (_params, { runtime }) => {
    return {
      defaultId: defaultAgentId(runtime.configState.config),
      ownership: "sole" as const,
      selectionRequired: false as const,
      mainKey: runtime.configState.config.session.mainKey,
      scope: runtime.configState.config.session.scope,
      agents: listAgents(runtime),
    };
  },
  "agents.create": async ({ name, workspace, model, emoji, avatar }, { runtime }) => {
    const agentId = agentIdFromName(name);
    if (listAgents(runtime).some((agent) => agent.id === agentId)) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `an agent with id "${agentId}" already exists: pick another name`,
        {
          details: { code: ErrorDetailCodes.AGENT_EXISTS, agentId },
        },
      );
    }
    const workspaceDir = resolve(workspace ?? agentWorkspace(runtime, agentId));
    // The first folder mkdir created (undefined when it all existed): removed again if the config edit is refused.
    const created = await mkdir(workspaceDir, { recursive: true, mode: 0o700 });
    try {
      await editConfigFile(runtime, (config) => {
        const entry: AgentEntry = { id: agentId, name, workspace: workspaceDir };
        if (model) entry.model = model;
        if (emoji || avatar)
          entry.identity = { name, ...(emoji ? { emoji } : {}), ...(avatar ? { avatar } : {}) };
        agentRoster(config).add(entry);
      });
    } catch (error) {
      if (created) await rm(created, { recursive: true, force: true });
      throw error;
    }
    runtime.logger.info("agent created", { agentId });
    return model
      ? { ok: true as const, agentId, name, workspace: workspaceDir, model }
      : { ok: true as const, agentId, name, workspace: workspaceDir };
  },
  "agents.update": async ({ agentId, name, workspace, model, emoji, avatar }, { runtime }) => {
    if (!listAgents(runtime).some((agent) => agent.id === agentId)) throw notFound(agentId);
    await editConfigFile(runtime, (config) => {
      const roster = agentRoster(config);
      const entry: AgentEntry = roster.find(agentId) ?? { id: agentId };
      if (name !== undefined) entry.name = name;
      if (workspace !== undefined) entry.workspace = resolve(workspace);
      if (model === null) delete entry.model;
      else if (model !== undefined) entry.model = model;
      if (emoji !== undefined || avatar !== undefined) {
        const identity = { ...((entry.identity as Record<string, unknown>) ?? {}) };
        if (emoji !== undefined) identity.emoji = emoji;
        if (avatar !== undefined) identity.avatar = avatar;
        entry.identity = identity;
      }
      roster.add(entry);
    });
    return { ok: true as const, agentId };
  },
  "agents.delete": async ({ agentId, deleteFiles }, { runtime }) => {
    if (agentId === MAIN_AGENT_ID) {
      throw new GatewayError("INVALID_REQUEST", 'the "main" agent always exists and cannot be deleted', {
        details: { code: "AGENT_PROTECTED", agentId },
      });
    }
    const existing = configuredAgents(runtime.configState.config).find((entry) => entry.id === agentId);
    if (!existing) throw notFound(agentId);
    // Resolved before the edit: afterwards the entry (and any workspace it names) is gone from the config.
    const workspace = agentWorkspace(runtime, agentId);
    let removedBindings = 0;
    await editConfigFile(runtime, (config) => {
      agentRoster(config).remove(agentId);
      const bindings = config.bindings;
      if (Array.isArray(bindings)) {
        const kept = bindings.filter((binding) => (binding as { agentId?: unknown })?.agentId !== agentId);
        removedBindings = bindings.length - kept.length;
        config.bindings = kept;
      }
    });
    // Files are only removed inside the state dir (a workspace elsewhere is the user's own folder) and only when no
    // remaining agent works in them (the default agent's workspace passes to `main`).
    const stillUsed = listAgents(runtime).some((agent) => agent.workspace === workspace);
    if (deleteFiles && !stillUsed && isInside(runtime.configState.paths.stateDir, resolve(workspace))) {
      await rm(workspace, { recursive: true, force: true });
    }
    runtime.logger.info("agent deleted", { agentId, removedBindings });
    return { ok: true as const, agentId, removedBindings };
  },
};
