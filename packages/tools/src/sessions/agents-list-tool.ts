import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import type { SessionsPort } from "../ports/sessions-port.js";
import type { SessionToolsOptions } from "./session-tool-target.js";
import { allowedSpawnTargets } from "./sessions-spawn-tool.js";

const AgentsListSchema = z.object({});

export function createAgentsListTool(port: SessionsPort, options: SessionToolsOptions): AgentTool {
  return {
    name: "agents_list",
    description:
      "List the agents sessions_spawn may run a sub-agent as (agentId), with their models: your own agent first.",
    parameters: AgentsListSchema,
    async execute(rawArgs, ctx) {
      parseToolArgs("agents_list", AgentsListSchema, rawArgs);
      const agents = port.agents();
      const allowed = allowedSpawnTargets(agents, ctx.agentId, options.settings(ctx.agentId).subagents);
      const byId = new Map(agents.map((agent) => [agent.id, agent]));
      return {
        requester: ctx.agentId,
        allowAny: allowed.allowAny,
        agents: allowed.ids.map((id) => {
          const agent = byId.get(id);
          return {
            id,
            ...(agent?.name ? { name: agent.name } : {}),
            configured: agent?.configured ?? false,
            ...(agent?.model ? { model: agent.model } : {}),
          };
        }),
      };
    },
  };
}
