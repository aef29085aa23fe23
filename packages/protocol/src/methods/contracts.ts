import { z } from "zod";
import type { MethodScope } from "../scopes.js";
import * as agents from "./agents.js";
import * as approvals from "./approvals.js";
import * as channels from "./channels.js";
import * as chat from "./chat.js";
import { CLI_COMPAT_CONTRACTS } from "./compat-cli.js";
import { MISC_COMPAT_CONTRACTS } from "./compat-misc.js";
import { SESSIONS_COMPAT_CONTRACTS } from "./compat-sessions.js";
import { CONTROL_UI_COMPAT_CONTRACTS } from "./compat-ui.js";
import * as config from "./config.js";
import { contract } from "./contract.js";
import * as cron from "./cron.js";
import { DEVICE_CONTRACTS, NODE_RUNTIME_CONTRACTS } from "./node-contracts.js";
import * as nodes from "./nodes.js";
import * as sessions from "./sessions.js";
import * as skills from "./skills.js";
import * as system from "./system.js";
import * as tools from "./tools.js";
import * as webLogin from "./web-login.js";

/** Every method this implementation serves, with its scope and the schemas of its params and result. */
export const METHOD_CONTRACTS = {
  health: contract("operator.read", system.HealthParamsSchema, system.HealthResultSchema),
  status: contract("operator.read", system.StatusParamsSchema, system.StatusResultSchema),
  "last-heartbeat": contract(
    "operator.read",
    system.LastHeartbeatParamsSchema,
    system.LastHeartbeatResultSchema,
  ),
  "set-heartbeats": contract(
    "operator.admin",
    system.SetHeartbeatsParamsSchema,
    system.SetHeartbeatsResultSchema,
  ),
  "system-presence": contract("operator.read", system.EmptyParamsSchema, system.SystemPresenceResultSchema),
  "logs.tail": contract("operator.read", system.LogsTailParamsSchema, system.LogsTailResultSchema),
  "channels.status": contract(
    "operator.read",
    system.ChannelsStatusParamsSchema,
    system.ChannelsStatusResultSchema,
  ),
  "config.get": contract("operator.read", config.ConfigGetParamsSchema, config.ConfigGetResultSchema),
  "config.set": contract("operator.admin", config.ConfigSetParamsSchema, config.ConfigWriteResultSchema),
  "config.patch": contract("operator.admin", config.ConfigPatchParamsSchema, config.ConfigWriteResultSchema),
  "config.apply": contract("operator.admin", config.ConfigApplyParamsSchema, config.ConfigWriteResultSchema),
  "config.schema": contract(
    "operator.read",
    config.ConfigSchemaParamsSchema,
    config.ConfigSchemaResultSchema,
  ),
  "sessions.list": contract(
    "operator.read",
    sessions.SessionsListParamsSchema,
    sessions.SessionsListResultSchema,
  ),
  "sessions.preview": contract(
    "operator.read",
    sessions.SessionsPreviewParamsSchema,
    sessions.SessionsPreviewResultSchema,
  ),
  "sessions.resolve": contract(
    "operator.read",
    sessions.SessionsResolveParamsSchema,
    sessions.SessionsResolveResultSchema,
  ),
  "sessions.patch": contract(
    "operator.write",
    sessions.SessionsPatchParamsSchema,
    sessions.SessionsPatchResultSchema,
  ),
  "sessions.reset": contract(
    "operator.admin",
    sessions.SessionsResetParamsSchema,
    sessions.SessionsResetResultSchema,
  ),
  "sessions.delete": contract(
    "operator.admin",
    sessions.SessionsDeleteParamsSchema,
    sessions.SessionsDeleteResultSchema,
  ),
  "sessions.compact": contract(
    "operator.admin",
    sessions.SessionsCompactParamsSchema,
    sessions.SessionsCompactResultSchema,
  ),
  "agents.list": contract("operator.read", agents.AgentsListParamsSchema, agents.AgentsListResultSchema),
  "agents.create": contract(
    "operator.admin",
    agents.AgentsCreateParamsSchema,
    agents.AgentsCreateResultSchema,
  ),
  "agents.update": contract(
    "operator.admin",
    agents.AgentsUpdateParamsSchema,
    agents.AgentsUpdateResultSchema,
  ),
  "agents.delete": contract(
    "operator.admin",
    agents.AgentsDeleteParamsSchema,
    agents.AgentsDeleteResultSchema,
  ),
  "agents.files.list": contract(
    "operator.read",
    agents.AgentsFilesListParamsSchema,
    agents.AgentsFilesListResultSchema,
  ),
  "agents.files.get": contract(
    "operator.read",
    agents.AgentsFilesGetParamsSchema,
    agents.AgentsFilesGetResultSchema,
  ),
  "agents.files.set": contract(
    "operator.admin",
    agents.AgentsFilesSetParamsSchema,
    agents.AgentsFilesSetResultSchema,
  ),
  "chat.send": contract("operator.write", chat.ChatSendParamsSchema, chat.ChatSendResultSchema),
  "chat.history": contract("operator.read", chat.ChatHistoryParamsSchema, chat.ChatHistoryResultSchema),
  "chat.abort": contract("operator.write", chat.ChatAbortParamsSchema, chat.ChatAbortResultSchema),
  agent: contract("operator.write", chat.AgentParamsSchema, chat.AgentResultSchema),
  "agent.wait": contract("operator.write", chat.AgentWaitParamsSchema, chat.AgentWaitResultSchema),
  "models.list": contract("operator.read", chat.ModelsListParamsSchema, chat.ModelsListResultSchema),
  "channels.start": contract(
    "operator.admin",
    channels.ChannelTargetParamsSchema,
    channels.ChannelTargetResultSchema,
  ),
  "channels.stop": contract(
    "operator.admin",
    channels.ChannelTargetParamsSchema,
    channels.ChannelTargetResultSchema,
  ),
  "channels.logout": contract(
    "operator.admin",
    channels.ChannelTargetParamsSchema,
    channels.ChannelTargetResultSchema,
  ),
  "channels.pairing.list": contract(
    "operator.pairing",
    channels.ChannelsPairingListParamsSchema,
    channels.ChannelsPairingListResultSchema,
  ),
  "channels.pairing.approve": contract(
    "operator.pairing",
    channels.ChannelsPairingApproveParamsSchema,
    channels.ChannelsPairingApproveResultSchema,
  ),
  send: contract("operator.write", channels.SendParamsSchema, channels.SendResultSchema),
  "web.login.start": contract(
    "operator.admin",
    webLogin.WebLoginStartParamsSchema,
    webLogin.WebLoginStartResultSchema,
  ),
  "web.login.wait": contract(
    "operator.admin",
    webLogin.WebLoginWaitParamsSchema,
    webLogin.WebLoginWaitResultSchema,
  ),
  "skills.status": contract(
    "operator.read",
    skills.SkillsStatusParamsSchema,
    skills.SkillsStatusResultSchema,
  ),
  "skills.install": contract(
    "operator.admin",
    skills.SkillsInstallParamsSchema,
    skills.SkillsInstallResultSchema,
  ),
  "skills.update": contract(
    "operator.admin",
    skills.SkillsUpdateParamsSchema,
    skills.SkillsUpdateResultSchema,
  ),
  "tools.catalog": contract("operator.read", tools.ToolsCatalogParamsSchema, tools.ToolsCatalogResultSchema),
  "tools.effective": contract(
    "operator.read",
    tools.ToolsEffectiveParamsSchema,
    tools.ToolsEffectiveResultSchema,
  ),
  "cron.list": contract("operator.read", cron.CronListParamsSchema, cron.CronListResultSchema),
  "cron.status": contract("operator.read", cron.CronStatusParamsSchema, cron.CronStatusResultSchema),
  "cron.add": contract("operator.admin", cron.CronAddParamsSchema, cron.CronAddResultSchema),
  "cron.update": contract("operator.admin", cron.CronUpdateParamsSchema, cron.CronUpdateResultSchema),
  "cron.remove": contract("operator.admin", cron.CronRemoveParamsSchema, cron.CronRemoveResultSchema),
  "cron.run": contract("operator.admin", cron.CronRunParamsSchema, cron.CronRunResultSchema),
  "cron.runs": contract("operator.read", cron.CronRunsParamsSchema, cron.CronRunsResultSchema),
  "exec.approval.request": contract(
    "operator.approvals",
    approvals.ExecApprovalRequestParamsSchema,
    approvals.ExecApprovalRequestResultSchema,
  ),
  "exec.approval.list": contract(
    "operator.approvals",
    approvals.ExecApprovalListParamsSchema,
    approvals.ExecApprovalListResultSchema,
  ),
  "exec.approval.get": contract(
    "operator.approvals",
    approvals.ExecApprovalGetParamsSchema,
    approvals.ExecApprovalRecordSchema,
  ),
  "exec.approval.resolve": contract(
    "operator.approvals",
    approvals.ExecApprovalResolveParamsSchema,
    approvals.ExecApprovalResolveResultSchema,
  ),
  "node.pair.list": contract(
    "operator.pairing",
    nodes.NodePairListParamsSchema,
    nodes.NodePairListResultSchema,
  ),
  "node.pair.approve": contract(
    "operator.pairing",
    nodes.NodePairRequestIdParamsSchema,
    nodes.NodePairApproveResultSchema,
  ),
  "node.pair.reject": contract(
    "operator.pairing",
    nodes.NodePairRequestIdParamsSchema,
    nodes.NodePairRejectResultSchema,
  ),
  "node.pair.remove": contract(
    "operator.pairing",
    nodes.NodePairRemoveParamsSchema,
    nodes.NodePairRemoveResultSchema,
  ),
  ...DEVICE_CONTRACTS,
  ...NODE_RUNTIME_CONTRACTS,
  ...CONTROL_UI_COMPAT_CONTRACTS,
  ...CLI_COMPAT_CONTRACTS,
  ...SESSIONS_COMPAT_CONTRACTS,
  ...MISC_COMPAT_CONTRACTS,
} as const;

export type MethodName = keyof typeof METHOD_CONTRACTS;
export type MethodParams<M extends MethodName> = z.output<(typeof METHOD_CONTRACTS)[M]["params"]>;
export type MethodResult<M extends MethodName> = z.output<(typeof METHOD_CONTRACTS)[M]["result"]>;

/**
 * Every method's param field names (the keys of its params object; none for non-object params), e.g. for fuzzers,
 * docs and completion.
 */
export function methodParamFields(): Record<MethodName, string[]> {
  const fields = {} as Record<MethodName, string[]>;
  for (const method of Object.keys(METHOD_CONTRACTS) as MethodName[]) {
    let schema: z.ZodType = METHOD_CONTRACTS[method].params;
    if (schema instanceof z.ZodLazy) schema = schema.unwrap() as z.ZodType;
    fields[method] = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  }
  return fields;
}

export function isKnownMethod(method: string): method is MethodName {
  return Object.hasOwn(METHOD_CONTRACTS, method);
}

/** The scope a specific call needs; most methods have one fixed scope, `sessions.patch` depends on its fields. */
export function requiredScopeFor(method: MethodName, params: unknown): MethodScope {
  const base = METHOD_CONTRACTS[method].scope;
  if (method !== "sessions.patch" || params === null || typeof params !== "object") return base;
  const writeFields: readonly string[] = sessions.SESSION_PATCH_WRITE_FIELDS;
  const privileged = Object.keys(params).some(
    (field) =>
      field !== "key" && field !== "agentId" && field !== "expectedSessionId" && !writeFields.includes(field),
  );
  return privileged ? "operator.admin" : base;
}
