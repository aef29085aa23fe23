/**
 * The workspace's bootstrap files, in the order they are injected into the system prompt (OpenClaw's order:
 * instructions, persona, tool notes, identity, the user, heartbeat notes, the first-run ritual, long-term memory).
 * They are also the only files `agents.files.*` may read or write.
 */
export const BOOTSTRAP_FILE_NAMES = [
  "AGENTS.md",
  "SOUL.md",
  "TOOLS.md",
  "IDENTITY.md",
  "USER.md",
  "HEARTBEAT.md",
  "BOOTSTRAP.md",
  "MEMORY.md",
] as const;

export type BootstrapFileName = (typeof BOOTSTRAP_FILE_NAMES)[number];

/** The files a fresh workspace is seeded with (BOOTSTRAP.md is the user's own first-run ritual, never seeded). */
export const SEEDED_FILE_NAMES: readonly BootstrapFileName[] = BOOTSTRAP_FILE_NAMES.filter(
  (name) => name !== "BOOTSTRAP.md",
);

/** Files whose absence is worth a marker in the prompt: the agent is told they are missing and where. */
const REQUIRED_FILE_NAMES: ReadonlySet<string> = new Set(["AGENTS.md", "SOUL.md", "IDENTITY.md"]);

/** The only file a sub-agent run sees: its instructions, not the persona or anyone's memory. */
export const SUBAGENT_FILE_NAMES: ReadonlySet<string> = new Set(["AGENTS.md"]);

/** What a scheduled (cron) run sees: who it is and whom it works for, without memory or the first-run ritual. */
export const CRON_FILE_NAMES: ReadonlySet<string> = new Set([
  "AGENTS.md",
  "SOUL.md",
  "TOOLS.md",
  "IDENTITY.md",
  "USER.md",
]);

export const MEMORY_FILE_NAME = "MEMORY.md";

const NAMES: ReadonlySet<string> = new Set(BOOTSTRAP_FILE_NAMES);

export function isBootstrapFileName(name: string): name is BootstrapFileName {
  return NAMES.has(name);
}

export function isRequiredBootstrapFile(name: string): boolean {
  return REQUIRED_FILE_NAMES.has(name);
}

/** A file an editor should offer to create rather than flag as a problem when it is missing. */
export function isExpectedAbsent(name: string): boolean {
  return name !== "AGENTS.md";
}
