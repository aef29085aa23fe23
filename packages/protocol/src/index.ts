export * from "./device-auth.js";
export {
  describeZodIssues,
  type ErrorCode,
  ErrorCodes,
  type ErrorDetailCode,
  ErrorDetailCodes,
  type ErrorShape,
  ErrorShapeSchema,
  GatewayError,
  type GatewayErrorOptions,
  type IssueSummary,
  zodIssueDetails,
} from "./errors.js";
export {
  GATEWAY_EVENTS,
  type GatewayEventName,
  type SessionsChangedEvent,
  SessionsChangedEventSchema,
  type ShutdownEvent,
  ShutdownEventSchema,
  type TickEvent,
  TickEventSchema,
} from "./events.js";
export {
  type EventFrame,
  EventFrameSchema,
  type Frame,
  FrameSchema,
  type InboundRequest,
  parseInboundRequest,
  type RequestFrame,
  RequestFrameSchema,
  type ResponseFrame,
  ResponseFrameSchema,
  type StateVersion,
  StateVersionSchema,
} from "./frames.js";
export {
  type AuthAliasParams,
  AuthAliasParamsSchema,
  CLIENT_IDS,
  CLIENT_MODES,
  type ClientInfo,
  ClientInfoSchema,
  type ConnectChallenge,
  ConnectChallengeSchema,
  type ConnectParams,
  ConnectParamsSchema,
  type HelloOk,
  HelloOkSchema,
  SessionDefaultsSchema,
} from "./handshake.js";
export { LIMITS, type Limits } from "./limits.js";
export * from "./methods/agents.js";
export * from "./methods/approvals.js";
export * from "./methods/channels.js";
export * from "./methods/chat.js";
export * from "./methods/compat-cli.js";
export * from "./methods/compat-misc.js";
export * from "./methods/compat-sessions.js";
export * from "./methods/compat-ui.js";
export * from "./methods/config.js";
export { contract, type MethodContract } from "./methods/contract.js";
export {
  isKnownMethod,
  METHOD_CONTRACTS,
  type MethodName,
  type MethodParams,
  type MethodResult,
  methodParamFields,
  requiredScopeFor,
} from "./methods/contracts.js";
export * from "./methods/cron.js";
export * from "./methods/devices.js";
export * from "./methods/node-runtime.js";
export * from "./methods/nodes.js";
export * from "./methods/sessions.js";
export * from "./methods/skills.js";
export * from "./methods/system.js";
export * from "./methods/tools.js";
export * from "./methods/web-login.js";
export {
  grantScopes,
  type MethodScope,
  NODE_SCOPE,
  OPERATOR_SCOPES,
  type OperatorScope,
  OperatorScopeSchema,
  ROLES,
  type Role,
  scopeSatisfies,
} from "./scopes.js";
export { PRE_AUTH_MAX_PAYLOAD, PROTOCOL_VERSION } from "./version.js";
