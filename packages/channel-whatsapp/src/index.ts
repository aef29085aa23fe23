export type { WhatsAppAccountHandle } from "./whatsapp-account.js";
export { OPENCLAW_STATE_DIR_ENV, resolveWhatsAppAuthDir } from "./whatsapp-auth-dir.js";
export {
  WHATSAPP_LOGGED_OUT_MESSAGE,
  WhatsAppChannelError,
  type WhatsAppChannelErrorCode,
} from "./whatsapp-channel-error.js";
export { type WhatsAppConfig, type WhatsAppConfigInput, WhatsAppConfigSchema } from "./whatsapp-config.js";
export type { WhatsAppMediaDeps } from "./whatsapp-inbound-media.js";
export { idToJid, jidToId } from "./whatsapp-jid.js";
export { type WhatsAppInboundOptions, whatsappMessageToInbound } from "./whatsapp-message-to-inbound.js";
export {
  type CreateWhatsAppPluginOptions,
  createWhatsAppPlugin,
  WHATSAPP_MAX_MEDIA_BYTES,
  WHATSAPP_MAX_TEXT_LENGTH,
  type WhatsAppPlugin,
  whatsappPlugin,
  whatsappPlugin as default,
} from "./whatsapp-plugin.js";
export { renderQrForTerminal, type WhatsAppLoginState, type WhatsAppQrListener } from "./whatsapp-qr.js";
export type {
  MakeWhatsAppSocket,
  WhatsAppMessage,
  WhatsAppSocket,
  WhatsAppUser,
} from "./whatsapp-socket.js";
