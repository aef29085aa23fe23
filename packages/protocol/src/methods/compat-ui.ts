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
    { unavailable: "no progress cards: answers `card: null`" },
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
    { unavailable: "no auth-profile store: answers no providers and an `unavailable` reason" },
  ),
  "sessions.create": contract(
    "operator.write",
    sessions.SessionsCreateParamsSchema,
    sessions.SessionsCreateResultSchema,
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
    { unavailable: "no transcript branches: answers an empty list" },
  ),
  "sessions.companion.state": contract(
    "operator.read",
    sessions.SessionScopedParamsSchema,
    sessions.SessionsCompanionStateResultSchema,
    { unavailable: "no companion threads: answers no exchanges" },
  ),
  "session.discussion.info": contract(
    "operator.read",
    sessions.SessionScopedParamsSchema,
    sessions.SessionDiscussionInfoResultSchema,
    { unavailable: "no discussion threads: answers state none" },
  ),
  "sessions.catalog.list": contract(
    "operator.read",
    sessions.SessionsCatalogListParamsSchema,
    sessions.SessionsCatalogListResultSchema,
    { unavailable: "no external session catalogs: answers an empty list" },
  ),
  "sessions.groups.list": contract(
    "operator.read",
    sessions.SessionsGroupsListParamsSchema,
    sessions.SessionsGroupsListResultSchema,
    { unavailable: "no session groups: answers an empty list" },
  ),
  "sessions.groups.defaults": contract(
    "operator.write",
    sessions.SessionsGroupsListParamsSchema,
    sessions.SessionsGroupsDefaultsResultSchema,
    { unavailable: "no session groups: answers no defaults" },
  ),
  "controlUi.sessionPullRequests.subscribe": contract(
    "operator.read",
    sessions.PullRequestsSubscribeParamsSchema,
    sessions.PullRequestsSubscribeResultSchema,
    { unavailable: "no pull-request tracking: answers `subscribed: false`" },
  ),
  "board.get": contract("operator.read", workspace.BoardGetParamsSchema, workspace.BoardGetResultSchema, {
    unavailable: "no boards: answers an empty board",
  }),
  "projects.list": contract(
    "operator.read",
    workspace.ProjectsListParamsSchema,
    workspace.ProjectsListResultSchema,
  ),
  "question.list": contract(
    "operator.questions",
    workspace.QuestionListParamsSchema,
    workspace.QuestionListResultSchema,
    { unavailable: "no agent questions: answers an empty list" },
  ),
  "tasks.list": contract("operator.read", workspace.TasksListParamsSchema, workspace.TasksListResultSchema, {
    unavailable: "no background tasks: answers an empty list",
  }),
  "taskSuggestions.list": contract(
    "operator.read",
    workspace.TaskSuggestionsListParamsSchema,
    workspace.TaskSuggestionsListResultSchema,
    { unavailable: "no task suggestions: answers an empty list" },
  ),
  "mentions.list": contract(
    "operator.read",
    workspace.MentionsListParamsSchema,
    workspace.MentionsListResultSchema,
    { unavailable: "no mentions inbox: answers an empty list" },
  ),
  "plugin.approval.list": contract(
    "operator.approvals",
    workspace.CompatEmptyParamsSchema,
    workspace.EmptyApprovalListResultSchema,
    { unavailable: "no plugin approvals: answers an empty list" },
  ),
  "openclaw.approval.list": contract(
    "operator.approvals",
    workspace.CompatEmptyParamsSchema,
    workspace.EmptyApprovalListResultSchema,
    { unavailable: "no OpenClaw approvals: answers an empty list" },
  ),
  "plugin.surface.refresh": contract(
    "operator.read",
    workspace.PluginSurfaceRefreshParamsSchema,
    workspace.PluginSurfaceRefreshResultSchema,
    {
      unavailable:
        "only the canvas surface; fails UNAVAILABLE while the canvas host is off, as OpenClaw does without one",
    },
  ),
  "plugins.controlUi.list": contract(
    "operator.read",
    workspace.CompatEmptyParamsSchema,
    workspace.PluginsControlUiListResultSchema,
    { unavailable: "no plugin UI extensions: answers an empty list" },
  ),
  "commands.list": contract("operator.read", chat.CommandsListParamsSchema, chat.CommandsListResultSchema),
  "plugins.list": contract(
    "operator.read",
    workspace.CompatEmptyParamsSchema,
    workspace.PluginsListResultSchema,
  ),
  "update.status": contract(
    "operator.admin",
    workspace.CompatEmptyParamsSchema,
    workspace.UpdateStatusResultSchema,
    { unavailable: "no update channel (updates come from the package manager): answers no update" },
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
    { unavailable: "no talk (voice): answers empty catalogs, nothing ready" },
  ),
} as const;
