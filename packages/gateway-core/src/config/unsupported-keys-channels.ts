/**
 * OpenClaw channel keys (`channels.<id>.<key>`, also per account) that neither the gateway's access policy and reply
 * delivery nor the first-party channel adapters read, with what happens instead. A channel's other keys belong to
 * its plugin's schema and are not reported here.
 */
const EVERY_CHANNEL: Readonly<Record<string, string>> = {
  capabilities: "the adapter's own capabilities apply",
  commands: "root commands.* decides native command registration and who may run commands",
  configWrites: "channel commands never write the config",
  contextVisibility: "the agent sees each message as the adapter delivers it",
  defaultTo: "outbound sends need an explicit target",
  direct: "no per-chat overrides: the channel's dmPolicy and allowFrom apply to every direct chat",
  dmHistoryLimit: "the DM session's transcript is the context (until compaction)",
  dms: "no per-DM overrides: the channel's dmPolicy and allowFrom apply to every DM",
  execApprovals: "exec approvals are answered by an operator over the WebSocket API, not in the chat",
  healthMonitor: "a failed account restarts with the gateway's built-in backoff",
  heartbeatVisibility: "heartbeat replies follow the heartbeat's own target",
  historyLimit: "unanswered group messages are not added to the agent's context",
  joinIntro: "the bot posts no introduction when it joins a chat",
  markdown: "replies are formatted by the adapter's default (Telegram: textFormat)",
  name: "the account is shown by its id",
  mentionPatterns:
    "mention patterns come from the agent's groupChat.mentionPatterns or messages.groupChat, in every chat",
  replyToMode: "replies use the adapter's default threading",
  textChunkLimit: "long replies are split at the platform's own message limit",
};

const PER_PLATFORM: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  telegram: {
    actions: "the agent has no Telegram actions beyond replying",
    autoTopicLabel: "forum topics keep their names",
    customCommands: "only the built-in commands are registered",
    errorPolicy: "a failed run answers with the gateway's apology",
    linkPreview: "link previews follow Telegram's default",
    network: "the bot connects with Node's default network settings",
    proxy: "the bot connects to Telegram directly",
    reactionLevel: "only the acknowledgement reaction is used",
    richMessages: "replies are sent as text (textFormat decides Markdown or plain)",
    silentErrorReplies: "a failed run answers with the gateway's apology",
    threadBindings: "topics map to sessions by the default rule",
    trustedLocalFileRoots: "replies attach files by the gateway's outbound media rules only",
    webhookCertPath:
      'use mode: "webhook" with webhook.url (TLS ends at your proxy); until then the bot polls',
    webhookHost: 'use mode: "webhook" with webhook.host; until then the bot polls',
    webhookPath: 'use mode: "webhook" with webhook.path; until then the bot polls',
    webhookPort: 'use mode: "webhook" with webhook.port; until then the bot polls',
    webhookSecret: 'use mode: "webhook" with webhook.secretToken; until then the bot polls',
    webhookUrl: 'use mode: "webhook" with webhook.url; until then the bot polls',
  },
  slack: {
    actions: "the agent has no Slack actions beyond replying",
    allowBots: "other bots' messages are handled like anyone's (only the bot's own are ignored)",
    botLoopProtection: "only the bot's own messages are ignored",
    dangerouslyAllowNameMatching: "senders match by user id only",
    dm: "the channel's dmPolicy and allowFrom apply to DMs",
    implicitMentions: "only an explicit mention of the bot counts",
    postAs: "replies are posted as the bot",
    presenceEvents: "presence changes are ignored",
    relay: "the app connects to Slack directly",
    replyToModeByChatType: "replies use the adapter's default threading",
    slashCommand: "the app's commands are the built-in native commands",
    thread: "threads map to sessions by the adapter's default",
    typingReaction: "no typing reaction",
    unfurlLinks: "link unfurling follows Slack's default",
    unfurlMedia: "media unfurling follows Slack's default",
    userToken: "the bot token is used for every call",
    userTokenReadOnly: "the bot token is used for every call",
  },
  discord: {
    actions: "the agent has no Discord actions beyond replying",
    activities: "no activities",
    activity: "the bot shows no activity",
    activityType: "the bot shows no activity",
    activityUrl: "the bot shows no activity",
    agentComponents: "replies carry no interactive components",
    allowBots: "messages from bots are ignored",
    applicationId: "the application id is read from the token's login",
    autoPresence: "the bot's presence is left as Discord shows it",
    botLoopProtection: "messages from bots are ignored",
    dangerouslyAllowNameMatching: "senders match by user id only",
    dm: "the channel's dmPolicy and allowFrom apply to DMs",
    "guilds.*.slug": "a guild is matched by its id only",
    inboundWorker: "messages are handled in the gateway process",
    intents: "the adapter requests its own fixed set of gateway intents",
    maxLinesPerMessage: "replies are split at Discord's character limit only",
    mentionAliases: "only a mention of the bot (or mentionPatterns) counts",
    proxy: "the bot connects to Discord directly",
    pluralkit: "PluralKit proxies are treated as their own senders",
    slashCommand: "the bot's commands are the built-in native commands",
    status: "the bot's status is left as Discord shows it",
    suppressEmbeds: "link embeds follow Discord's default",
    thread: "threads map to sessions by the adapter's default",
    threadBindings: "threads map to sessions by the default rule",
    voice: "the bot does not join voice channels",
  },
  whatsapp: {
    actions: "the agent has no WhatsApp actions beyond replying",
    pluginHooks: "no plugin hooks run on WhatsApp messages",
    reactionLevel: "only the acknowledgement reaction is used",
    selfChatMode: "messages you send yourself are not answered",
  },
};

function keysAt(prefix: string, keys: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(keys).flatMap(([key, instead]) => [
    [`${prefix}.${key}`, instead],
    [`${prefix}.accounts.*.${key}`, instead],
  ]);
}

/** The channel keys, as `pattern -> what happens instead` (see UNSUPPORTED_CONFIG_KEYS). */
export const UNSUPPORTED_CHANNEL_KEYS: Readonly<Record<string, string>> = Object.fromEntries([
  ...keysAt("channels.*", EVERY_CHANNEL),
  ...Object.entries(PER_PLATFORM).flatMap(([channel, keys]) => keysAt(`channels.${channel}`, keys)),
]);
