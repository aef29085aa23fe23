import type { ChannelAccountSnapshot } from "@openclaw/protocol";

export type ChannelLinkHint = { kind: "qr"; imageUrl: string } | { kind: "login-command"; command: string };

/**
 * What an unlinked WhatsApp account needs: the QR code when the gateway puts one in the account snapshot (as an
 * image data URL in `qrDataUrl`), otherwise the CLI command that shows it. Nothing for linked accounts and other
 * channels.
 */
export function channelLinkHint(
  channel: string,
  account: ChannelAccountSnapshot,
): ChannelLinkHint | undefined {
  if (channel !== "whatsapp" || account.connected === true) return undefined;
  const qr = (account as Record<string, unknown>).qrDataUrl;
  if (typeof qr === "string" && qr.startsWith("data:image/")) return { kind: "qr", imageUrl: qr };
  const accountFlag = account.accountId === "default" ? "" : ` --account ${account.accountId}`;
  return { kind: "login-command", command: `openclaw channels login whatsapp${accountFlag}` };
}
