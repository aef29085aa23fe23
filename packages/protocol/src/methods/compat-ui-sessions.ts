import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";
import { SessionRowSchema } from "./sessions.js";

/**
 * The session methods OpenClaw's Control UI calls beside `sessions.list`: live subscriptions (answered by the
 * `sessions.changed` and `session.message` events), one session's row, and panels for features this gateway does
 * not have (branches, external session catalogs, groups, companion and discussion threads, pull requests), which
 * answer OpenClaw's own empty shapes.
 */
function buildSessionsCompatSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const sessionKey = z.string().min(1).max(LIMITS.keyChars);
  const sessionKeys = z.array(sessionKey).max(LIMITS.listItems);

  const SessionsSubscribeParamsSchema = z.object({}).optional();
  const SessionsSubscribeResultSchema = z.object({ subscribed: z.boolean() });

  const SessionsMessagesSubscribeParamsSchema = z.object({
    key: sessionKey,
    agentId: id.optional(),
    includeApprovals: z.boolean().optional(),
  });
  const SessionsMessagesSubscribeResultSchema = z.object({ subscribed: z.boolean(), key: z.string() });
  const SessionsMessagesUnsubscribeParamsSchema = z.object({ key: sessionKey, agentId: id.optional() });

  const SessionsViewersSetParamsSchema = z.object({ sessionKeys });
  const SessionsViewersSetResultSchema = z.object({ sessionKeys: z.array(z.string()) });

  const SessionsObserverVisibilityParamsSchema = z.object({ visible: z.boolean() });
  const SessionsObserverVisibilityResultSchema = z.object({ ok: z.literal(true) });

  const SessionsDescribeParamsSchema = z.object({
    key: sessionKey,
    includeDerivedTitles: z.boolean().optional(),
    includeLastMessage: z.boolean().optional(),
  });
  const SessionsDescribeResultSchema = z.object({ session: SessionRowSchema.nullable() });

  const SessionScopedParamsSchema = z.object({ sessionKey, agentId: id.optional() });
  const SessionsBranchesListResultSchema = z.object({ branches: z.array(z.never()) });
  const SessionsCompanionStateResultSchema = z.object({ exchanges: z.array(z.never()) });
  const SessionDiscussionInfoResultSchema = z.object({ state: z.literal("none") });

  const SessionsCatalogListParamsSchema = z.object({
    catalogId: id.optional(),
    agentId: id.optional(),
    progressId: id.optional(),
    search: z.string().max(LIMITS.keyChars).optional(),
    limitPerHost: z.int().min(1).max(10_000).optional(),
    hostIds: z.array(id).max(LIMITS.listItems).optional(),
    allowPartialResults: z.boolean().optional(),
  });
  const SessionsCatalogListResultSchema = z.object({ catalogs: z.array(z.never()) });

  const SessionsGroupsListParamsSchema = z.object({}).optional();
  const SessionsGroupsListResultSchema = z.object({
    groups: z.array(z.never()),
    sectionOrder: z.array(z.never()),
  });
  const SessionsGroupsDefaultsResultSchema = z.object({ defaults: z.array(z.never()) });

  const PullRequestsSubscribeParamsSchema = z.object({ sessionKeys });
  /** `subscribed: false`: this gateway tracks no pull requests, so no update will follow. */
  const PullRequestsSubscribeResultSchema = z.object({ subscribed: z.literal(false) });

  /**
   * OpenClaw's `sessions.create`, with the fields this gateway acts on: a key (or a fresh one), its agent, label,
   * model and thinking level, and a first message to run. Other fields (worktrees, catalogs, permission modes, ...)
   * belong to features this gateway does not have and are ignored; `incognito` is refused.
   */
  const SessionsCreateParamsSchema = z.object({
    key: sessionKey.optional(),
    idempotencyKey: id.optional(),
    agentId: id.optional(),
    label: z.string().max(LIMITS.keyChars).optional(),
    displayName: z.string().max(LIMITS.keyChars).optional(),
    model: id.optional(),
    thinkingLevel: id.optional(),
    incognito: z.boolean().optional(),
    parentSessionKey: sessionKey.optional(),
    succeedsParent: z.boolean().optional(),
    emitCommandHooks: z.boolean().optional(),
    message: z.string().max(LIMITS.messageChars).optional(),
  });
  const SessionsCreateResultSchema = z.object({
    ok: z.literal(true),
    key: z.string(),
    sessionId: z.string().optional(),
    entry: SessionRowSchema,
    runStarted: z.boolean(),
    runId: z.string().optional(),
  });

  return {
    SessionsCreateParamsSchema,
    SessionsCreateResultSchema,
    SessionsSubscribeParamsSchema,
    SessionsSubscribeResultSchema,
    SessionsMessagesSubscribeParamsSchema,
    SessionsMessagesSubscribeResultSchema,
    SessionsMessagesUnsubscribeParamsSchema,
    SessionsViewersSetParamsSchema,
    SessionsViewersSetResultSchema,
    SessionsObserverVisibilityParamsSchema,
    SessionsObserverVisibilityResultSchema,
    SessionsDescribeParamsSchema,
    SessionsDescribeResultSchema,
    SessionScopedParamsSchema,
    SessionsBranchesListResultSchema,
    SessionsCompanionStateResultSchema,
    SessionDiscussionInfoResultSchema,
    SessionsCatalogListParamsSchema,
    SessionsCatalogListResultSchema,
    SessionsGroupsListParamsSchema,
    SessionsGroupsListResultSchema,
    SessionsGroupsDefaultsResultSchema,
    PullRequestsSubscribeParamsSchema,
    PullRequestsSubscribeResultSchema,
  };
}

const schemas = lazySchemas(buildSessionsCompatSchemas);
export const SessionsCreateParamsSchema = z.lazy(() => schemas().SessionsCreateParamsSchema);
export const SessionsCreateResultSchema = z.lazy(() => schemas().SessionsCreateResultSchema);
export const SessionsSubscribeParamsSchema = z.lazy(() => schemas().SessionsSubscribeParamsSchema);
export const SessionsSubscribeResultSchema = z.lazy(() => schemas().SessionsSubscribeResultSchema);
export const SessionsMessagesSubscribeParamsSchema = z.lazy(
  () => schemas().SessionsMessagesSubscribeParamsSchema,
);
export const SessionsMessagesSubscribeResultSchema = z.lazy(
  () => schemas().SessionsMessagesSubscribeResultSchema,
);
export const SessionsMessagesUnsubscribeParamsSchema = z.lazy(
  () => schemas().SessionsMessagesUnsubscribeParamsSchema,
);
export const SessionsViewersSetParamsSchema = z.lazy(() => schemas().SessionsViewersSetParamsSchema);
export const SessionsViewersSetResultSchema = z.lazy(() => schemas().SessionsViewersSetResultSchema);
export const SessionsObserverVisibilityParamsSchema = z.lazy(
  () => schemas().SessionsObserverVisibilityParamsSchema,
);
export const SessionsObserverVisibilityResultSchema = z.lazy(
  () => schemas().SessionsObserverVisibilityResultSchema,
);
export const SessionsDescribeParamsSchema = z.lazy(() => schemas().SessionsDescribeParamsSchema);
export const SessionsDescribeResultSchema = z.lazy(() => schemas().SessionsDescribeResultSchema);
export const SessionScopedParamsSchema = z.lazy(() => schemas().SessionScopedParamsSchema);
export const SessionsBranchesListResultSchema = z.lazy(() => schemas().SessionsBranchesListResultSchema);
export const SessionsCompanionStateResultSchema = z.lazy(() => schemas().SessionsCompanionStateResultSchema);
export const SessionDiscussionInfoResultSchema = z.lazy(() => schemas().SessionDiscussionInfoResultSchema);
export const SessionsCatalogListParamsSchema = z.lazy(() => schemas().SessionsCatalogListParamsSchema);
export const SessionsCatalogListResultSchema = z.lazy(() => schemas().SessionsCatalogListResultSchema);
export const SessionsGroupsListParamsSchema = z.lazy(() => schemas().SessionsGroupsListParamsSchema);
export const SessionsGroupsListResultSchema = z.lazy(() => schemas().SessionsGroupsListResultSchema);
export const SessionsGroupsDefaultsResultSchema = z.lazy(() => schemas().SessionsGroupsDefaultsResultSchema);
export const PullRequestsSubscribeParamsSchema = z.lazy(() => schemas().PullRequestsSubscribeParamsSchema);
export const PullRequestsSubscribeResultSchema = z.lazy(() => schemas().PullRequestsSubscribeResultSchema);
