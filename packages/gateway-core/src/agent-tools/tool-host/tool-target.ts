import type { ToolPolicyContext } from "@openclaw/tools/config";

/** Where a tool would run: an agent and session, plus any policy context the caller already knows. */
export interface ToolTarget extends Partial<Omit<ToolPolicyContext, "agentId">> {
  agentId?: string;
  sessionKey?: string;
}
