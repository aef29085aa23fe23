import type { ExecApprovalListEntry, ExecApprovalRecord } from "@openclaw/protocol";

/**
 * A pending approval as OpenClaw sends it, in `exec.approval.list` and the `exec.approval.requested` event: the
 * request as asked under `request` (OpenClaw's clients read `request.command`), `approvalKind: "exec"`, the times;
 * our record's flat fields ride along for our own clients.
 */
export function execApprovalEntry(record: ExecApprovalRecord): ExecApprovalListEntry {
  const request: ExecApprovalListEntry["request"] = {
    command: record.commandText,
    cwd: record.cwd,
    agentId: record.agentId,
    sessionKey: record.sessionKey,
    host: record.host,
    warningText: record.warningText,
  };
  if (record.commandArgv !== undefined) request.commandArgv = record.commandArgv;
  return { ...record, approvalKind: "exec", request };
}
