export {
  encryptWhatsAppMedia,
  type FakeWhatsAppEncryptedMedia,
  FakeWhatsAppMediaCdn,
  type FakeWhatsAppMediaType,
} from "./fake-whatsapp-media-cdn.js";
export type {
  FakeWhatsAppMediaKind,
  FakeWhatsAppMediaOptions,
  FakeWhatsAppOrigin,
  FakeWhatsAppReactionOptions,
  FakeWhatsAppTextOptions,
} from "./fake-whatsapp-messages.js";
export {
  createFakeWhatsAppSocket,
  DEFAULT_FAKE_WHATSAPP_USER,
  FAKE_WHATSAPP_DISCONNECT,
  FakeWhatsAppSocket,
  type FakeWhatsAppSocketOptions,
} from "./fake-whatsapp-socket.js";
export {
  createFakeWhatsAppSocketFactory,
  type FakeWhatsAppOutageMode,
  type FakeWhatsAppSocketFactory,
} from "./fake-whatsapp-socket-factory.js";
export type {
  FakeWhatsAppConnectionUpdate,
  FakeWhatsAppContextInfo,
  FakeWhatsAppCreds,
  FakeWhatsAppEventMap,
  FakeWhatsAppMediaFields,
  FakeWhatsAppMediaUpload,
  FakeWhatsAppMessage,
  FakeWhatsAppMessageContent,
  FakeWhatsAppMessageKey,
  FakeWhatsAppOutgoingContent,
  FakeWhatsAppPresence,
  FakeWhatsAppReactionEvent,
  FakeWhatsAppReactionMessage,
  FakeWhatsAppSent,
  FakeWhatsAppSentMedia,
  FakeWhatsAppSentReaction,
  FakeWhatsAppSocketConfig,
  FakeWhatsAppUser,
} from "./fake-whatsapp-types.js";
