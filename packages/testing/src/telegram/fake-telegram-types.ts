import type { BotApiParams } from "./bot-api-request.js";
import type {
  FakeTelegramChat,
  FakeTelegramUser,
  TelegramMessage,
  TelegramMessageEntity,
  TelegramUser,
} from "./telegram-objects.js";

/** The Bot API methods that upload a file and post it as a message. */
export type FakeTelegramUploadMethod = "sendPhoto" | "sendDocument" | "sendVoice" | "sendAudio" | "sendVideo";

/** A file the bot uploaded (multipart), as the fake received it. */
export interface FakeTelegramUpload {
  /** The multipart field the file arrived in, e.g. `photo` (grammY sends it under a random `attach://` name). */
  field: string;
  bytes: Uint8Array;
  /** The part's filename; grammY names an unnamed file after the field (`photo.jpg`). */
  fileName: string;
  /** The part's content type as sent (grammY always says application/octet-stream). */
  contentType: string;
  /** What Telegram derives from the file name for documents, audio and video; `audio/ogg` for voice notes. */
  mimeType?: string;
}

/** One outbound call the fake accepted (failed calls are only in `calls`). */
export interface FakeTelegramSent {
  method:
    | "sendMessage"
    | "sendChatAction"
    | "editMessageText"
    | "deleteMessage"
    | "setMessageReaction"
    | FakeTelegramUploadMethod;
  chatId: string;
  /** As sent, markup included; the Message returned to the client carries the rendered text. */
  text?: string;
  /** The caption of an upload, as sent. */
  caption?: string;
  parseMode?: string;
  messageThreadId?: number;
  replyToMessageId?: number;
  action?: string;
  /** The uploaded file, for the send* upload methods (absent when the bot re-sent a known file_id). */
  upload?: FakeTelegramUpload;
  /** setMessageReaction: the emoji the bot's reaction list now holds (empty: removed). */
  reaction?: string[];
  /** The new, edited, reacted-to or deleted message's id; 0 for sendChatAction. */
  messageId: number;
  at: number;
  body: BotApiParams;
}

export interface FakeTelegramFailure {
  /** HTTP status, also the `error_code` of the body. */
  status: number;
  /** Telegram's wording, e.g. "Too Many Requests: retry after 3". */
  description: string;
  /** Sets `parameters.retry_after`, as Telegram does on 429. */
  retryAfterSeconds?: number;
  /** How many consecutive calls of the method fail; default 1. */
  times?: number;
}

export interface FakeTelegramCall {
  method: string;
  at: number;
  body: BotApiParams;
}

export interface FakeTelegramInbound {
  chat: FakeTelegramChat;
  from: FakeTelegramUser;
  text: string;
  messageThreadId?: number;
  replyTo?: { message_id: number; text?: string; from?: FakeTelegramUser };
  /** Default: the @mentions and /commands Telegram itself would mark in `text`. */
  entities?: TelegramMessageEntity[];
}

/** The kinds of file a user can send, named after the Message field Telegram puts them in. */
export type FakeTelegramMediaKind =
  | "photo"
  | "document"
  | "voice"
  | "audio"
  | "video"
  | "video_note"
  | "sticker"
  | "animation";

/** A user's message carrying a file; `bytes` is what getFile + the file URL serve. */
export interface FakeTelegramInboundMedia {
  chat: FakeTelegramChat;
  from: FakeTelegramUser;
  kind: FakeTelegramMediaKind;
  bytes: Uint8Array;
  /** Documents, audio, video and animations carry a file name (default: one derived from the kind). */
  fileName?: string;
  /** Default: from the file name (documents, audio, video), `audio/ogg` (voice), `video/mp4` (video notes). */
  mimeType?: string;
  caption?: string;
  /** Default: the @mentions and /commands Telegram would mark in `caption`. */
  captionEntities?: TelegramMessageEntity[];
  durationSec?: number;
  width?: number;
  height?: number;
  /** Photos: also list this smaller rendition first, as Telegram lists a photo's sizes smallest first. */
  thumbnailBytes?: Uint8Array;
  /** The `file_size` Telegram declares, when a test needs it to differ from the bytes (e.g. over 20 MB). */
  declaredSizeBytes?: number;
  /** Stickers: the emoji the sticker stands for. */
  emoji?: string;
  messageThreadId?: number;
  /** Parts of one album share it (`media_group_id`); Telegram sends each part as its own message. */
  mediaGroupId?: string;
}

/** A user changing their reactions on a message: `reaction` is their new list (empty: all taken off). */
export interface FakeTelegramInboundReaction {
  chat: FakeTelegramChat;
  from: FakeTelegramUser;
  messageId: number;
  reaction: string[];
}

export interface FakeTelegramServer {
  /** `http://127.0.0.1:<port>`: grammY takes it as `new Bot(token, { client: { apiRoot } })`. */
  readonly apiRoot: string;
  /** The only token accepted; any other gets 401 Unauthorized. */
  readonly token: string;
  /** The bot getMe describes. */
  readonly bot: TelegramUser;
  /** Queues a user's message as the next Update and wakes a held getUpdates. */
  sendMessage(inbound: FakeTelegramInbound): { update_id: number; message: TelegramMessage };
  /** Queues a user's photo, voice note, document, ... message whose file getFile and the file URL serve. */
  sendMediaMessage(inbound: FakeTelegramInboundMedia): { update_id: number; message: TelegramMessage };
  /** Queues a `message_reaction` update (delivered only when the bot asked for it in `allowed_updates`). */
  sendReaction(inbound: FakeTelegramInboundReaction): {
    update_id: number;
    message_reaction: Record<string, unknown>;
  };
  /** `"@<bot username> <text>"` with its mention entity, to spread into `sendMessage`. */
  mentionText(text: string): { text: string; entities: TelegramMessageEntity[] };
  /** Every accepted send, edit, delete, chat action and reaction, oldest first. */
  readonly sent: FakeTelegramSent[];
  /** Resolves with the matching `sent` entries once `count` (1) match; rejects after `timeoutMs` (30 s). */
  waitForSent(
    predicate: (sent: FakeTelegramSent) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<FakeTelegramSent[]>;
  /** The texts a message had, oldest first: the original and then one entry per accepted edit. */
  textHistory(chatId: number | string, messageId: number): string[];
  /** The bot's current reaction emoji on a message. */
  botReactions(chatId: number | string, messageId: number): string[];
  /** The command list of the last setMyCommands (default scope), as sent. */
  readonly commands: { command: string; description: string }[];
  /** The `file_path` of every file download served, oldest first. */
  readonly downloads: string[];
  /** The next `times` calls of `method` get this status and Telegram's error JSON. */
  failNext(method: string, failure: FakeTelegramFailure): void;
  /** Destroys the sockets of held getUpdates requests, as a network reset would. */
  resetConnections(): void;
  /** Every request to `/bot<token>/<method>`, wrong tokens and failures included, oldest first. */
  readonly calls: FakeTelegramCall[];
  /** Resolves with the first call (any method, e.g. getUpdates) matching `predicate`; rejects after `timeoutMs` (30 s). */
  waitForCall(predicate: (call: FakeTelegramCall) => boolean, timeoutMs?: number): Promise<FakeTelegramCall>;
  /** getUpdates requests held open right now, waiting for an update or their timeout. */
  readonly activePolls: number;
  /** Resolves once exactly `count` getUpdates are held (1: "the bot is polling now"); rejects after `timeoutMs` (30 s). */
  waitForActivePolls(count: number, timeoutMs?: number): Promise<void>;
  /** Answers held getUpdates with no updates, then stops listening and drops every connection. */
  close(): Promise<void>;
}

export interface FakeTelegramServerOptions {
  /** Default "7000000001:AAF4ke-T0ken-f0r-l00pback-tests"; the part before ":" is the bot's user id. */
  token?: string;
  /** Default "openclaw_test_bot". */
  botUsername?: string;
}
