export { isWithinActiveHours } from "./active-hours.js";
export type { HeartbeatEvent, HeartbeatStatus, HeartbeatWakePort } from "./heartbeat-events.js";
export { isEffectivelyEmpty, readHeartbeatFile } from "./heartbeat-file.js";
export { classifyHeartbeatReply, type HeartbeatReply } from "./heartbeat-reply.js";
export { type HeartbeatDelivery, resolveHeartbeatRoute } from "./heartbeat-route.js";
export {
  HeartbeatService,
  type HeartbeatServiceOptions,
  type HeartbeatSummary,
} from "./heartbeat-service.js";
export {
  type AgentHeartbeat,
  DEFAULT_HEARTBEAT_PROMPT,
  HeartbeatConfigError,
  parseHeartbeatEvery,
  resolveHeartbeats,
} from "./heartbeat-settings.js";
