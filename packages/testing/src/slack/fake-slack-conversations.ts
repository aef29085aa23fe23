import type { FakeSlackMessage, FakeSlackPosted, FakeSlackReactionCall } from "./fake-slack-types.js";
import type { TimestampClock } from "./slack-objects.js";
import { asString, errorReply, okReply, type WebApiParams, type WebApiReply } from "./web-api-request.js";

// Slack truncates text beyond 40,000 characters; the fake refuses instead, so a test notices.
const MAX_TEXT_LENGTH = 40_000;
// Slack's emoji names: lowercase letters, digits, _ + - and ', optionally with a skin tone.
const EMOJI_NAME = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/;

/** A user id (`U…`/`W…`) names the app's DM with that user; chat.postMessage accepts it, most methods do not. */
export function dmChannelOf(channel: string): string {
  return /^[UW][A-Z0-9]+$/.test(channel) ? `D${channel}` : channel;
}

export interface FakeSlackBotIdentity {
  userId: string;
  botId: string;
  teamId: string;
}

/** The messages of every conversation, and the methods that post, edit, delete and react to them. */
export class FakeSlackConversations {
  readonly posted: FakeSlackPosted[] = [];
  readonly reactionCalls: FakeSlackReactionCall[] = [];
  private readonly messages = new Map<string, FakeSlackMessage>();

  constructor(
    private readonly bot: FakeSlackBotIdentity,
    private readonly clock: TimestampClock,
    private readonly changed: () => void,
  ) {}

  get(channel: string, ts: string): FakeSlackMessage | undefined {
    return this.messages.get(`${channel}:${ts}`);
  }

  all(): FakeSlackMessage[] {
    return [...this.messages.values()];
  }

  /** Records a message a user sent (the fake delivers its event separately). */
  remember(message: Omit<FakeSlackMessage, "history" | "deleted" | "reactions">): FakeSlackMessage {
    const entry: FakeSlackMessage = { ...message, history: [message.text], deleted: false, reactions: [] };
    this.messages.set(`${entry.channel}:${entry.ts}`, entry);
    this.changed();
    return entry;
  }

  postMessage(params: WebApiParams): WebApiReply {
    const requested = asString(params.channel);
    if (requested === undefined || requested === "") return errorReply("channel_not_found");
    const channel = dmChannelOf(requested);
    const text = asString(params.text) ?? "";
    if (text.trim() === "" && params.blocks === undefined) return errorReply("no_text");
    if (text.length > MAX_TEXT_LENGTH) return errorReply("msg_too_long");
    const threadTs = asString(params.thread_ts);
    const ts = this.clock.next();
    const mrkdwn = params.mrkdwn === undefined ? undefined : String(params.mrkdwn) !== "false";
    this.remember({
      channel,
      ts,
      user: this.bot.userId,
      text,
      fileIds: [],
      ...(threadTs === undefined ? {} : { threadTs }),
    });
    this.posted.push({
      method: "chat.postMessage",
      channel,
      text,
      ts,
      at: Date.now(),
      body: params,
      ...(threadTs === undefined ? {} : { threadTs }),
      ...(mrkdwn === undefined ? {} : { mrkdwn }),
    });
    this.changed();
    return okReply({
      channel,
      ts,
      message: {
        type: "message",
        text,
        user: this.bot.userId,
        bot_id: this.bot.botId,
        ts,
        team: this.bot.teamId,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      },
    });
  }

  /** A file share completed by files.completeUploadExternal: a bot message carrying the files. */
  postFileShare(channel: string, fileIds: string[], comment: string, threadTs?: string): string {
    const ts = this.clock.next();
    this.remember({
      channel,
      ts,
      user: this.bot.userId,
      text: comment,
      fileIds,
      ...(threadTs === undefined ? {} : { threadTs }),
    });
    return ts;
  }

  update(params: WebApiParams): WebApiReply {
    const found = this.ownMessage(params, "cant_update_message");
    if ("error" in found) return found.error;
    const text = asString(params.text) ?? "";
    if (text.trim() === "" && params.blocks === undefined) return errorReply("no_text");
    if (text.length > MAX_TEXT_LENGTH) return errorReply("msg_too_long");
    const { message } = found;
    message.text = text;
    message.history.push(text);
    const mrkdwn = params.mrkdwn === undefined ? undefined : String(params.mrkdwn) !== "false";
    this.posted.push({
      method: "chat.update",
      channel: message.channel,
      text,
      ts: message.ts,
      at: Date.now(),
      body: params,
      ...(message.threadTs === undefined ? {} : { threadTs: message.threadTs }),
      ...(mrkdwn === undefined ? {} : { mrkdwn }),
    });
    this.changed();
    return okReply({ channel: message.channel, ts: message.ts, text });
  }

  delete(params: WebApiParams): WebApiReply {
    const found = this.ownMessage(params, "cant_delete_message");
    if ("error" in found) return found.error;
    found.message.deleted = true;
    this.changed();
    return okReply({ channel: found.message.channel, ts: found.message.ts });
  }

  react(action: "add" | "remove", params: WebApiParams): WebApiReply {
    const name = asString(params.name) ?? "";
    if (!EMOJI_NAME.test(name)) return errorReply("invalid_name");
    const message = this.get(asString(params.channel) ?? "", asString(params.timestamp) ?? "");
    if (message === undefined || message.deleted) return errorReply("message_not_found");
    const has = message.reactions.includes(name);
    if (action === "add" && has) return errorReply("already_reacted");
    if (action === "remove" && !has) return errorReply("no_reaction");
    message.reactions =
      action === "add" ? [...message.reactions, name] : message.reactions.filter((entry) => entry !== name);
    this.reactionCalls.push({ action, channel: message.channel, ts: message.ts, name, at: Date.now() });
    this.changed();
    return okReply();
  }

  /** chat.update and chat.delete name the conversation id (a user id is not accepted) and only the bot's posts. */
  private ownMessage(
    params: WebApiParams,
    notOwn: string,
  ): { message: FakeSlackMessage } | { error: WebApiReply } {
    const channel = asString(params.channel);
    const ts = asString(params.ts);
    if (channel === undefined || channel === "" || channel !== dmChannelOf(channel)) {
      return { error: errorReply("channel_not_found") };
    }
    const message = ts === undefined ? undefined : this.get(channel, ts);
    if (message === undefined || message.deleted) return { error: errorReply("message_not_found") };
    if (message.user !== this.bot.userId) return { error: errorReply(notOwn) };
    return { message };
  }
}
