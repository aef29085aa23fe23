import type { ExecApprovalListEntry, ExecApprovalRecord } from "@openclaw/protocol";
import type { MethodHandlers } from "../runtime/method-registry.js";

/** A pending approval as OpenClaw lists it: the request as asked under `request`, our record's fields beside it. */
export function execApprovalListEntry(record: ExecApprovalRecord): ExecApprovalListEntry {
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

export const approvalMethods: Pick<
  MethodHandlers,
  "exec.approval.request" | "exec.approval.list" | "exec.approval.get" | "exec.approval.resolve"
> = {
  // The request stays open until an operator answers or the approval times out; callers set their own
  // request timeout above `timeoutMs` (default two minutes).
  "exec.approval.request": (params, { runtime }) => runtime.execApprovals.request(params),
  "exec.approval.list": (_params, { runtime }) => runtime.execApprovals.pending().map(execApprovalListEntry),
  "exec.approval.get": ({ id }, { runtime }) => runtime.execApprovals.get(id),
  "exec.approval.resolve": ({ id, decision }, { runtime, connId }) =>
    runtime.execApprovals.resolve(id, decision, connId),
};
