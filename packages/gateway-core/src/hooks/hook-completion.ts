import type { AgentRunResult } from "@openclaw/agent";
import type { Logger } from "../logging/logger.js";

export interface HookDelivery {
  channel: string;
  to: string;
  accountId?: string;
  agentId: string;
  sessionKey: string;
  runId: string;
  text: string;
}

export interface HookCompletion {
  status: "ok" | "error" | "skipped";
  replyDisposition: "visible" | "empty";
  delivered: boolean;
  deliveryAttempted: boolean;
  deliveryError?: "delivery-failed";
}

/** Turns a finished hook run into its completion: the status, and the answer delivered to a channel if asked. */
export async function completeHookRun(
  result: AgentRunResult,
  context: {
    name: string;
    agentId: string;
    target: Omit<HookDelivery, "agentId" | "sessionKey" | "runId" | "text"> | undefined;
  },
  deps: { deliver: ((delivery: HookDelivery) => Promise<void>) | undefined; logger: Logger },
): Promise<HookCompletion> {
  const { logger } = deps;
  const status = result.status === "ok" ? "ok" : result.status === "aborted" ? "skipped" : "error";
  const visible = result.text.trim() !== "";
  const completion: HookCompletion = {
    status,
    replyDisposition: visible ? "visible" : "empty",
    delivered: false,
    deliveryAttempted: false,
  };
  if (context.target && status === "ok" && visible && deps.deliver) {
    completion.deliveryAttempted = true;
    try {
      await deps.deliver({
        ...context.target,
        agentId: context.agentId,
        sessionKey: result.sessionKey,
        runId: result.runId,
        text: result.text,
      });
      completion.delivered = true;
    } catch (error) {
      completion.deliveryError = "delivery-failed";
      logger.warn("hook delivery failed", {
        runId: result.runId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const fields = { runId: result.runId, hook: context.name, agentId: context.agentId, ...completion };
  if (status === "ok" && !completion.deliveryError) logger.info("hook agent run completed", fields);
  else logger.warn("hook agent run completed", { ...fields, errorCode: result.error?.code });
  return completion;
}
