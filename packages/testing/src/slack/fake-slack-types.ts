import type { SlackEventCallback, SlackFile, SlackSlashCommandPayload } from "./slack-objects.js";
import type { WebApiParams } from "./web-api-request.js";

/** One accepted chat.postMessage or chat.update. */
export interface FakeSlackPosted {
  method: "chat.postMessage" | "chat.update";
  /** The conversation: a DM posted to a user id (`U…`) lands in its IM channel (`D` + the user id), as on Slack. */
  channel: string;
  /** As sent: Slack mrkdwn with &, < and > escaped. */
  text: string;
  threadTs?: string;
  /** The new message's ts (chat.postMessage) or the edited one's (chat.update). */
  ts: string;
  mrkdwn?: boolean;
  at: number;
  body: WebApiParams;
}

/** A message the fake knows: injected by a test or posted by the bot, with its edit history. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** The author: a user id, or the bot's user id. */
  user: string;
  /** The current text. */
  text: string;
  /** Every text the message had, oldest first (the post, then each chat.update). */
  history: string[];
  deleted: boolean;
  /** The bot's reactions on it right now (Slack names). */
  reactions: string[];
  fileIds: string[];
}

/** Every Web API request, failures included. */
export interface FakeSlackCall {
  method: string;
  status: number;
  at: number;
  body: WebApiParams;
}

/** One reactions.add / reactions.remove the fake accepted. */
export interface FakeSlackReactionCall {
  action: "add" | "remove";
  channel: string;
  ts: string;
  name: string;
  at: number;
}

/** One file the bot uploaded through files.getUploadURLExternal + the upload URL + files.completeUploadExternal. */
export interface FakeSlackUpload {
  fileId: string;
  fileName: string;
  title?: string;
  /** The `length` announced to files.getUploadURLExternal. */
  length: number;
  /** What arrived at the upload URL (empty until then). */
  bytes: Uint8Array;
  /** Set by files.completeUploadExternal. */
  completed: boolean;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  /** The file-share message's ts in `channel`, once completed with a channel. */
  ts?: string;
}

export interface FakeSlackFailure {
  /** HTTP status; 429 adds `Retry-After`. Default 200 (a Slack platform error: `{ ok: false, error }`). */
  status?: number;
  /** Seconds for the `Retry-After` header of a 429. Default 1. */
  retryAfter?: number;
  /** The `error` of the body. Default "ratelimited" for 429, "fatal_error" otherwise. */
  error?: string;
  /** How many consecutive calls of the method fail. Default 1. */
  times?: number;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  /** Default false; true makes the conversation a private channel (`channel_type` "group"). */
  isPrivate?: boolean;
}

/** A file attached to an injected message; its bytes are served at `url_private_download` to the bot token only. */
export interface FakeSlackFileInput {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
  title?: string;
  /** A Slack clip recorded in the client: `subtype` "slack_audio" / "slack_video" with `duration_ms`. */
  clip?: "audio" | "video";
  durationMs?: number;
  /** The `size` Slack declares; default the byte length (set it larger to test a refusal before download). */
  declaredSize?: number;
}

export interface FakeSlackDirectMessage {
  user: string;
  text: string;
  /** The IM channel id; default `D` + the user id. */
  channel?: string;
  threadTs?: string;
  /** Makes the message a `file_share` carrying these files. */
  files?: FakeSlackFileInput[];
}

export interface FakeSlackChannelMessage {
  channel: string;
  user: string;
  text: string;
  /** Makes the message a reply in this thread. */
  threadTs?: string;
  /**
   * When the text mentions the bot Slack also sends an `app_mention` event (if the app subscribes to both); default
   * true. Set false to deliver only the `message` event.
   */
  appMention?: boolean;
  files?: FakeSlackFileInput[];
}

export interface FakeSlackDelivery {
  ts: string;
  channel: string;
  /** One envelope id per event delivered (the `message`, then the `app_mention` if any). */
  envelopeIds: string[];
  /** The files as the event described them. */
  files: SlackFile[];
}

export interface FakeSlackReactionInput {
  user: string;
  channel: string;
  /** The reacted message's ts. */
  ts: string;
  /** Slack's name, e.g. "+1". */
  reaction: string;
  /** reaction_removed instead of reaction_added. */
  removed?: boolean;
}

export interface FakeSlackSlashCommandInput {
  /** With its slash, e.g. "/new". */
  command: string;
  text?: string;
  user: string;
  /** Where it was typed: a channel id, or a DM (`D…`). Default: the user's DM with the bot. */
  channel?: string;
}

export interface FakeSlackServerOptions {
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  /** Default "openclaw". */
  botName?: string;
}

export type { SlackEventCallback };

export interface FakeSlackServer {
  /** `http://127.0.0.1:<port>/api/`: pass it as the WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  /** The only bot token (xoxb-) accepted by the bot methods and the file downloads. */
  readonly botToken: string;
  /** The only app-level token (xapp-) accepted by apps.connections.open. */
  readonly appToken: string;
  /** Signs the HTTP Events API requests of {@link FakeSlackServer.postEvent}. */
  readonly signingSecret: string;
  /** What auth.test reports. */
  readonly bot: { userId: string; botId: string; teamId: string; name: string };
  /** `<@bot user id> text`: a message mentioning the bot. */
  mention(text: string): string;
  /** The IM channel of the bot's DM with `user` (`D` + the user id), where DMs and posts to the user id land. */
  dmChannel(user: string): string;
  /** Registers a user for users.info (unknown ids still resolve, named after the id). */
  addUser(user: FakeSlackUser): void;
  /** Registers a channel for conversations.info. */
  addChannel(channel: FakeSlackChannel): void;
  /** A DM from `user` to the bot, delivered over Socket Mode (queued until a socket is connected). */
  sendDirectMessage(message: FakeSlackDirectMessage): FakeSlackDelivery;
  /** A channel message (plus `app_mention` when it mentions the bot), delivered over Socket Mode. */
  sendChannelMessage(message: FakeSlackChannelMessage): FakeSlackDelivery;
  /** `reaction_added` (or `reaction_removed`) on a message; `item_user` is its author when the fake knows it. */
  sendReaction(reaction: FakeSlackReactionInput): { envelopeId: string };
  /** A `slash_commands` envelope, as Slack sends when someone runs the app's command; the client must ack it. */
  sendSlashCommand(command: FakeSlackSlashCommandInput): { envelopeId: string; triggerId: string };
  /**
   * Delivers a payload as given (a recorded `event_callback` body or slash command form) in a fresh Socket Mode
   * envelope; returns the envelope id.
   */
  replayEnvelope(type: "events_api" | "slash_commands", payload: unknown): string;
  /** The `event_callback` body of a DM, for {@link FakeSlackServer.postEvent}. */
  directMessageEvent(message: FakeSlackDirectMessage): SlackEventCallback;
  /** The `event_callback` body of a channel `message` event, for {@link FakeSlackServer.postEvent}. */
  channelMessageEvent(message: FakeSlackChannelMessage): SlackEventCallback;
  /** The form fields Slack POSTs for a slash command in HTTP mode, for {@link FakeSlackServer.postEvent} with `form`. */
  slashCommandBody(command: FakeSlackSlashCommandInput): SlackSlashCommandPayload;
  /**
   * POSTs `body` to an HTTP Events API Request URL as Slack does: JSON (or, with `form`, the urlencoded form of a
   * slash command) with `X-Slack-Request-Timestamp` and `X-Slack-Signature` (v0 HMAC-SHA256 with `signingSecret`,
   * or the given one; `sign: false` leaves them out).
   */
  postEvent(
    url: string,
    body: unknown,
    options?: { sign?: boolean; signingSecret?: string; form?: boolean },
  ): Promise<Response>;
  /** Every accepted chat.postMessage / chat.update, oldest first. */
  readonly posted: FakeSlackPosted[];
  /** Resolves with the matching `posted` entries once `count` (1) match; rejects after `timeoutMs` (30 s). */
  waitForPosted(
    predicate: (posted: FakeSlackPosted) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<FakeSlackPosted[]>;
  /** A message by conversation and ts, with its edit history, deletion and the bot's reactions. */
  message(channel: string, ts: string): FakeSlackMessage | undefined;
  /** Every message the fake knows (injected and posted), oldest first. */
  readonly messages: FakeSlackMessage[];
  /** Resolves with the first message matching `predicate` (checked on every change); rejects after `timeoutMs`. */
  waitForMessage(
    predicate: (message: FakeSlackMessage) => boolean,
    timeoutMs?: number,
  ): Promise<FakeSlackMessage>;
  /** Files the bot uploaded (announced, bytes received, completed), oldest first. */
  readonly uploads: FakeSlackUpload[];
  /** Resolves with the first upload matching `predicate`; rejects after `timeoutMs` (30 s). */
  waitForUpload(
    predicate: (upload: FakeSlackUpload) => boolean,
    timeoutMs?: number,
  ): Promise<FakeSlackUpload>;
  /** Requests for hosted files, with whether they carried the bot token. */
  readonly downloads: { fileId: string; authorized: boolean }[];
  /**
   * Answers every file download with the sign-in page, the bot token notwithstanding, as Slack does when the app
   * lacks the files:read scope. `false` serves the files again.
   */
  withholdFiles(withheld?: boolean): void;
  /** Every accepted reactions.add / reactions.remove, oldest first. */
  readonly reactionCalls: FakeSlackReactionCall[];
  /** Resolves with the first reaction call matching `predicate`; rejects after `timeoutMs` (30 s). */
  waitForReactionCall(
    predicate: (call: FakeSlackReactionCall) => boolean,
    timeoutMs?: number,
  ): Promise<FakeSlackReactionCall>;
  /** Every Web API request, oldest first. */
  readonly calls: FakeSlackCall[];
  /** The next `times` calls of `method` fail as described. */
  failNext(method: string, failure: FakeSlackFailure): void;
  /** Envelope ids the client acknowledged, in order. */
  readonly acks: string[];
  /** The `payload` the client sent with its ack (a slash command's response), if any. */
  ackPayload(envelopeId: string): unknown;
  /** Resolves once the envelope is acknowledged; rejects after `timeoutMs` (30 s). */
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<void>;
  /** Socket Mode connections opened so far (each got `hello`). */
  readonly connectionCount: number;
  /** WebSocket pings the client sent (socket-mode pings every 5 s and reconnects when a ping fails). */
  readonly clientPings: number;
  /** Resolves once the client has sent `total` pings; rejects after `timeoutMs` (30 s). */
  waitForClientPings(total: number, timeoutMs?: number): Promise<void>;
  /** Socket Mode connections open right now. */
  readonly openSockets: number;
  /** Resolves once `total` connections have been opened since the start; rejects after `timeoutMs` (30 s). */
  waitForConnections(total: number, timeoutMs?: number): Promise<void>;
  /** Resolves once exactly `count` connections are open (0: "the client has closed"); rejects after `timeoutMs`. */
  waitForOpenSockets(count: number, timeoutMs?: number): Promise<void>;
  /** Destroys every Socket Mode connection without a close frame, as a network failure would. */
  dropSocket(): void;
  /** Sends Slack's `{ type: "disconnect" }` (e.g. "refresh_requested"), asking the client to reconnect. */
  sendDisconnect(reason?: string): void;
  /** Stops listening and drops every connection; pending waits reject with SERVER_CLOSED. */
  close(): Promise<void>;
}
