import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  importOnce,
  type MirrorWarnings,
  type StateTables,
  TableMirror,
  tableKey,
} from "../state/table-mirror.js";
import { type ExecAllowlist, execApprovalsPath, readLegacyExecAllowlist } from "./exec-allowlist.js";

export const EXEC_ALLOWLIST_TABLE = "exec.allowlist";

const AllowlistRowSchema = z.object({
  agentId: z.string(),
  id: z.string(),
  pattern: z.string(),
  source: z.string(),
  commandText: z.string(),
  lastUsedAt: z.number().optional(),
});
type AllowlistRow = z.infer<typeof AllowlistRowSchema>;

const rowKey = (agentId: string, commandText: string) => tableKey(encodeURIComponent(agentId), commandText);

/** An exec allowlist kept in a storage table: `flush()` waits until every change so far is durable. */
export interface TableExecAllowlist extends ExecAllowlist {
  flush(): Promise<void>;
  /** Takes in grants another process wrote to the same table. */
  refresh(): Promise<void>;
}

export interface TableExecAllowlistOptions {
  storage: StateTables;
  /** Where `exec-approvals.json` is imported from, once. */
  stateDir?: string;
  now?: () => number;
  logger?: MirrorWarnings;
}

/**
 * "Allow always" answers in the `exec.allowlist` table, one row per agent and exact command text (as in the file
 * store, a grant never covers another command). On first open `exec-approvals.json` is imported (and kept).
 */
export async function openTableExecAllowlist(
  options: TableExecAllowlistOptions,
): Promise<TableExecAllowlist> {
  const now = options.now ?? Date.now;
  const stateDir = options.stateDir;
  if (stateDir !== undefined) {
    await importOnce(options.storage, "exec.allowlist", () => importExecAllowlist(options.storage, stateDir));
  }
  const rows = await TableMirror.open(
    options.storage,
    EXEC_ALLOWLIST_TABLE,
    AllowlistRowSchema,
    options.logger,
  );
  return {
    path: `${options.storage.location} (table ${EXEC_ALLOWLIST_TABLE})`,
    allows(agentId, commandText) {
      const row = rows.get(rowKey(agentId, commandText));
      return row !== undefined && row.source === "allow-always" && row.commandText === commandText;
    },
    add(agentId, commandText) {
      const key = rowKey(agentId, commandText);
      if (rows.get(key)) return;
      rows.set(key, {
        agentId,
        id: randomUUID(),
        pattern: commandText,
        source: "allow-always",
        commandText,
        lastUsedAt: now(),
      });
    },
    flush: () => rows.flush(),
    refresh: () => rows.refresh(),
  };
}

async function importExecAllowlist(
  storage: StateTables,
  stateDir: string,
): Promise<{ source: string; rows: number }> {
  const table = storage.table<AllowlistRow>(EXEC_ALLOWLIST_TABLE);
  const entries = readLegacyExecAllowlist(stateDir);
  for (const { agentId, entry } of entries) {
    const row: AllowlistRow = {
      agentId,
      id: typeof entry.id === "string" ? entry.id : randomUUID(),
      pattern: typeof entry.pattern === "string" ? entry.pattern : entry.commandText,
      source: String(entry.source),
      commandText: entry.commandText,
      ...(typeof entry.lastUsedAt === "number" ? { lastUsedAt: entry.lastUsedAt } : {}),
    };
    await table.put(rowKey(agentId, entry.commandText), row);
  }
  return { source: execApprovalsPath(stateDir), rows: entries.length };
}
