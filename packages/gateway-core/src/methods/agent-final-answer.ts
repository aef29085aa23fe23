import type { AgentRunResult } from "@openclaw/agent";
import type { AgentFinalResult } from "@openclaw/protocol";

/**
 * The final answer of OpenClaw's `agent` method, from a finished run: `ok` with the reply as one payload, an abort
 * as `timeout` / "aborted" and a failure as `error` with its message, as OpenClaw's `openclaw agent` reads them.
 */
export function agentFinalAnswer(result: AgentRunResult): AgentFinalResult {
  const status = result.status === "ok" ? "ok" : result.status === "aborted" ? "timeout" : "error";
  const summary =
    status === "ok" ? "completed" : status === "timeout" ? "aborted" : (result.error?.message ?? "failed");
  const { inputTokens, outputTokens, totalTokens } = result.usage;
  return {
    runId: result.runId,
    status,
    summary,
    result: {
      payloads: result.text === "" ? [] : [{ text: result.text }],
      meta: {
        ...(result.model ? { model: result.model } : {}),
        usage: { inputTokens, outputTokens, totalTokens },
      },
    },
  };
}
