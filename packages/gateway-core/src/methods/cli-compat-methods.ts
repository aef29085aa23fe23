import { type CLI_COMPAT_CONTRACTS, GatewayError } from "@openclaw/protocol";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { sessionsUsage, usageCost } from "./cli-compat-usage.js";

/**
 * OpenClaw's own errors for an id its stores do not hold, word for word where its clients read them (`details.reason`,
 * `details.type`), plus our `details.code`. This gateway has no agent questions, plugin approvals, task suggestions
 * or artifacts, so every id is unknown; the messages say so, so a user of OpenClaw's TUI learns why.
 */
function questionNotFound(id: string): GatewayError {
  return new GatewayError(
    "INVALID_REQUEST",
    `question '${id}' was not found: this gateway does not run agent questions, so it holds none`,
    { details: { code: "QUESTION_NOT_FOUND", reason: "QUESTION_NOT_FOUND", id } },
  );
}

function pluginApprovalNotFound(id: string): GatewayError {
  return new GatewayError(
    "INVALID_REQUEST",
    "unknown or expired approval id: this gateway raises no plugin approvals (exec approvals are `exec.approval.resolve`)",
    {
      details: {
        code: "APPROVAL_NOT_FOUND",
        reason: "APPROVAL_NOT_FOUND",
        id,
        remediation: "Re-request the action; pending approvals are cleared after expiry or restart.",
      },
    },
  );
}

function taskSuggestionNotFound(taskId: string): GatewayError {
  return new GatewayError(
    "INVALID_REQUEST",
    "task suggestion was not found: this gateway does not suggest tasks",
    { details: { code: "TASK_SUGGESTION_NOT_FOUND", taskId } },
  );
}

function artifactNotFound(artifactId: string): GatewayError {
  return new GatewayError(
    "INVALID_REQUEST",
    "artifact not found: this gateway keeps no artifacts; media stays in the message it came with",
    { details: { code: "ARTIFACT_NOT_FOUND", type: "artifact_not_found", artifactId } },
  );
}

/** Handlers for the methods OpenClaw's CLI and TUI call beyond the core families (see `CLI_COMPAT_CONTRACTS`). */
export const cliCompatMethods: Pick<MethodHandlers, keyof typeof CLI_COMPAT_CONTRACTS> = {
  "question.get": (params) => {
    throw questionNotFound(params.id);
  },
  "question.resolve": (params) => {
    throw questionNotFound(params.id);
  },
  "plugin.approval.resolve": (params) => {
    throw pluginApprovalNotFound(params.id);
  },
  "taskSuggestions.accept": (params) => {
    throw taskSuggestionNotFound(params.taskId);
  },
  // OpenClaw answers a dismiss of a suggestion it does not hold with `dismissed: false`, not an error.
  "taskSuggestions.dismiss": (params) => ({ taskId: params.taskId, dismissed: false }),
  "artifacts.download": (params) => {
    throw artifactNotFound(params.artifactId);
  },
  "usage.cost": (params, { runtime }) => usageCost(runtime, params),
  "sessions.usage": (params, { runtime }) => sessionsUsage(runtime, params),
};
