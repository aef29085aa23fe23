import { z } from "zod";

/** The part of one agent entry that shapes how it speaks in chats: its display name and group mention triggers. */
const AgentChatEntrySchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  identity: z.looseObject({ name: z.string().optional(), emoji: z.string().optional() }).optional(),
  groupChat: z.looseObject({ mentionPatterns: z.array(z.string()).optional() }).optional(),
});
type AgentChatEntry = z.infer<typeof AgentChatEntrySchema>;

const AgentsSectionSchema = z.looseObject({
  list: z.array(z.unknown()).optional(),
  entries: z.record(z.string(), z.unknown()).optional(),
});

export interface AgentChatSettings {
  /** `identity.name`, else the entry's `name`: what `responsePrefix: "auto"` and `{identity.name}` print. */
  identityName?: string;
  /** `groupChat.mentionPatterns` of the agent; undefined when the agent sets none (`[]` turns patterns off). */
  mentionPatterns?: string[];
  /** `identity.emoji`: with the identity name, what mention patterns are derived from when none are configured. */
  identityEmoji?: string;
}

/**
 * The chat settings of `agentId` read from the raw `agents` section (keyed `entries` win over `list`, as in
 * OpenClaw). An entry that does not parse counts as unset: the config loader already reported it.
 */
export function agentChatSettings(agents: unknown, agentId: string): AgentChatSettings {
  const entry = findAgentEntry(agents, agentId);
  if (!entry) return {};
  const identityName = entry.identity?.name?.trim() || entry.name?.trim();
  const identityEmoji = entry.identity?.emoji?.trim();
  return {
    ...(identityName ? { identityName } : {}),
    ...(identityEmoji ? { identityEmoji } : {}),
    ...(entry.groupChat?.mentionPatterns ? { mentionPatterns: entry.groupChat.mentionPatterns } : {}),
  };
}

function findAgentEntry(agents: unknown, agentId: string): AgentChatEntry | undefined {
  const section = AgentsSectionSchema.safeParse(agents ?? {});
  if (!section.success) return undefined;
  const wanted = agentId.toLowerCase();
  const { entries, list } = section.data;
  const raw = entries
    ? Object.entries(entries).find(([id]) => id.toLowerCase() === wanted)?.[1]
    : list?.find((item) => {
        const parsed = AgentChatEntrySchema.safeParse(item);
        return parsed.success && parsed.data.id?.toLowerCase() === wanted;
      });
  const parsed = AgentChatEntrySchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
