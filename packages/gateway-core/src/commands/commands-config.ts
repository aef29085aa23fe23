import { z } from "zod";

const SenderListSchema = z.array(
  z.union([z.string(), z.number()]).transform((entry) => String(entry).trim()),
);
const NativeSwitchSchema = z.union([z.boolean(), z.literal("auto")]);

/**
 * OpenClaw's `commands` section, the keys this gateway acts on. Loose: the keys for commands it does not have
 * (`bash`, `config`, `debug`, ...) are kept as written.
 */
export const CommandsConfigSchema = z.looseObject({
  /** Parse `/...` in chat messages (default true; surfaces without native commands parse them regardless). */
  text: z.boolean().optional(),
  /** Register commands with the platform: `"auto"` (default) is on for Telegram and Discord, off for Slack. */
  native: NativeSwitchSchema.optional(),
  /** Per channel id (or `"*"`): who may run commands. When set, it is the only source of command authorisation. */
  allowFrom: z.record(z.string(), SenderListSchema).optional(),
  /** `channel:id` entries; when set, other authorised senders may only start a fresh session (`/new`, `/reset`). */
  ownerAllowFrom: SenderListSchema.optional(),
});
export type CommandsConfig = z.infer<typeof CommandsConfigSchema>;

/** The per-channel override, `channels.<id>.commands.native`. */
const ChannelCommandsSchema = z.looseObject({ native: NativeSwitchSchema.optional() });

export type CommandsConfigReading = { ok: true; config: CommandsConfig } | { ok: false; problem: string };

/** Parses `commands` from the whole config; an invalid section is reported rather than half-applied. */
export function readCommandsConfig(raw: unknown): CommandsConfigReading {
  if (raw === undefined) return { ok: true, config: {} };
  const parsed = CommandsConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  const where = ["commands", ...(issue?.path ?? [])].join(".");
  return { ok: false, problem: `${where} ${issue?.message ?? "is invalid"}` };
}

/** Channels whose adapters register commands when `native` is `"auto"`; Slack needs one slash command per app. */
const NATIVE_BY_DEFAULT = new Set(["telegram", "discord"]);

/** Whether a channel's account registers commands natively: `channels.<id>.commands.native` beats `commands.native`. */
export function nativeCommandsEnabled(
  channel: string,
  commands: CommandsConfig,
  accountConfig: Record<string, unknown>,
): boolean {
  const own = ChannelCommandsSchema.safeParse(accountConfig.commands);
  const setting = (own.success ? own.data.native : undefined) ?? commands.native ?? "auto";
  return setting === "auto" ? NATIVE_BY_DEFAULT.has(channel) : setting;
}
