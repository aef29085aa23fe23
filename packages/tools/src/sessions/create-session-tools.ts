import type { AgentTool } from "@openclaw/agent";
import type { SessionsPort } from "../ports/sessions-port.js";
import { createAgentsListTool } from "./agents-list-tool.js";
import { createSessionStatusTool } from "./session-status-tool.js";
import type { SessionToolsOptions } from "./session-tool-target.js";
import { createSessionsHistoryTool } from "./sessions-history-tool.js";
import { createSessionsListTool } from "./sessions-list-tool.js";
import { createSessionsSendTool } from "./sessions-send-tool.js";
import { createSessionsSpawnTool } from "./sessions-spawn-tool.js";

/**
 * OpenClaw's session tools (`group:sessions`): `sessions_list`, `sessions_history`, `sessions_send`,
 * `sessions_spawn`, `session_status`, `agents_list`, over a {@link SessionsPort}.
 */
export function createSessionTools(port: SessionsPort, options: SessionToolsOptions): AgentTool[] {
  return [
    createSessionsListTool(port, options),
    createSessionsHistoryTool(port, options),
    createSessionsSendTool(port, options),
    createSessionsSpawnTool(port, options),
    createSessionStatusTool(port, options),
    createAgentsListTool(port, options),
  ];
}
