import { z } from "zod";
import { type CommandsConfig, CommandsConfigSchema } from "../config/commands-config-schema.js";

export { type CommandsConfig, CommandsConfigSchema };

/** The per-channel override, `channels.<id>.commands.native`. */
const ChannelCommandsSchema = z.looseObject({ native: z.union([z.boolean(), z.literal("auto")]).optional() });

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
