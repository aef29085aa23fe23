import * as chat from "./compat-ui-chat.js";
import * as sessions from "./compat-ui-sessions.js";
import * as workspace from "./compat-ui-workspace.js";
import { contract } from "./contract.js";

/**
 * Methods OpenClaw's own Control UI calls, beyond the core families: their contracts, with OpenClaw's shapes.
 * Found in the frames its UI exchanged with a real OpenClaw 2026.9.6 gateway and in its bundle; scopes are the
 * ones OpenClaw's published protocol names.
 */
export const CONTROL_UI_COMPAT_CONTRACTS = {
  "chat.startup": contract("operator.read", chat.ChatStartupParamsSchema, chat.ChatStartupResultSchema),
  "chat.metadata": contract("operator.read", chat.ChatMetadataParamsSchema, chat.ChatMetadataResultSchema),
  "progressCard.get": contract(
    "operator.read",
    chat.ProgressCardGetParamsSchema,
    chat.ProgressCardGetResultSchema,
  ),
  "agent.identity.get": contract(
    "operator.read",
    chat.AgentIdentityGetParamsSchema,
    chat.AgentIdentityGetResultSchema,
  ),
  "models.authStatus": contract(
    "operator.read",
    chat.ModelsAuthStatusParamsSchema,
    chat.ModelsAuthStatusResultSchema,
  ),
  "sessions.subscribe": contract(
    "operator.read",
    sessions.SessionsSubscribeParamsSchema,
    sessions.SessionsSubscribeResultSchema,
  ),
  "sessions.messages.subscribe": contract(
    "operator.read",
    sessions.SessionsMessagesSubscribeParamsSchema,
    sessions.SessionsMessagesSubscribeResultSchema,
  ),
  "sessions.messages.unsubscribe": contract(
    "operator.read",
    sessions.SessionsMessagesUnsubscribeParamsSchema,
    sessions.SessionsMessagesSubscribeResultSchema,
  ),
  "sessions.viewers.set": contract(
    "operator.read",
    sessions.SessionsViewersSetParamsSchema,
    sessions.SessionsViewersSetResultSchema,
  ),
  "sessions.observer.visibility": contract(
    "operator.read",
    sessions.SessionsObserverVisibilityParamsSchema,
    sessions.SessionsObserverVisibilityResultSchema,
  ),
  "sessions.describe": contract(
    "operator.read",
    sessions.SessionsDescribeParamsSchema,
    sessions.SessionsDescribeResultSchema,
  ),
  "sessions.branches.list": contract(
    "operator.read",
    sessions.SessionScopedParamsSchema,
    sessions.SessionsBranchesListResultSchema,
  ),
  "sessions.companion.state": contract(
    "operator.read",
    sessions.SessionScopedParamsSchema,
    sessions.SessionsCompanionStateResultSchema,
  ),
  "session.discussion.info": contract(
    "operator.read",
    sessions.SessionScopedParamsSchema,
    sessions.SessionDiscussionInfoResultSchema,
  ),
  "sessions.catalog.list": contract(
    "operator.read",
    sessions.SessionsCatalogListParamsSchema,
    sessions.SessionsCatalogListResultSchema,
  ),
  "sessions.groups.list": contract(
    "operator.read",
    sessions.SessionsGroupsListParamsSchema,
    sessions.SessionsGroupsListResultSchema,
  ),
  "sessions.groups.defaults": contract(
    "operator.write",
    sessions.SessionsGroupsListParamsSchema,
    sessions.SessionsGroupsDefaultsResultSchema,
  ),
  "controlUi.sessionPullRequests.subscribe": contract(
    "operator.read",
    sessions.PullRequestsSubscribeParamsSchema,
    sessions.PullRequestsSubscribeResultSchema,
  ),
  "board.get": contract("operator.read", workspace.BoardGetParamsSchema, workspace.BoardGetResultSchema),
  "projects.list": contract(
    "operator.read",
    workspace.ProjectsListParamsSchema,
    workspace.ProjectsListResultSchema,
  ),
  "question.list": contract(
    "operator.questions",
    workspace.QuestionListParamsSchema,
    workspace.QuestionListResultSchema,
  ),
  "tasks.list": contract("operator.read", workspace.TasksListParamsSchema, workspace.TasksListResultSchema),
  "taskSuggestions.list": contract(
    "operator.read",
    workspace.TaskSuggestionsListParamsSchema,
    workspace.TaskSuggestionsListResultSchema,
  ),
  "mentions.list": contract(
    "operator.read",
    workspace.MentionsListParamsSchema,
    workspace.MentionsListResultSchema,
  ),
  "plugin.approval.list": contract(
    "operator.approvals",
    workspace.CompatEmptyParamsSchema,
    workspace.EmptyApprovalListResultSchema,
  ),
  "openclaw.approval.list": contract(
    "operator.approvals",
    workspace.CompatEmptyParamsSchema,
    workspace.EmptyApprovalListResultSchema,
  ),
  "plugin.surface.refresh": contract(
    "operator.read",
    workspace.PluginSurfaceRefreshParamsSchema,
    workspace.PluginSurfaceRefreshResultSchema,
  ),
  "plugins.controlUi.list": contract(
    "operator.read",
    workspace.CompatEmptyParamsSchema,
    workspace.PluginsControlUiListResultSchema,
  ),
  "update.status": contract(
    "operator.admin",
    workspace.CompatEmptyParamsSchema,
    workspace.UpdateStatusResultSchema,
  ),
  "system.info": contract(
    "operator.read",
    workspace.CompatEmptyParamsSchema,
    workspace.SystemInfoResultSchema,
  ),
  "talk.catalog": contract(
    "operator.read",
    workspace.CompatEmptyParamsSchema,
    workspace.TalkCatalogResultSchema,
  ),
} as const;
