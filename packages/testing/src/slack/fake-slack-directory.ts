import { dmChannelOf } from "./fake-slack-conversations.js";
import type { FakeSlackChannel, FakeSlackUser } from "./fake-slack-types.js";
import { asString, errorReply, okReply, type WebApiParams, type WebApiReply } from "./web-api-request.js";

/** conversations.info for a registered channel. */
export function describeChannel(channels: Map<string, FakeSlackChannel>, params: WebApiParams): WebApiReply {
  const channel = channels.get(asString(params.channel) ?? "");
  if (channel === undefined) return errorReply("channel_not_found");
  return okReply({
    channel: {
      id: channel.id,
      name: channel.name,
      is_channel: channel.isPrivate !== true,
      is_group: channel.isPrivate === true,
      is_im: false,
      is_private: channel.isPrivate === true,
      is_member: true,
    },
  });
}

/** users.info; an unregistered id still resolves, named after the id. */
export function describeUser(
  users: Map<string, FakeSlackUser>,
  teamId: string,
  params: WebApiParams,
): WebApiReply {
  const id = asString(params.user) ?? "";
  if (id === "") return errorReply("user_not_found");
  const user = users.get(id) ?? { id, name: id.toLowerCase() };
  const realName = user.realName ?? user.name;
  return okReply({
    user: {
      id: user.id,
      team_id: teamId,
      name: user.name,
      real_name: realName,
      is_bot: false,
      profile: { real_name: realName, display_name: user.name },
    },
  });
}

/** conversations.open with one user: the bot's IM channel with that user. */
export function openDm(params: WebApiParams): WebApiReply {
  const user = asString(params.users) ?? "";
  const channel = dmChannelOf(user);
  if (channel === user) return errorReply("user_not_found");
  return okReply({ channel: { id: channel } });
}
