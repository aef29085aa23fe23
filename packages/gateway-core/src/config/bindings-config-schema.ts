import { z } from "zod";

/** The `match` keys this gateway routes by; any other key makes its binding match no message (see agent-binding). */
export const SUPPORTED_BINDING_MATCH_KEYS = ["channel", "accountId", "peer", "guildId", "roles"] as const;

/**
 * OpenClaw's top-level `bindings`: `{ agentId, match: { channel, accountId?, peer?: { kind, id }, guildId?, roles? } }`,
 * the most specific match winning. Entries are loose so that an OpenClaw config loads; a match key this gateway
 * cannot evaluate (`teamId`, ...) is reported at load and its binding never matches, rather than matching too much
 * and routing another team's message to the wrong agent.
 */
export const BindingsConfigSchema = z
  .array(
    z.looseObject({
      agentId: z.string().min(1).optional(),
      match: z
        .looseObject({
          channel: z.string().min(1).optional(),
          accountId: z.string().min(1).optional(),
          peer: z
            .looseObject({ kind: z.string().optional(), id: z.union([z.string(), z.number()]).optional() })
            .optional(),
          // Discord: the server, and role ids of which the sender must hold at least one.
          guildId: z.union([z.string().min(1), z.number()]).optional(),
          roles: z.array(z.union([z.string().min(1), z.number()])).optional(),
        })
        .optional(),
    }),
  )
  .meta({
    title: "Agent bindings",
    description: "Route messages to agents by channel, account and peer (OpenClaw's bindings).",
  });
