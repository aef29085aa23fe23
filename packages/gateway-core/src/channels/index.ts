export {
  type DmPolicy,
  decideInboundAccess,
  type GroupPolicy,
  type InboundAccessDecision,
} from "./access-policy.js";
export { type ChannelAccountRuntimeSnapshot, STOP_TIMEOUT_MS } from "./account-runtime.js";
export { resolveBoundAgentId } from "./agent-binding.js";
export {
  CHANNEL_LEASE_PREFIX,
  channelLeaseName,
  DEFAULT_CHANNEL_LEASE_RETRY_MS,
  DEFAULT_CHANNEL_LEASE_TTL_MS,
  isSharedAccount,
} from "./channel-account-leases.js";
export { ChannelError, type ChannelErrorCode, PairingError, type PairingErrorCode } from "./channel-error.js";
export {
  type BackoffOptions,
  type ChannelChange,
  ChannelManager,
  type ChannelManagerConfig,
  type ChannelManagerOptions,
  DEFAULT_START_WAIT_MS,
  type OutboundSendRequest,
  type OutboundSendResult,
  PAIRING_APPROVED_TEXT,
  type PairingNotification,
} from "./channel-manager.js";
export { DEFAULT_PROBE_TIMEOUT_MS } from "./channel-probe.js";
export { FORWARDED_SEND_TIMEOUT_MS } from "./channel-send-forwarding.js";
export { INBOUND_JOURNAL_TABLE, type InboundJournalEntry } from "./inbound-journal.js";
export {
  type ChatStarter,
  DEFAULT_TYPING_INTERVAL_MS,
  type InboundAccount,
  InboundRouter,
  MAX_QUEUED_PER_CHAT,
  pairingReplyText,
  type SessionRouting,
} from "./inbound-router.js";
export {
  type ApprovedSender,
  createPairingStore,
  DEFAULT_PAIRING_TTL_MS,
  MAX_PENDING_PAIRING_REQUESTS,
  type PairingRequest,
  type PairingStore,
} from "./pairing-store.js";
export { loadConfiguredPlugins, type PluginLoadReport } from "./plugin-loader.js";
export { type ChannelMeta, type LazyChannelEntry, PluginRegistry } from "./plugin-registry.js";
