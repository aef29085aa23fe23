import { z } from "zod";

/** Sender ids as OpenClaw writes them: strings (`"telegram:123"`, `"user:123"`) or bare numbers. */
const SenderListSchema = z.array(z.union([z.string(), z.number()]));
const NativeSwitchSchema = z.union([z.boolean(), z.literal("auto")]);

/**
 * OpenClaw's `commands` section, the keys this gateway acts on. Loose: the keys for commands it does not have
 * (`bash`, `config`, `debug`, ...) are kept as written.
 */
export const CommandsConfigSchema = z
  .looseObject({
    /** Parse `/...` in chat messages (default true; surfaces without native commands parse them regardless). */
    text: z.boolean().optional(),
    /** Register commands with the platform: `"auto"` (default) is on for Telegram and Discord, off for Slack. */
    native: NativeSwitchSchema.optional(),
    /** Per channel id (or `"*"`): who may run commands. When set, it is the only source of command authorisation. */
    allowFrom: z.record(z.string(), SenderListSchema).optional(),
    /** `channel:id` entries; when set, other authorised senders may only start a fresh session (`/new`, `/reset`). */
    ownerAllowFrom: SenderListSchema.optional(),
  })
  .meta({
    title: "In-chat commands",
    description: "commands.*: who may run /new, /stop, ... and native registration.",
  });
export type CommandsConfig = z.infer<typeof CommandsConfigSchema>;
