import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJsonFileAtomic } from "../state/atomic-file.js";

export interface AllowlistEntry {
  id: string;
  pattern: string;
  source: "allow-always";
  commandText: string;
  lastUsedAt?: number;
}

/** OpenClaw's version-1 exec approvals document; we use the per-agent `allowlist` and keep everything else. */
interface ExecApprovalsFile {
  version: 1;
  agents?: Record<string, { allowlist?: AllowlistEntry[]; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface ExecAllowlist {
  readonly path: string;
  /** True when the operator answered "allow always" for exactly this command of this agent before. */
  allows(agentId: string, commandText: string): boolean;
  add(agentId: string, commandText: string): void;
  /** Resolves once every grant so far is durable (stores over storage tables; the file store has none). */
  flush?(): Promise<void>;
}

export function execApprovalsPath(stateDir: string): string {
  return join(stateDir, "exec-approvals.json");
}

/** The file's document; a missing, unreadable or foreign-version file reads as empty (nothing is allowed). */
function readExecApprovalsFile(path: string): ExecApprovalsFile {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as ExecApprovalsFile;
    return parsed && parsed.version === 1 ? parsed : { version: 1 };
  } catch {
    return { version: 1 };
  }
}

/** Every agent's allowlist entries in `<stateDir>/exec-approvals.json` (for the one-time import into a table). */
export function readLegacyExecAllowlist(stateDir: string): { agentId: string; entry: AllowlistEntry }[] {
  const agents = readExecApprovalsFile(execApprovalsPath(stateDir)).agents ?? {};
  return Object.entries(agents).flatMap(([agentId, agent]) =>
    (Array.isArray(agent?.allowlist) ? agent.allowlist : [])
      .filter((entry) => typeof entry?.commandText === "string")
      .map((entry) => ({ agentId, entry })),
  );
}

/**
 * "Allow always" answers, kept in `<stateDir>/exec-approvals.json`. A grant matches the exact command text only:
 * approving `git status` must not approve `git push`, so no globbing of executables or arguments.
 */
export function createExecAllowlist(stateDir: string): ExecAllowlist {
  const path = execApprovalsPath(stateDir);
  const read = () => readExecApprovalsFile(path);
  return {
    path,
    allows(agentId, commandText) {
      const entries = read().agents?.[agentId]?.allowlist ?? [];
      return entries.some((entry) => entry.source === "allow-always" && entry.commandText === commandText);
    },
    add(agentId, commandText) {
      const file = read();
      const agent = file.agents?.[agentId] ?? {};
      const allowlist = agent.allowlist ?? [];
      if (allowlist.some((entry) => entry.commandText === commandText)) return;
      agent.allowlist = allowlist;
      file.agents = { ...file.agents, [agentId]: agent };
      allowlist.push({
        id: randomUUID(),
        pattern: commandText,
        source: "allow-always",
        commandText,
        lastUsedAt: Date.now(),
      });
      writeJsonFileAtomic(path, file);
    },
  };
}
