import { execApprovalEntry } from "../approvals/exec-approval-entry.js";
import type { MethodHandlers } from "../runtime/method-registry.js";

export const approvalMethods: Pick<
  MethodHandlers,
  "exec.approval.request" | "exec.approval.list" | "exec.approval.get" | "exec.approval.resolve"
> = {
  // The request stays open until an operator answers or the approval times out; callers set their own
  // request timeout above `timeoutMs` (default two minutes).
  "exec.approval.request": (params, { runtime }) => runtime.execApprovals.request(params),
  "exec.approval.list": (_params, { runtime }) => runtime.execApprovals.pending().map(execApprovalEntry),
  "exec.approval.get": ({ id }, { runtime }) => runtime.execApprovals.get(id),
  "exec.approval.resolve": ({ id, decision }, { runtime, connId }) =>
    runtime.execApprovals.resolve(id, decision, connId),
};
