import type { MethodHandlers } from "../server/method-registry.js";

export const approvalMethods: Pick<MethodHandlers, "exec.approval.request" | "exec.approval.resolve"> = {
  // The request stays open until an operator answers or the approval times out; callers set their own
  // request timeout above `timeoutMs` (default two minutes).
  "exec.approval.request": (params, { runtime }) => runtime.execApprovals.request(params),
  "exec.approval.resolve": ({ id, decision }, { runtime, connId }) =>
    runtime.execApprovals.resolve(id, decision, connId),
};
