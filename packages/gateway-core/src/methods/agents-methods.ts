import { mkdir, rm } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { type AgentSummary, ErrorDetailCodes, GatewayError } from "@openclaw/protocol";
import type { OpenClawConfig } from "../config/index.js";
import type { GatewayRuntime } from "../server/gateway-runtime.js";
import type { MethodHandlers } from "../server/method-registry.js";
import { editConfigFile } from "./config-methods.js";

export const MAIN_AGENT_ID = "main";

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

function defaultWorkspace(runtime: GatewayRuntime, agentId: string): string {
  const stateDir = runtime.configState.paths.stateDir;
  return agentId === MAIN_AGENT_ID ? join(stateDir, "workspace") : join(stateDir, `workspace-${agentId}`);
}

function configuredAgents(config: OpenClawConfig): AgentEntry[] {
  const list = (config.agents as { list?: unknown } | undefined)?.list;
  return Array.isArray(list) ? (list as AgentEntry[]).filter((entry) => typeof entry?.id === "string") : [];
}

function toSummary(runtime: GatewayRuntime, entry: AgentEntry): AgentSummary {
  const identity = (entry.identity ?? {}) as Record<string, unknown>;
  const model = entry.model;
  const summary: AgentSummary = {
    id: entry.id,
    kind: "agent",
    workspace: typeof entry.workspace === "string" ? entry.workspace : defaultWorkspace(runtime, entry.id),
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

function agentList(config: Record<string, unknown>): AgentEntry[] {
  const agents = (config.agents ??= {}) as Record<string, unknown>;
  if (!Array.isArray(agents.list)) agents.list = [];
  return agents.list as AgentEntry[];
}

function notFound(agentId: string): GatewayError {
  return new GatewayError("INVALID_REQUEST", `no agent "${agentId}": see agents.list for the configured agents`, {
    details: { code: ErrorDetailCodes.AGENT_NOT_FOUND, agentId },
  });
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

export const agentsMethods: Pick<MethodHandlers, "agents.list" | "agents.create" | "agents.update" | "agents.delete"> =
  {
    "agents.list": (_params, { runtime }) => {
      const agents = listAgents(runtime);
      const configuredDefault = configuredAgents(runtime.configState.config).find((entry) => entry.default === true);
      return {
        defaultId: configuredDefault?.id ?? MAIN_AGENT_ID,
        mainKey: runtime.configState.config.session?.mainKey ?? "main",
        scope: "per-sender" as const,
        agents,
      };
    },
    "agents.create": async ({ name, workspace, model, emoji, avatar }, { runtime }) => {
      const agentId = agentIdFromName(name);
      if (listAgents(runtime).some((agent) => agent.id === agentId)) {
        throw new GatewayError("INVALID_REQUEST", `an agent with id "${agentId}" already exists: pick another name`, {
          details: { code: ErrorDetailCodes.AGENT_EXISTS, agentId },
        });
      }
      const workspaceDir = resolve(workspace ?? defaultWorkspace(runtime, agentId));
      await mkdir(workspaceDir, { recursive: true, mode: 0o700 });
      await editConfigFile(runtime, (config) => {
        const entry: AgentEntry = { id: agentId, name, workspace: workspaceDir };
        if (model) entry.model = model;
        if (emoji || avatar) entry.identity = { name, ...(emoji ? { emoji } : {}), ...(avatar ? { avatar } : {}) };
        agentList(config).push(entry);
      });
      runtime.logger.info("agent created", { agentId });
      return model
        ? { ok: true as const, agentId, name, workspace: workspaceDir, model }
        : { ok: true as const, agentId, name, workspace: workspaceDir };
    },
    "agents.update": async ({ agentId, name, workspace, model, emoji, avatar }, { runtime }) => {
      if (!listAgents(runtime).some((agent) => agent.id === agentId)) throw notFound(agentId);
      await editConfigFile(runtime, (config) => {
        const list = agentList(config);
        let entry = list.find((candidate) => candidate.id === agentId);
        if (!entry) {
          entry = { id: agentId };
          list.push(entry);
        }
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
      let removedBindings = 0;
      await editConfigFile(runtime, (config) => {
        const agents = config.agents as Record<string, unknown>;
        agents.list = agentList(config).filter((entry) => entry.id !== agentId);
        const bindings = config.bindings;
        if (Array.isArray(bindings)) {
          const kept = bindings.filter((binding) => (binding as { agentId?: unknown })?.agentId !== agentId);
          removedBindings = bindings.length - kept.length;
          config.bindings = kept;
        }
      });
      const workspace = typeof existing.workspace === "string" ? existing.workspace : defaultWorkspace(runtime, agentId);
      // Files are only removed inside the state dir: a workspace elsewhere is the user's own folder.
      if (deleteFiles && isInside(runtime.configState.paths.stateDir, resolve(workspace))) {
        await rm(workspace, { recursive: true, force: true });
      }
      runtime.logger.info("agent deleted", { agentId, removedBindings });
      return { ok: true as const, agentId, removedBindings };
    },
  };
