import { z } from "zod";
import { boundedRecord } from "../bounded-schemas.js";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";
import { UsageCostParamsSchema, UsageCostResultSchema } from "./compat-cli-usage.js";
import { SessionsUsageParamsSchema, SessionsUsageResultSchema } from "./compat-sessions-usage.js";
import { contract } from "./contract.js";

export * from "./compat-cli-usage.js";
export * from "./compat-sessions-usage.js";

/**
 * The methods OpenClaw's terminal UI calls beyond the core families and the Control UI's (see its gateway chat
 * client: answering an agent's question, deciding a plugin approval, accepting or dismissing a suggested task,
 * downloading an artifact of a message). This gateway has none of these features: it never asks questions, raises
 * plugin approvals, suggests tasks or keeps artifacts, so no id a client sends can name one. Each method therefore
 * answers exactly as OpenClaw answers an unknown id (its error, or `dismissed: false`), and the TUI degrades the way
 * it does against OpenClaw when the item is gone, instead of failing on an unknown method. None of them writes.
 */
function buildCliCompatSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const sessionKey = z.string().min(1).max(LIMITS.keyChars);
  /** OpenClaw bounds task suggestion ids at 128 characters. */
  const taskId = z.string().min(1).max(128);

  const QuestionGetParamsSchema = z.object({ id });
  const QuestionResolveParamsSchema = z.union([
    z.object({
      id,
      answers: z.object({
        answers: boundedRecord(
          z
            .string()
            .regex(/^[a-z][a-z0-9_]*$/)
            .max(LIMITS.idChars),
          z.array(z.string().max(LIMITS.textChars)).max(LIMITS.listItems),
        ),
      }),
      secretStoreAllowedHosts: z.array(z.string().min(1).max(253)).max(128).optional(),
      resolvedBy: id.optional(),
      resolutionId: id.optional(),
    }),
    z.object({ id, cancel: z.literal(true), resolvedBy: id.optional(), resolutionId: id.optional() }),
  ]);

  const PluginApprovalResolveParamsSchema = z.object({
    id,
    decision: id,
    reviewer: z.object({ channel: id, accountId: id, senderId: id }).optional(),
  });

  const TaskSuggestionsAcceptParamsSchema = z.object({
    taskId,
    mode: z.enum(["worktree", "local", "cloud", "session"]).optional(),
    cloudProfileId: taskId.optional(),
  });
  const TaskSuggestionsDismissParamsSchema = z.object({
    taskId,
    reason: z.string().max(1024).optional(),
  });
  /** OpenClaw's answer for a suggestion it does not hold: `dismissed: false`, not an error. */
  const TaskSuggestionsDismissResultSchema = z.object({ taskId: z.string(), dismissed: z.boolean() });

  const ArtifactsDownloadParamsSchema = z.object({
    artifactId: id,
    sessionKey: sessionKey.optional(),
    runId: id.optional(),
    taskId: id.optional(),
    agentId: id.optional(),
  });

  /**
   * The result of a method that can only fail here: no question, plugin approval, suggested task or artifact
   * exists in this gateway, so the only answer is OpenClaw's not-found error.
   */
  const NeverFoundResultSchema = z.never();

  return {
    QuestionGetParamsSchema,
    QuestionResolveParamsSchema,
    PluginApprovalResolveParamsSchema,
    TaskSuggestionsAcceptParamsSchema,
    TaskSuggestionsDismissParamsSchema,
    TaskSuggestionsDismissResultSchema,
    ArtifactsDownloadParamsSchema,
    NeverFoundResultSchema,
  };
}

const schemas = lazySchemas(buildCliCompatSchemas);

export const QuestionGetParamsSchema = z.lazy(() => schemas().QuestionGetParamsSchema);
export const QuestionResolveParamsSchema = z.lazy(() => schemas().QuestionResolveParamsSchema);
export const PluginApprovalResolveParamsSchema = z.lazy(() => schemas().PluginApprovalResolveParamsSchema);
export const TaskSuggestionsAcceptParamsSchema = z.lazy(() => schemas().TaskSuggestionsAcceptParamsSchema);
export const TaskSuggestionsDismissParamsSchema = z.lazy(() => schemas().TaskSuggestionsDismissParamsSchema);
export const TaskSuggestionsDismissResultSchema = z.lazy(() => schemas().TaskSuggestionsDismissResultSchema);
export const ArtifactsDownloadParamsSchema = z.lazy(() => schemas().ArtifactsDownloadParamsSchema);
export const NeverFoundResultSchema = z.lazy(() => schemas().NeverFoundResultSchema);

/**
 * Methods OpenClaw's own CLI and TUI call, beyond the core families and the Control UI's: their contracts, with
 * OpenClaw's scopes and shapes.
 */
export const CLI_COMPAT_CONTRACTS = {
  "question.get": contract("operator.questions", QuestionGetParamsSchema, NeverFoundResultSchema, {
    unavailable: "no agent questions: every id answers OpenClaw's question-not-found error",
  }),
  "question.resolve": contract("operator.questions", QuestionResolveParamsSchema, NeverFoundResultSchema, {
    unavailable: "no agent questions: every id answers OpenClaw's question-not-found error",
  }),
  "plugin.approval.resolve": contract(
    "operator.approvals",
    PluginApprovalResolveParamsSchema,
    NeverFoundResultSchema,
    { unavailable: "no plugin approvals: every id answers OpenClaw's unknown-or-expired approval error" },
  ),
  "taskSuggestions.accept": contract(
    "operator.admin",
    TaskSuggestionsAcceptParamsSchema,
    NeverFoundResultSchema,
    {
      unavailable: "no task suggestions: every id answers OpenClaw's task-suggestion-not-found error",
    },
  ),
  "taskSuggestions.dismiss": contract(
    "operator.write",
    TaskSuggestionsDismissParamsSchema,
    TaskSuggestionsDismissResultSchema,
    { unavailable: "no task suggestions: answers `dismissed: false`, as OpenClaw does for an unknown id" },
  ),
  "artifacts.download": contract("operator.read", ArtifactsDownloadParamsSchema, NeverFoundResultSchema, {
    unavailable: "no artifact store: every id answers OpenClaw's artifact-not-found error",
  }),
  "usage.cost": contract("operator.read", UsageCostParamsSchema, UsageCostResultSchema),
  "sessions.usage": contract("operator.read", SessionsUsageParamsSchema, SessionsUsageResultSchema),
} as const;
