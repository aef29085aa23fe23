import { emojiToName, nameToEmoji } from "gemoji";

const VARIATION_SELECTOR = /\uFE0F/g;
// Slack reaction names: lowercase letters, digits, _ + - and ', as in "+1" or "white_check_mark".
const SLACK_NAME = /^:?([a-z0-9_+'-]+)(::skin-tone-[2-6])?:?$/;

/**
 * The Slack name of an emoji for reactions.add: a unicode emoji is looked up in GitHub's gemoji table (whose names
 * are Slack's for the common emoji: 👍 "+1", ✅ "white_check_mark", 👀 "eyes"), with or without its variation
 * selector; a name (`eyes`, `:eyes:`, a custom emoji) passes through without colons. Undefined when unknown.
 */
export function slackEmojiName(emoji: string): string | undefined {
  const trimmed = emoji.trim();
  const named = SLACK_NAME.exec(trimmed);
  if (named !== null) return `${named[1]}${named[2] ?? ""}`;
  return (
    emojiToName[trimmed] ??
    emojiToName[trimmed.replace(VARIATION_SELECTOR, "")] ??
    emojiToName[`${trimmed}\uFE0F`]
  );
}

/** A reaction's Slack name as unicode when it is a standard emoji (skin tone dropped); custom emoji keep the name. */
export function emojiFromSlackName(name: string): string {
  const base = name.split("::")[0] ?? name;
  return nameToEmoji[base] ?? name;
}
