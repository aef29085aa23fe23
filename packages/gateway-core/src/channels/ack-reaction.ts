import type { InboundMessage } from "@openclaw/plugin-sdk";
import { type MessagesConfig, MessagesConfigSchema } from "../config/messages-config-schema.js";
import { describeError } from "./channel-error.js";
import { type InboundAccount, replyTarget } from "./inbound-types.js";

/** `messages.ackReactionScope`: which inbound messages get the acknowledgement reaction. */
export type AckReactionScope = NonNullable<MessagesConfig["ackReactionScope"]>;

export const DEFAULT_ACK_REACTION = "👀";
export const DEFAULT_ACK_SCOPE: AckReactionScope = "group-mentions";

export interface AckReactionSettings {
  /** Empty: no reaction. */
  emoji: string;
  scope: AckReactionScope;
  removeAfterReply: boolean;
}

/**
 * The acknowledgement for one account: the emoji from `channels.<id>.accounts.<acc>.ackReaction`, then
 * `channels.<id>.ackReaction` (both already merged into the account config), then `messages.ackReaction`, else 👀
 * (`""` at any level turns it off); the scope and `removeAckAfterReply` from `messages`. An invalid `messages`
 * section counts as unset.
 */
export function resolveAckReaction(
  messages: unknown,
  accountConfig: Record<string, unknown>,
): AckReactionSettings {
  const parsed = MessagesConfigSchema.safeParse(messages ?? {});
  const global = parsed.success ? parsed.data : {};
  const own = accountConfig.ackReaction;
  return {
    emoji: (typeof own === "string" ? own : (global.ackReaction ?? DEFAULT_ACK_REACTION)).trim(),
    scope: global.ackReactionScope ?? DEFAULT_ACK_SCOPE,
    removeAfterReply: global.removeAckAfterReply === true,
  };
}

/** Whether `message` gets the acknowledgement under `scope`. */
export function ackApplies(scope: AckReactionScope, message: InboundMessage): boolean {
  const direct = message.chatKind === "dm";
  switch (scope) {
    case "all":
      return true;
    case "direct":
      return direct;
    case "group-all":
      return !direct;
    case "group-mentions":
      return !direct && message.mentionsBot;
    default:
      return false;
  }
}

/** A placed acknowledgement; `done` takes it off when the settings ask for that. */
export interface AckHandle {
  done(): Promise<void>;
}

const NO_ACK: AckHandle = { done: async () => undefined };

/**
 * Reacts on the inbound message when the settings, the scope and the platform allow. Never throws and never holds
 * the reply: the reaction is sent in the background and a failure is logged.
 */
export function acknowledge(
  account: InboundAccount,
  message: InboundMessage,
  settings: AckReactionSettings,
): AckHandle {
  const { plugin } = account;
  const react = plugin.react;
  if (settings.emoji === "" || !ackApplies(settings.scope, message)) return NO_ACK;
  if (!plugin.capabilities.reactions || react === undefined) return NO_ACK;
  const target = {
    accountId: account.accountId,
    to: replyTarget(message),
    messageId: message.platformMessageId,
    emoji: settings.emoji,
    ...(message.threadId ? { threadId: message.threadId } : {}),
  };
  const placed = react.call(plugin, target).then(
    () => true,
    (error: unknown) => {
      account.logger.warn("ack reaction failed", { error: describeError(error) });
      return false;
    },
  );
  return {
    async done() {
      if (!settings.removeAfterReply || !(await placed) || !account.isActive()) return;
      await react.call(plugin, { ...target, remove: true }).catch((error: unknown) => {
        account.logger.warn("removing the ack reaction failed", { error: describeError(error) });
      });
    },
  };
}
