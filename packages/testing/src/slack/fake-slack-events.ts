import { randomUUID } from "node:crypto";
import type { FakeSlackConversations } from "./fake-slack-conversations.js";
import type { FakeSlackFiles } from "./fake-slack-files.js";
import type {
  FakeSlackChannel,
  FakeSlackChannelMessage,
  FakeSlackDirectMessage,
  FakeSlackReactionInput,
  FakeSlackSlashCommandInput,
  FakeSlackUser,
} from "./fake-slack-types.js";
import type {
  SlackEvent,
  SlackEventCallback,
  SlackMessageEvent,
  SlackReactionEvent,
  SlackSlashCommandPayload,
  TimestampClock,
} from "./slack-objects.js";

export interface FakeSlackEventSources {
  teamId: string;
  appId: string;
  botUserId: string;
  clock: TimestampClock;
  conversations: FakeSlackConversations;
  files: FakeSlackFiles;
  channels: Map<string, FakeSlackChannel>;
  users: Map<string, FakeSlackUser>;
}

/** Builds the payloads Slack sends (event callbacks, slash commands) and remembers the messages they carry. */
export function fakeSlackEvents(sources: FakeSlackEventSources) {
  const { teamId, clock, conversations, files } = sources;

  const eventCallback = <Event extends SlackEvent>(event: Event): SlackEventCallback<Event> => ({
    token: "fake-verification-token",
    team_id: teamId,
    api_app_id: sources.appId,
    event,
    type: "event_callback",
    event_id: `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: sources.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });

  const messageEvent = (
    message: FakeSlackDirectMessage | FakeSlackChannelMessage,
    channel: string,
    channelType: SlackMessageEvent["channel_type"],
  ): SlackMessageEvent => {
    const ts = clock.next();
    const attached = (message.files ?? []).map((file) => files.host(file, message.user));
    conversations.remember({
      channel,
      ts,
      user: message.user,
      text: message.text,
      fileIds: attached.map((file) => file.id),
      ...(message.threadTs === undefined ? {} : { threadTs: message.threadTs }),
    });
    return {
      type: "message",
      ...(attached.length === 0 ? {} : { subtype: "file_share" as const }),
      channel,
      user: message.user,
      text: message.text,
      ts,
      event_ts: ts,
      team: teamId,
      channel_type: channelType,
      client_msg_id: randomUUID(),
      ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
      ...(attached.length === 0 ? {} : { files: attached, upload: false, display_as_bot: false }),
    };
  };

  return {
    eventCallback,
    dmEvent: (message: FakeSlackDirectMessage) =>
      messageEvent(message, message.channel ?? `D${message.user}`, "im"),
    channelEvent: (message: FakeSlackChannelMessage) =>
      messageEvent(
        message,
        message.channel,
        sources.channels.get(message.channel)?.isPrivate === true ? "group" : "channel",
      ),
    reactionEvent(input: FakeSlackReactionInput): SlackReactionEvent {
      const author = conversations.get(input.channel, input.ts)?.user;
      return {
        type: input.removed === true ? "reaction_removed" : "reaction_added",
        user: input.user,
        reaction: input.reaction,
        ...(author === undefined ? {} : { item_user: author }),
        item: { type: "message", channel: input.channel, ts: input.ts },
        event_ts: clock.next(),
      };
    },
    slashCommand(input: FakeSlackSlashCommandInput): SlackSlashCommandPayload {
      const channel = input.channel ?? `D${input.user}`;
      const name = channel.startsWith("D")
        ? "directmessage"
        : (sources.channels.get(channel)?.name ?? channel);
      const triggerId = `${Date.now()}.${randomUUID().replace(/-/g, "").slice(0, 12)}`;
      return {
        token: "fake-verification-token",
        team_id: teamId,
        team_domain: "fake-workspace",
        channel_id: channel,
        channel_name: name,
        user_id: input.user,
        user_name: sources.users.get(input.user)?.name ?? input.user.toLowerCase(),
        command: input.command,
        text: input.text ?? "",
        api_app_id: sources.appId,
        is_enterprise_install: "false",
        response_url: `https://hooks.slack.com/commands/${teamId}/${randomUUID()}`,
        trigger_id: triggerId,
      };
    },
  };
}

export type FakeSlackEvents = ReturnType<typeof fakeSlackEvents>;
