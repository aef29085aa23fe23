import { GatewayError, type NodeInvokeParams, SystemRunParamsSchema } from "@openclaw/protocol";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";

function denied(reason: string, fix: string): GatewayError {
  return new GatewayError("FORBIDDEN", `system.run refused: ${reason}: ${fix}`, {
    details: { code: "SYSTEM_RUN_DENIED", reason },
  });
}

/** One line an operator reads: each argument quoted when it needs it. */
export function commandTextOf(argv: readonly string[]): string {
  return argv
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`))
    .join(" ");
}

/**
 * `system.run` on a node passes the same gate as the gateway's own exec (`tools.exec.mode`): "deny" refuses,
 * "allowlist" runs only commands allowed always, "ask"/"auto" ask an operator (`exec.approval.requested`, host
 * "node") and silence denies, "full" runs. Decided here, on the gateway, so no caller can skip it.
 */
export async function gateSystemRun(runtime: GatewayRuntime, invoke: NodeInvokeParams): Promise<void> {
  const parsed = SystemRunParamsSchema.safeParse(invoke.params);
  if (!parsed.success) {
    throw new GatewayError(
      "INVALID_REQUEST",
      'system.run needs params.command as an argv array of strings, e.g. ["uname", "-a"]',
      { details: { code: "INVALID_PARAMS" } },
    );
  }
  const policy = runtime.configState.config.tools.exec;
  const commandText = parsed.data.rawCommand ?? commandTextOf(parsed.data.command);
  if (policy.mode === "deny") {
    throw denied("tools.exec.mode is deny", 'set it to "ask" (openclaw config set tools.exec.mode ask)');
  }
  if (policy.mode === "full") return;
  if (policy.mode === "allowlist") {
    if (runtime.execApprovals.allowsAlways("main", commandText)) return;
    throw denied(
      "the command is not on the allowlist",
      "allow it always once, or set tools.exec.mode to ask",
    );
  }
  const envNames = Object.keys(parsed.data.env ?? {});
  const resolution = await runtime.execApprovals.request({
    command: commandText,
    commandArgv: parsed.data.command,
    cwd: parsed.data.cwd ?? null,
    nodeId: invoke.nodeId,
    host: "node",
    sessionKey: invoke.sessionKey ?? null,
    timeoutMs: policy.approvalTimeoutMs,
    ...(envNames.length > 0
      ? { warningText: `Runs with environment overrides: ${envNames.join(", ")}` }
      : {}),
  });
  if (resolution.decision !== "deny") return;
  throw denied(
    resolution.reason === "timeout"
      ? "no operator approved the command in time"
      : "an operator denied the command",
    "ask an operator to approve it (openclaw approvals), or allow it always",
  );
}
