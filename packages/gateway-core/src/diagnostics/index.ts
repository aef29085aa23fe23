export { type ModelPrice, modelPrice, type TokenCost, tokenCost } from "@openclaw/agent";
export {
  type ChannelStateEvent,
  type ConnectionEvent,
  type CronRunEvent,
  DiagnosticBus,
  type DiagnosticEvent,
  type DiagnosticListener,
  type HandshakeEvent,
  type MessageDeliveredEvent,
  type MessageReceivedEvent,
  type RpcRequestEvent,
  type RunAcceptedEvent,
  type RunTrigger,
  type StorageOperationEvent,
} from "./diagnostic-events.js";
export {
  formatTraceparent,
  newTraceContext,
  parseTraceparent,
  type TraceContext,
  traceContextFrom,
} from "./trace-context.js";
