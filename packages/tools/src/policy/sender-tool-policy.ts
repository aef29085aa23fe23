/** Who sent the message a run answers, as the channel reported it (never read from the message text). */
export interface SenderIdentity {
  channel?: string;
  senderId?: string;
  senderE164?: string;
  senderUsername?: string;
  senderName?: string;
}

export function hasSenderIdentity(sender: SenderIdentity): boolean {
  return Boolean(sender.senderId || sender.senderE164 || sender.senderUsername || sender.senderName);
}

type SenderKeyType = "channel" | "id" | "e164" | "username" | "name";
const MATCH_ORDER: readonly SenderKeyType[] = ["channel", "id", "e164", "username", "name"];

function fold(value: string | undefined, stripAt = false): string {
  const trimmed = (value ?? "").trim();
  return (stripAt && trimmed.startsWith("@") ? trimmed.slice(1) : trimmed).toLowerCase();
}

/** `channel:<channel>:<id>` / `id:` / `e164:` / `username:` / `name:`; an unprefixed key is an id (legacy form). */
function parseSenderKey(raw: string): { type: SenderKeyType; value: string } | undefined {
  const trimmed = raw.trim();
  const colon = trimmed.indexOf(":");
  const prefix = colon > 0 ? trimmed.slice(0, colon).toLowerCase() : "";
  const rest = trimmed.slice(colon + 1);
  if (prefix === "channel") {
    const split = rest.indexOf(":");
    if (split <= 0 || split === rest.length - 1) return undefined;
    return { type: "channel", value: `${fold(rest.slice(0, split))}:${fold(rest.slice(split + 1))}` };
  }
  if (prefix === "id" || prefix === "e164" || prefix === "name") return { type: prefix, value: fold(rest) };
  if (prefix === "username") return { type: "username", value: fold(rest, true) };
  return { type: "id", value: fold(trimmed, true) };
}

function candidates(sender: SenderIdentity): Record<SenderKeyType, string | undefined> {
  const id = fold(sender.senderId) || undefined;
  const channel = fold(sender.channel);
  return {
    channel: id && channel ? `${channel}:${id}` : undefined,
    id,
    e164: fold(sender.senderE164) || undefined,
    username: fold(sender.senderUsername, true) || undefined,
    name: fold(sender.senderName) || undefined,
  };
}

/**
 * The `toolsBySender` entry for this sender, OpenClaw's order: channel + id, id, e164, username, name, then `"*"`.
 * The first key of a kind wins when two spell the same sender.
 */
export function matchToolsBySender<T>(
  bySender: Readonly<Record<string, T>> | undefined,
  sender: SenderIdentity,
): { key: string; value: T } | undefined {
  if (!bySender) return undefined;
  const want = candidates(sender);
  const found = new Map<SenderKeyType, { key: string; value: T }>();
  let wildcard: { key: string; value: T } | undefined;
  for (const [key, value] of Object.entries(bySender)) {
    if (key.trim() === "*") {
      wildcard = { key, value };
      continue;
    }
    const parsed = parseSenderKey(key);
    if (parsed && !found.has(parsed.type) && want[parsed.type] === parsed.value)
      found.set(parsed.type, { key, value });
  }
  for (const type of MATCH_ORDER) {
    const match = found.get(type);
    if (match) return match;
  }
  return wildcard;
}
