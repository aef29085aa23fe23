import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/**
 * Methods of OpenClaw's Control UI for features this gateway does not have (boards, projects, questions, tasks,
 * mentions, plugin approvals and surfaces, updates, talk) and the host's facts (`system.info`): the UI asks for them on every screen. Each is answered with
 * the shape OpenClaw itself sends when the feature holds nothing, so the UI shows an empty panel instead of an
 * error; none of them accepts a write.
 */
function buildWorkspaceCompatSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const sessionKey = z.string().min(1).max(LIMITS.keyChars);
  const idList = z.array(id).max(LIMITS.listItems);

  const BoardGetParamsSchema = z.object({ sessionKey: sessionKey.optional(), agentId: id.optional() });
  const BoardGetResultSchema = z.object({
    sessionKey: z.string(),
    revision: z.int().min(0),
    tabs: z.array(z.never()),
    widgets: z.array(z.never()),
  });

  const ProjectsListParamsSchema = z.object({ agentId: id.optional() }).optional();
  const ProjectsListResultSchema = z.object({
    projects: z.array(
      z.object({
        id: z.string(),
        displayName: z.string(),
        repoRoot: z.string(),
        source: z.literal("workspace"),
        agentId: z.string(),
      }),
    ),
    recents: z.array(z.never()),
  });

  const QuestionListParamsSchema = z.object({ sessionKey: sessionKey.optional() }).optional();
  const QuestionListResultSchema = z.object({ questions: z.array(z.never()) });

  const TasksListParamsSchema = z.object({
    sessionKey: sessionKey.optional(),
    agentId: id.optional(),
    status: z.union([id, idList]).optional(),
    sortBy: id.optional(),
    limit: z.int().min(1).max(10_000).optional(),
  });
  const TasksListResultSchema = z.object({ tasks: z.array(z.never()) });

  const TaskSuggestionsListParamsSchema = z.object({ agentId: id.optional() }).optional();
  const TaskSuggestionsListResultSchema = z.object({ suggestions: z.array(z.never()) });

  const MentionsListParamsSchema = z.object({}).optional();
  const MentionsListResultSchema = z.object({
    gatewayInstanceId: z.string(),
    revision: z.int().min(0),
    items: z.array(z.never()),
  });

  const EmptyParamsSchema = z.object({}).optional();
  /** `plugin.approval.list` and `openclaw.approval.list`: OpenClaw answers a bare array, like `exec.approval.list`. */
  const EmptyApprovalListResultSchema = z.array(z.never());

  const PluginSurfaceRefreshParamsSchema = z.object({
    surface: id,
    observedUrl: z.string().max(LIMITS.pathChars).optional(),
  });
  /** A fresh capability-scoped base URL of the canvas host (OpenClaw's shape); the only surface is `canvas`. */
  const PluginSurfaceRefreshResultSchema = z.object({
    surface: id,
    pluginSurfaceUrls: z.record(id, z.string().max(LIMITS.pathChars)),
    expiresAtMs: z.number().int().nonnegative(),
  });

  const PluginsControlUiListResultSchema = z.object({
    revision: z.string(),
    plugins: z.array(z.never()),
    diagnostics: z.array(z.never()),
  });

  /** The plugins this gateway runs (its channels); installing or removing one is not done from a client here. */
  const PluginsListResultSchema = z.object({
    plugins: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().optional(),
        kind: z.array(z.string()),
        installed: z.literal(true),
        enabled: z.literal(true),
        state: z.literal("enabled"),
      }),
    ),
    diagnostics: z.array(z.never()),
    mutationAllowed: z.literal(false),
  });

  const UpdateStatusResultSchema = z.object({
    sentinel: z.null(),
    updateAvailable: z.null(),
    effectiveChannel: z.literal("stable"),
    schedule: z.object({ channel: z.literal("stable"), autoEnabled: z.literal(false) }),
  });

  const SystemInfoResultSchema = z.object({
    machineName: z.string(),
    hostname: z.string(),
    platform: z.string(),
    release: z.string(),
    arch: z.string(),
    osLabel: z.string(),
    port: z.int().min(0).optional(),
    nodeVersion: z.string(),
    pid: z.int(),
    processInstanceId: z.string().optional(),
    uptimeMs: z.int().min(0),
    cpuCount: z.int().min(0),
    cpuModel: z.string().optional(),
    loadAverage: z.array(z.number()).optional(),
    memoryTotalBytes: z.int().min(0),
    memoryFreeBytes: z.int().min(0),
    diskTotalBytes: z.int().min(0).optional(),
    diskAvailableBytes: z.int().min(0).optional(),
    diskPath: z.string().optional(),
  });

  /** Talk (voice) is not a feature of this gateway: every list is empty and nothing is ready. */
  const TalkCatalogResultSchema = z.object({
    modes: z.array(z.never()),
    transports: z.array(z.never()),
    brains: z.array(z.never()),
    speech: z.object({ ready: z.literal(false), providers: z.array(z.never()) }),
    transcription: z.object({ ready: z.literal(false), providers: z.array(z.never()) }),
    realtime: z.object({ ready: z.literal(false), providers: z.array(z.never()) }),
  });

  return {
    SystemInfoResultSchema,
    TalkCatalogResultSchema,
    BoardGetParamsSchema,
    BoardGetResultSchema,
    ProjectsListParamsSchema,
    ProjectsListResultSchema,
    QuestionListParamsSchema,
    QuestionListResultSchema,
    TasksListParamsSchema,
    TasksListResultSchema,
    TaskSuggestionsListParamsSchema,
    TaskSuggestionsListResultSchema,
    MentionsListParamsSchema,
    MentionsListResultSchema,
    EmptyParamsSchema,
    EmptyApprovalListResultSchema,
    PluginSurfaceRefreshParamsSchema,
    PluginSurfaceRefreshResultSchema,
    PluginsControlUiListResultSchema,
    PluginsListResultSchema,
    UpdateStatusResultSchema,
  };
}

const schemas = lazySchemas(buildWorkspaceCompatSchemas);
export const BoardGetParamsSchema = z.lazy(() => schemas().BoardGetParamsSchema);
export const BoardGetResultSchema = z.lazy(() => schemas().BoardGetResultSchema);
export const ProjectsListParamsSchema = z.lazy(() => schemas().ProjectsListParamsSchema);
export const ProjectsListResultSchema = z.lazy(() => schemas().ProjectsListResultSchema);
export const QuestionListParamsSchema = z.lazy(() => schemas().QuestionListParamsSchema);
export const QuestionListResultSchema = z.lazy(() => schemas().QuestionListResultSchema);
export const TasksListParamsSchema = z.lazy(() => schemas().TasksListParamsSchema);
export const TasksListResultSchema = z.lazy(() => schemas().TasksListResultSchema);
export const TaskSuggestionsListParamsSchema = z.lazy(() => schemas().TaskSuggestionsListParamsSchema);
export const TaskSuggestionsListResultSchema = z.lazy(() => schemas().TaskSuggestionsListResultSchema);
export const MentionsListParamsSchema = z.lazy(() => schemas().MentionsListParamsSchema);
export const MentionsListResultSchema = z.lazy(() => schemas().MentionsListResultSchema);
export const CompatEmptyParamsSchema = z.lazy(() => schemas().EmptyParamsSchema);
export const EmptyApprovalListResultSchema = z.lazy(() => schemas().EmptyApprovalListResultSchema);
export const PluginSurfaceRefreshParamsSchema = z.lazy(() => schemas().PluginSurfaceRefreshParamsSchema);
export const PluginSurfaceRefreshResultSchema = z.lazy(() => schemas().PluginSurfaceRefreshResultSchema);
export const PluginsControlUiListResultSchema = z.lazy(() => schemas().PluginsControlUiListResultSchema);
export const PluginsListResultSchema = z.lazy(() => schemas().PluginsListResultSchema);
export const UpdateStatusResultSchema = z.lazy(() => schemas().UpdateStatusResultSchema);
export const SystemInfoResultSchema = z.lazy(() => schemas().SystemInfoResultSchema);
export const TalkCatalogResultSchema = z.lazy(() => schemas().TalkCatalogResultSchema);
