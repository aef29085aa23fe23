import {
  MemorySearchConfigSchema,
  SubagentsConfigSchema,
  ToolPolicyConfigSchema,
} from "@openclaw/tools/config";
import { z } from "zod";
import { positiveInt } from "./schema-numbers.js";
import { maxToolStepsSchema } from "./tools-config-schema.js";

const AgentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, {
  error: 'expected an agent id: up to 64 letters, digits, "-" or "_", starting with a letter or digit',
});

const AgentModelSchema = z.union(
  [
    z.string().min(1),
    z.looseObject({
      primary: z.string().min(1).optional(),
      fallbacks: z.array(z.string().min(1)).optional(),
    }),
  ],
  { error: 'expected a model id such as "anthropic/claude-sonnet-4-5" or { primary, fallbacks }' },
);

const AgentIdentitySchema = z.looseObject({
  name: z.string().optional(),
  theme: z.string().optional(),
  emoji: z.string().optional(),
  avatar: z.string().optional(),
});

/** OpenClaw's thinking levels plus its spellings (`none`, `auto`, ...); a word that is no level is ignored at run time. */
const ThinkingDefaultSchema = z.string().min(1).max(32).meta({
  title: "Default thinking level",
  description:
    "off, minimal, low, medium, high, xhigh, ... when neither the message nor the session sets one.",
});

const TypingModeSchema = z.enum(["never", "instant", "thinking", "message"]).meta({
  title: "Typing indicator",
  description:
    "never; instant (when the run starts); thinking / message (at the first answer text or tool call). Default: instant for DMs and mentions, message otherwise.",
});

const HumanDelaySchema = z
  .looseObject({
    mode: z.enum(["off", "natural", "custom"]).optional(),
    minMs: z.int().min(0).max(60_000).optional(),
    maxMs: z.int().min(0).max(60_000).optional(),
  })
  .meta({
    title: "Pause between block replies",
    description: "off (default); natural: 800-2500 ms; custom: minMs-maxMs.",
  });

const GroupChatSchema = z
  .looseObject({
    mentionPatterns: z.array(z.string().min(1).max(200)).max(50).optional().meta({
      title: "Group mention patterns",
      description:
        "Case-insensitive regular expressions; a group message matching one counts as mentioning the agent.",
    }),
  })
  .meta({ title: "Group chats" });

/** `heartbeat` blocks are checked by the heartbeat settings, which name the keys they do not use. */
const HeartbeatBlockSchema = z.record(z.string(), z.unknown()).meta({ title: "Heartbeat" });

const SkillsAllowlistSchema = z.array(z.string().min(1)).meta({
  title: "Skills offered",
  description: "Only these skills reach the prompt; unset offers every installed skill.",
});

const agentFields = {
  name: z.string().optional(),
  workspace: z.string().optional(),
  agentDir: z.string().optional(),
  model: AgentModelSchema.optional(),
  identity: AgentIdentitySchema.optional(),
  emoji: z.string().optional(),
  avatar: z.string().optional(),
  default: z.boolean().optional(),
  systemPrompt: z.string().optional().meta({ title: "Extra system prompt" }),
  thinkingDefault: ThinkingDefaultSchema.optional(),
  imageModel: AgentModelSchema.optional().meta({ title: "Image model (this agent)" }),
  typingMode: TypingModeSchema.optional(),
  humanDelay: HumanDelaySchema.optional(),
  groupChat: GroupChatSchema.optional(),
  heartbeat: HeartbeatBlockSchema.optional(),
  skills: SkillsAllowlistSchema.optional(),
  tools: ToolPolicyConfigSchema.optional().meta({ title: "Agent tool policy" }),
  memorySearch: MemorySearchConfigSchema.optional().meta({ title: "Memory search (this agent)" }),
  maxToolSteps: maxToolStepsSchema().optional(),
  subagents: SubagentsConfigSchema.optional().meta({ title: "Sub-agents (this agent)" }),
};

const AgentEntrySchema = z.looseObject({ id: AgentIdSchema, ...agentFields });

const AgentDefaultsSchema = z.looseObject({
  workspace: z.string().optional().meta({ title: "Default workspace" }),
  model: AgentModelSchema.optional().meta({ title: "Default model" }),
  systemPrompt: z.string().optional().meta({ title: "Extra system prompt" }),
  thinkingDefault: ThinkingDefaultSchema.optional(),
  imageModel: AgentModelSchema.optional().meta({
    title: "Image model",
    description: "A turn with images goes here first when the agent's model cannot see images.",
  }),
  typingMode: TypingModeSchema.optional(),
  humanDelay: HumanDelaySchema.optional(),
  typingIntervalSeconds: z.number().positive().max(300).optional().meta({
    title: "Typing refresh (seconds)",
    description: "How often the typing indicator is renewed while a run lasts.",
  }),
  timeoutSeconds: positiveInt().max(86_400).optional().meta({
    title: "Run timeout (seconds)",
    description: "A run still going after this is aborted with a timeout error. Default 600.",
  }),
  timeoutMs: positiveInt().optional().meta({
    title: "Run timeout (ms, older spelling)",
    description: "Used when timeoutSeconds is unset.",
  }),
  maxConcurrent: positiveInt().max(1_000).optional().meta({
    title: "Max runs at once",
    description:
      "Agent runs in progress across sessions (each session runs one at a time); more wait in order. Default max(8, 4 x CPUs).",
  }),
  mediaMaxMb: z.number().positive().optional().meta({
    title: "Max media size (MB)",
    description:
      "Inbound and attached media above this are refused; a channel's own mediaMaxMb wins. Default 20.",
  }),
  heartbeat: HeartbeatBlockSchema.optional(),
  skills: SkillsAllowlistSchema.optional(),
  tools: ToolPolicyConfigSchema.optional().meta({ title: "Default tool policy (without a roster)" }),
  skipBootstrap: z.boolean().optional().meta({
    title: "Skip workspace templates",
    description: "true creates workspace folders without AGENTS.md, SOUL.md, ... (you manage the files).",
  }),
  bootstrapMaxChars: positiveInt().optional().meta({
    title: "Max characters per workspace file in the prompt",
    description: "A longer file is cut with a note telling the agent to read it. Default 20000.",
  }),
  bootstrapTotalMaxChars: positiveInt().optional().meta({
    title: "Max characters of all workspace files in the prompt",
    description: "Default 60000.",
  }),
  memorySearch: MemorySearchConfigSchema.optional().meta({
    title: "Memory search",
    description:
      "How memory_search ranks MEMORY.md and memory/*.md: keywords always; embeddings when a provider is set.",
  }),
  maxToolSteps: maxToolStepsSchema().optional(),
  subagents: SubagentsConfigSchema.optional().meta({ title: "Sub-agents" }),
  userTimezone: z.string().min(1).optional().meta({
    title: "Your time zone",
    description: 'An IANA zone such as "Europe/Berlin" for the date in the prompt; default: the host\'s.',
  }),
});

/**
 * `agents`: the defaults and the roster. Only the keys modelled here are acted on; any other key under them is
 * reported at start (with what happens instead), so an OpenClaw setting is never dropped silently.
 */
export const AgentsSchema = z
  .looseObject({
    defaults: AgentDefaultsSchema.prefault({}).meta({ title: "Agent defaults" }),
    list: z
      .array(AgentEntrySchema)
      .optional()
      .meta({ title: "Agents", description: "The agent roster: each entry has a stable id." }),
    entries: z.record(AgentIdSchema, z.looseObject(agentFields)).optional().meta({
      title: "Agents (keyed)",
      description: "OpenClaw's keyed roster; used instead of list when present.",
    }),
  })
  .meta({ title: "Agents" });

/** One entry of `agents.list` (or of `agents.entries`, with its key as `id`). */
export type AgentConfigEntry = z.infer<typeof AgentEntrySchema>;
