import type { ConfigDraft } from "./config-draft.js";
import { WizardError } from "./wizard-error.js";
import type { WizardFlags } from "./wizard-flags.js";
import type { Prompter } from "./wizard-prompter.js";
import { checkFlag, parseChoice, type WizardSection } from "./wizard-section.js";

const CHANNEL_IDS = ["telegram", "slack", "discord", "whatsapp"] as const;
type ChannelId = (typeof CHANNEL_IDS)[number];

export function isChannelId(value: string | undefined): value is ChannelId {
  return (CHANNEL_IDS as readonly (string | undefined)[]).includes(value);
}

interface ChannelSecret {
  /** The key under channels.<id>, as the channel adapter's schema names it. */
  key: string;
  label: string;
  flag: "channelToken" | "slackAppToken";
  validate: (value: string) => string | undefined;
}

const CHANNELS: Record<ChannelId, { label: string; where: string; secrets: ChannelSecret[] }> = {
  telegram: {
    label: "Telegram",
    where: "Create a bot with @BotFather and copy the token it gives you.",
    secrets: [
      {
        key: "botToken",
        label: "Bot token from @BotFather",
        flag: "channelToken",
        validate: (value) =>
          /^\d+:[\w-]+$/.test(value.trim()) ? undefined : "expected a token such as 123456789:AAE...",
      },
    ],
  },
  slack: {
    label: "Slack",
    where:
      "In your Slack app: OAuth & Permissions (xoxb- token) and Basic Information > App-Level Tokens (xapp-).",
    secrets: [
      {
        key: "botToken",
        label: "Bot token (xoxb-...)",
        flag: "channelToken",
        validate: (value) =>
          value.trim().startsWith("xoxb-") ? undefined : "the bot token starts with xoxb-",
      },
      {
        key: "appToken",
        label: "App-level token for Socket Mode (xapp-...)",
        flag: "slackAppToken",
        validate: (value) =>
          value.trim().startsWith("xapp-") ? undefined : "the app-level token starts with xapp-",
      },
    ],
  },
  discord: {
    label: "Discord",
    where: "In the Developer Portal: your application > Bot > Reset Token.",
    secrets: [
      {
        key: "token",
        label: "Bot token",
        flag: "channelToken",
        validate: (value) =>
          value.trim().length >= 20 ? undefined : "that is too short for a Discord bot token",
      },
    ],
  },
  whatsapp: {
    label: "WhatsApp",
    where: "WhatsApp links by QR code: after saving, run `openclaw channels login whatsapp` and scan it.",
    secrets: [],
  },
};

function status(draft: ConfigDraft, id: ChannelId): string {
  const section = draft.get(`channels.${id}`);
  if (section === undefined) return "not set up";
  return draft.get(`channels.${id}.enabled`) === false ? "disabled" : "enabled";
}

/** Asks which channel, whether it is on, and its tokens (an existing token is kept by leaving the answer empty). */
export async function askChannel(draft: ConfigDraft, prompter: Prompter, only?: ChannelId): Promise<void> {
  const id =
    only ??
    (await prompter.select<ChannelId>({
      message: "Which channel?",
      options: CHANNEL_IDS.map((value) => ({
        value,
        label: CHANNELS[value].label,
        hint: status(draft, value),
      })),
    }));
  const channel = CHANNELS[id];
  const enabled = await prompter.confirm({
    message: `Enable ${channel.label}?`,
    initialValue: draft.get(`channels.${id}.enabled`) !== false,
  });
  draft.set(`channels.${id}.enabled`, enabled);
  if (!enabled) return;
  prompter.note(channel.where, channel.label);
  for (const secret of channel.secrets) {
    const existing = draft.get(`channels.${id}.${secret.key}`) !== undefined;
    const answer = await prompter.password({
      message: existing ? `${secret.label} (leave empty to keep the current one)` : secret.label,
      validate: (value) => (existing && value === "" ? undefined : secret.validate(value)),
    });
    if (answer !== "") draft.set(`channels.${id}.${secret.key}`, answer.trim());
  }
}

/** `channels`: Telegram, Slack, Discord and WhatsApp, one at a time. */
export const channelsSection: WizardSection = {
  id: "channels",
  title: "Channels: Telegram, Slack, Discord, WhatsApp",
  flags: ["channel", "channelToken", "slackAppToken", "disableChannel"],

  async ask(draft, prompter, focus) {
    if (isChannelId(focus)) return askChannel(draft, prompter, focus);
    do await askChannel(draft, prompter);
    while (await prompter.confirm({ message: "Set up another channel?", initialValue: false }));
  },

  applyFlags(draft, flags: WizardFlags) {
    if (flags.channel === undefined) {
      throw new WizardError(
        "WIZARD_BAD_FLAG",
        "the channels section needs --channel telegram|slack|discord|whatsapp",
      );
    }
    const id = parseChoice("--channel", flags.channel, CHANNEL_IDS);
    if (flags.disableChannel) {
      draft.set(`channels.${id}.enabled`, false);
      return;
    }
    draft.set(`channels.${id}.enabled`, true);
    for (const secret of CHANNELS[id].secrets) {
      const value = flags[secret.flag];
      const flag = secret.flag === "channelToken" ? "--channel-token" : "--slack-app-token";
      if (value !== undefined)
        draft.set(`channels.${id}.${secret.key}`, checkFlag(flag, value, secret.validate).trim());
      else if (draft.get(`channels.${id}.${secret.key}`) === undefined) {
        throw new WizardError("WIZARD_BAD_FLAG", `--channel ${id} needs ${flag} <${secret.label}>`);
      }
    }
  },
};
