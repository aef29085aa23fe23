import { join } from "node:path";
import { GatewayError } from "@openclaw/protocol";
import { defaultAgentId } from "../config/configured-agents.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { listAgents } from "./agents-methods.js";
import { editConfigFile } from "./config-methods.js";

/** Skills code (and its YAML parser) is loaded on first use: most gateways never call these methods. */
const loadSkills = () => import("../skills/index.js");

const SUPPORTED_SOURCES =
  'this gateway installs skills from a local folder ({ source: "local", path }) or an npm package ({ source: "npm", spec })';

function workspaceFor(
  runtime: GatewayRuntime,
  agentId: string | undefined,
): { agentId: string; workspaceDir: string } {
  const id = agentId ?? defaultAgentId(runtime.configState.config);
  const agent = listAgents(runtime).find((candidate) => candidate.id === id);
  if (!agent?.workspace) {
    throw new GatewayError("INVALID_REQUEST", `no agent "${id}": see agents.list`, {
      details: { code: "AGENT_NOT_FOUND", agentId: id },
    });
  }
  return { agentId: id, workspaceDir: agent.workspace };
}

async function asGatewayError(error: unknown): Promise<unknown> {
  const { SkillError } = await loadSkills();
  if (error instanceof SkillError) {
    return new GatewayError("INVALID_REQUEST", error.message, { details: { code: error.code } });
  }
  return error;
}

export const skillsMethods: Pick<MethodHandlers, "skills.status" | "skills.install" | "skills.update"> = {
  "skills.status": async (params, { runtime }) => {
    const { agentId, workspaceDir } = workspaceFor(runtime, params?.agentId);
    const { scanSkills } = await loadSkills();
    const skills = await scanSkills({
      workspaceDirs: [workspaceDir],
      env: process.env,
      platform: process.platform,
      config: runtime.configState.config,
    });
    return {
      agentId,
      workspaceDir,
      managedSkillsDir: join(runtime.configState.paths.stateDir, "skills"),
      skills,
    };
  },
  "skills.install": async (params, { runtime }) => {
    if (!("source" in params) || (params.source !== "local" && params.source !== "npm")) {
      throw new GatewayError("INVALID_REQUEST", `unsupported skill source: ${SUPPORTED_SOURCES}`, {
        details: { code: "SKILL_SOURCE_UNSUPPORTED" },
      });
    }
    const { workspaceDir } = workspaceFor(runtime, params.agentId);
    const { installSkill } = await loadSkills();
    try {
      return await installSkill({
        source: params.source === "local" ? params.path : params.spec,
        kind: params.source,
        workspaceDir,
        ...(params.as ? { as: params.as } : {}),
        ...(params.force ? { force: true } : {}),
        ...(params.timeoutMs ? { timeoutMs: params.timeoutMs } : {}),
      });
    } catch (error) {
      throw await asGatewayError(error);
    }
  },
  "skills.update": async (params, { runtime }) => {
    if ("skillKey" in params) {
      // Config mode: switch a skill on or off and set its env / API key under skills.entries.<skillKey>.
      const { skillKey, enabled, apiKey, env } = params;
      await editConfigFile(runtime, (config) => {
        config.skills ??= {};
        const section = config.skills as Record<string, unknown>;
        section.entries ??= {};
        const entries = section.entries as Record<string, Record<string, unknown>>;
        const entry = { ...(entries[skillKey] ?? {}) };
        if (enabled !== undefined) entry.enabled = enabled;
        if (apiKey !== undefined) entry.apiKey = apiKey;
        if (env !== undefined) entry.env = { ...((entry.env as Record<string, string>) ?? {}), ...env };
        entries[skillKey] = entry;
      });
      const saved = ((
        runtime.configState.config as { skills?: { entries?: Record<string, Record<string, unknown>> } }
      ).skills?.entries?.[skillKey] ?? {}) as {
        enabled?: boolean;
        apiKey?: unknown;
        env?: Record<string, string>;
      };
      return {
        ok: true as const,
        skillKey,
        config: {
          ...(saved.enabled === undefined ? {} : { enabled: saved.enabled }),
          hasApiKey: saved.apiKey !== undefined && saved.apiKey !== "",
          ...(saved.env ? { env: Object.keys(saved.env) } : {}),
        },
      };
    }
    if (params.source !== "installed") {
      throw new GatewayError("INVALID_REQUEST", `unsupported skill source: ${SUPPORTED_SOURCES}`, {
        details: { code: "SKILL_SOURCE_UNSUPPORTED" },
      });
    }
    const { workspaceDir } = workspaceFor(runtime, params.agentId);
    if (!params.all && !params.slug) {
      throw new GatewayError("INVALID_REQUEST", "skills.update needs `slug` (one skill) or `all: true`", {
        details: { code: "INVALID_PARAMS" },
      });
    }
    const { updateAllSkills, updateSkill } = await loadSkills();
    const results = params.all
      ? await updateAllSkills({ workspaceDir })
      : [await updateSkill({ workspaceDir, name: params.slug ?? "" })];
    return { ok: results.every((result) => result.ok), results };
  },
};
