const MB = 1024 * 1024;

/**
 * OpenClaw's per-channel defaults for `channels.<id>.mediaMaxMb` where its code or docs name one (Telegram and
 * Discord 100, WhatsApp 50); every other channel, as OpenClaw's media store, 20.
 */
const CHANNEL_DEFAULT_MEDIA_MAX_MB: Readonly<Record<string, number>> = {
  telegram: 100,
  discord: 100,
  whatsapp: 50,
};
export const DEFAULT_MEDIA_MAX_MB = 20;

/**
 * The largest media item a channel account takes in: the account's `mediaMaxMb` (its config already overlays the
 * channel's), then `agents.defaults.mediaMaxMb`, then the channel's default.
 */
export function resolveMediaMaxBytes(
  channelId: string,
  accountConfig: Record<string, unknown>,
  agentDefaultMb?: unknown,
): number {
  const megabytes =
    positiveNumber(accountConfig.mediaMaxMb) ??
    positiveNumber(agentDefaultMb) ??
    CHANNEL_DEFAULT_MEDIA_MAX_MB[channelId] ??
    DEFAULT_MEDIA_MAX_MB;
  return Math.max(1, Math.floor(megabytes * MB));
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A size as a person reads it: `31 MB`, `1.5 MB`, `640 KB`, `900 bytes`. */
export function describeSize(bytes: number): string {
  if (bytes >= MB) {
    const value = bytes / MB;
    return `${value >= 10 ? Math.round(value) : Number(value.toFixed(1))} MB`;
  }
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} byte${bytes === 1 ? "" : "s"}`;
}
