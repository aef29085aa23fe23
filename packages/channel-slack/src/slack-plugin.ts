import { type ChannelPlugin, createAccountRegistry, defineChannelPlugin } from "@openclaw/plugin-sdk";
import { SLACK_MAX_UPLOAD_BYTES, type SlackAccountRuntime, startSlackAccount } from "./slack-account.js";
import { toSlackChannelError } from "./slack-api-failure.js";
import { SlackChannelError } from "./slack-channel-error.js";
import { type SlackConfig, SlackConfigSchema } from "./slack-config.js";
import {
  deleteSlackMessage,
  editSlackText,
  reactOnSlack,
  type SlackActionTarget,
} from "./slack-message-actions.js";
import { sendSlackText } from "./slack-send.js";
import { sendSlackMedia } from "./slack-upload.js";

/**
 * The chunk size the gateway cuts replies to. chat.postMessage accepts up to 40,000 characters (and truncates
 * beyond), but Slack advises keeping `text` under 4,000 for readability and long messages are split in the client
 * with "Show more" anyway; 4,000 keeps each reply part readable.
 */
export const SLACK_MAX_TEXT_LENGTH = 4000;

/**
 * Creates the Slack channel plugin. Each call has its own account table, so tests (or two gateways in one
 * process) never share running apps; the gateway uses the {@link slackPlugin} instance.
 */
export function createSlackPlugin(): ChannelPlugin<SlackConfig> {
  const accounts = createAccountRegistry<SlackAccountRuntime>(
    (accountId) =>
      new SlackChannelError(
        "SLACK_ACCOUNT_NOT_RUNNING",
        `Slack account "${accountId}" is not running: start it with \`openclaw channels start slack --account ${accountId}\``,
      ),
  );
  const runningAccount = accounts.running;
  const actionTarget = (accountId: string): SlackActionTarget => {
    const runtime = runningAccount(accountId);
    return { ...runtime, accountId };
  };

  return defineChannelPlugin<SlackConfig>({
    apiVersion: 1,
    id: "slack",
    meta: {
      label: "Slack",
      description:
        "Slack apps over Socket Mode or the HTTP Events API (Bolt): DMs, channels with mention gating, threads, " +
        "files both ways, live edits, reactions and slash commands.",
    },
    configSchema: SlackConfigSchema,
    platformEndpoint: (config) => ({ url: config.apiUrl, configKey: "apiUrl" }),
    capabilities: {
      dms: true,
      groups: true,
      threads: true,
      reactions: true,
      // Slack has no typing indicator for apps: the RTM "typing" message is gone with RTM, and
      // assistant.threads.setStatus only exists in AI-assistant threads.
      typing: false,
      media: true,
      edits: true,
      maxTextLength: SLACK_MAX_TEXT_LENGTH,
      maxMediaBytes: SLACK_MAX_UPLOAD_BYTES,
      nativeCommands: true,
    },
    startAccount: (context) =>
      startSlackAccount(context, (runtime) => {
        return accounts.register(runtime);
      }),
    async sendText({ accountId, to, text, threadId }) {
      const runtime = runningAccount(accountId);
      return sendSlackText({
        client: runtime.client,
        accountId,
        channel: to,
        text,
        signal: runtime.signal,
        logger: runtime.logger,
        textFormat: runtime.textFormat,
        conversations: runtime.conversations,
        ...(threadId === undefined ? {} : { threadTs: threadId }),
      });
    },
    async sendMedia({ accountId, to, media, caption, threadId }) {
      const target = actionTarget(accountId);
      return sendSlackMedia(target, {
        to,
        media,
        maxBytes: runningAccount(accountId).maxMediaBytes,
        maxTextLength: SLACK_MAX_TEXT_LENGTH,
        ...(caption === undefined ? {} : { caption }),
        ...(threadId === undefined ? {} : { threadTs: threadId }),
      });
    },
    editText: ({ accountId, to, messageId, text }) =>
      editSlackText(actionTarget(accountId), { to, messageId, text }),
    deleteMessage: ({ accountId, to, messageId }) =>
      deleteSlackMessage(actionTarget(accountId), { to, messageId }),
    react: ({ accountId, to, messageId, emoji, remove }) =>
      reactOnSlack(actionTarget(accountId), {
        to,
        messageId,
        emoji,
        ...(remove === undefined ? {} : { remove }),
      }),
    async probe({ accountId, timeoutMs }) {
      const runtime = accounts.get(accountId);
      if (runtime === undefined) return { ok: false, detail: "not running" };
      let timer: NodeJS.Timeout | undefined;
      try {
        const auth = await Promise.race([
          runtime.client.auth.test(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { ok: true, detail: `@${auth.user ?? runtime.identity.name} in ${auth.team ?? auth.team_id}` };
      } catch (error) {
        return { ok: false, detail: toSlackChannelError(error, accountId, "auth.test").message };
      } finally {
        clearTimeout(timer);
      }
    },
  });
}

export const slackPlugin: ChannelPlugin<SlackConfig> = createSlackPlugin();
