import type { SenderIdSpelling } from "@openclaw/plugin-sdk";
import { WhatsAppChannelError } from "./whatsapp-channel-error.js";

const USER_SERVER = "s.whatsapp.net";
const GROUP_SERVER = "g.us";
/** E.164 numbers have at most 15 digits; group ids are `<creator>-<time>` or 18+ digits. */
const MAX_PHONE_DIGITS = 15;

/** `15551234567:7@s.whatsapp.net` -> `{ user: "15551234567", server: "s.whatsapp.net" }` (device dropped). */
export function splitJid(jid: string): { user: string; server: string } {
  const at = jid.indexOf("@");
  const user = at === -1 ? jid : jid.slice(0, at);
  const server = at === -1 ? "" : jid.slice(at + 1);
  const colon = user.indexOf(":");
  return { user: colon === -1 ? user : user.slice(0, colon), server };
}

export function isGroupJid(jid: string): boolean {
  return jid.endsWith(`@${GROUP_SERVER}`);
}

/**
 * The id the gateway sees for a jid: the bare number for phone users and groups (so that `allowFrom` lists
 * numbers and `groups` lists group ids), the whole jid for anything else (`@lid`, `@newsletter`).
 */
export function jidToId(jid: string): string {
  const { user, server } = splitJid(jid);
  return server === USER_SERVER || server === GROUP_SERVER ? user : `${user}@${server}`;
}

/** The inverse of {@link jidToId}: a jid as given, a group id, or a phone number (`+` and spacing allowed). */
export function idToJid(id: string): string {
  const trimmed = id.trim();
  if (trimmed.includes("@")) return trimmed;
  if (/^\d+-\d+$/.test(trimmed) || /^-\d+$/.test(trimmed)) return `${trimmed}@${GROUP_SERVER}`;
  const digits = trimmed.replace(/[\s().+-]/g, "");
  if (!/^\d+$/.test(digits)) {
    throw new WhatsAppChannelError(
      "WHATSAPP_INVALID_TARGET",
      `"${id}" is not a WhatsApp target: give a phone number with country code (15551234567), a group id or a jid`,
    );
  }
  return digits.length > MAX_PHONE_DIGITS ? `${digits}@${GROUP_SERVER}` : `${digits}@${USER_SERVER}`;
}

/** Same account, ignoring the device suffix (`1555:7@s.whatsapp.net` is `1555@s.whatsapp.net`). */
export function sameUser(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const left = splitJid(a);
  const right = splitJid(b);
  return left.user === right.user && left.server === right.server;
}

/** The phone number's digits when `id` is one (`+`, spaces, dashes, dots and parentheses allowed), else `id`. */
function phoneDigits(id: string): string {
  const digits = id.replace(/[\s().-]/g, "").replace(/^\+/, "");
  return /^\d{1,15}$/.test(digits) ? digits : id;
}

/**
 * How WhatsApp senders are written: messages carry the bare number of the jid (`15555550123`) while OpenClaw configs
 * list E.164 numbers (`+15555550123`, `+1 555-555-0123`), so both reduce to digits; anything that is not a phone
 * number (`"*"`, a `@lid` jid) is kept. An approval stored as `+<digits>` still counts.
 */
export const whatsappSenderIds: SenderIdSpelling = {
  canonical: phoneDigits,
  aliases: (id) => (/^\d+$/.test(id) ? [`+${id}`] : []),
};
