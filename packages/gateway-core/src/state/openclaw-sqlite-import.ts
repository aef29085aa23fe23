import { CronJobSchema, type CronRunLogEntry } from "@openclaw/protocol";
import {
  hasOpenClawSqliteState,
  type OpenClawDatabase,
  openOpenClawSqliteSnapshot,
  type SqlRow,
} from "@openclaw/sessions";
import { PAIRING_ALLOW_TABLE, PAIRING_REQUESTS_TABLE } from "../channels/pairing-table-store.js";
import { MAX_RUNS_PER_JOB } from "../cron/cron-job-store.js";
import { CRON_JOBS_TABLE, CRON_RUNS_TABLE, runKey, runKeyPrefix } from "../cron/cron-table-keys.js";
import type { Logger } from "../logging/logger.js";
import { importTelegramOffsetRows, type TelegramOffsetImport } from "./openclaw-telegram-offset-import.js";
import { type StateTables, tableKey } from "./table-mirror.js";

/** The table (shared with the legacy imports) and key of the marker row of this import. */
export const STATE_IMPORTS_TABLE = "state.imports";
export const OPENCLAW_SQLITE_STATE_IMPORT = "openclaw-sqlite-state";

export interface OpenClawStateImportResult {
  /** False when there was nothing to import or the marker says it ran before. */
  imported: boolean;
  cronJobs: number;
  /** Finished runs of the imported jobs (OpenClaw's `cron_run_receipts`), as their history. */
  cronRuns: number;
  pairingRequests: number;
  allowEntries: number;
  /** Telegram accounts whose last handled update id came along (so a restart does not answer it again). */
  telegramOffsets: number;
  /** Rows left out, with why (the originals stay where they are). */
  skipped: Array<{ table: string; key: string; reason: string }>;
}

/**
 * Imports the gateway state OpenClaw 2026.9 keeps in `state/openclaw.sqlite` into the storage tables, once: the
 * user's cron jobs (`cron_jobs`) into `cron.jobs`, DM pairing requests and approved senders
 * (`channel_pairing_requests`, `channel_pairing_allow_entries`) into `pairing.requests` / `pairing.allow`, and
 * Telegram's update offsets (`plugin_state_entries`) into `channel.state`. It reads a
 * private copy of the database, so OpenClaw's files are never opened; rows already in the tables are kept. Runs
 * before the stores load their tables. Sessions and transcripts are imported by `@openclaw/sessions`.
 */
export async function importOpenClawSqliteState(o: {
  storage: StateTables;
  stateDir: string;
  logger: Logger;
  now?: () => number;
}): Promise<OpenClawStateImportResult> {
  const result: OpenClawStateImportResult = {
    imported: false,
    cronJobs: 0,
    cronRuns: 0,
    pairingRequests: 0,
    allowEntries: 0,
    telegramOffsets: 0,
    skipped: [],
  };
  const imports = o.storage.table<Record<string, unknown>>(STATE_IMPORTS_TABLE);
  if (await imports.get(OPENCLAW_SQLITE_STATE_IMPORT)) return result;
  if (!(await hasOpenClawSqliteState(o.stateDir))) return result;
  try {
    const snapshot = await openOpenClawSqliteSnapshot(o.stateDir);
    if (!snapshot?.shared) {
      await snapshot?.close();
      return result;
    }
    try {
      await importCronJobs(snapshot.shared, o.storage, result);
      await importPairing(snapshot.shared, o.storage, result);
      const offsets: TelegramOffsetImport = { imported: 0, skipped: result.skipped };
      await importTelegramOffsetRows(snapshot.shared, o.storage, offsets);
      result.telegramOffsets = offsets.imported;
    } finally {
      await snapshot.close();
    }
  } catch (error) {
    // An unreadable database must not keep the gateway from starting: say so, write no marker, retry next start.
    o.logger.error(
      "OpenClaw's state database could not be imported (cron jobs, pairing); the next start tries again (check that state/openclaw.sqlite is a readable SQLite file)",
      { stateDir: o.stateDir, error: error instanceof Error ? error.message : String(error) },
    );
    return result;
  }
  const { skipped, ...counts } = result;
  await imports.put(OPENCLAW_SQLITE_STATE_IMPORT, {
    source: `${o.stateDir}/state/openclaw.sqlite`,
    ...counts,
    skipped: skipped.length,
    importedAt: new Date((o.now ?? Date.now)()).toISOString(),
  });
  result.imported = true;
  o.logger.info("OpenClaw state imported from its SQLite database (read from a copy, left as it was)", {
    stateDir: o.stateDir,
    cronJobs: result.cronJobs,
    cronRuns: result.cronRuns,
    pairingRequests: result.pairingRequests,
    allowEntries: result.allowEntries,
    telegramOffsets: result.telegramOffsets,
    skipped: skipped.length,
  });
  for (const item of skipped) o.logger.warn("OpenClaw state row not imported", item);
  return result;
}

/**
 * OpenClaw's `cron_jobs` rows: `job_json` is the job as its `cron.list` shows it, `state_json` its run state. Jobs
 * an OpenClaw plugin declares for itself (a `declarationKey`: memory dreaming, heartbeat, skill reviews) are that
 * plugin's bookkeeping, re-declared by it on every start; they would run OpenClaw-internal prompts here, so only the
 * user's own jobs come along, each with its finished runs (`cron_run_receipts`) as history, written before the job
 * row as the file import does, so a crash in between repeats the same rows.
 */
async function importCronJobs(
  db: OpenClawDatabase,
  storage: StateTables,
  result: OpenClawStateImportResult,
): Promise<void> {
  const table = storage.table(CRON_JOBS_TABLE);
  const runs = storage.table(CRON_RUNS_TABLE);
  const rows = db.rows("SELECT * FROM cron_jobs ORDER BY sort_order, updated_at, job_id", [], ["cron_jobs"]);
  for (const row of rows) {
    const jobId = String(row.job_id);
    const skip = (reason: string) => result.skipped.push({ table: "cron_jobs", key: jobId, reason });
    if (row.declaration_key !== null) {
      skip(`declared by OpenClaw itself (${String(row.declaration_key)}), not a user job`);
      continue;
    }
    const job = cronJobOf(row);
    if (!job.success) {
      skip(`does not fit this gateway's cron job schema: ${job.error}`);
      continue;
    }
    if (await table.get(job.data.id)) continue;
    const history = cronRunsOf(db, row, jobId);
    const prefix = runKeyPrefix(job.data.id);
    for (const [index, entry] of history.entries()) await runs.put(runKey(prefix, index + 1), entry);
    await table.put(job.data.id, job.data, 0);
    result.cronJobs += 1;
    result.cronRuns += history.length;
  }
}

/** OpenClaw's receipt statuses in ours: an interrupted run failed, a superseded one was skipped. */
const RECEIPT_STATUS: Record<string, CronRunLogEntry["status"]> = {
  ok: "ok",
  error: "error",
  interrupted: "error",
  skipped: "skipped",
  superseded: "skipped",
};

/** The job's finished runs, oldest first, at most as many as the store keeps. */
function cronRunsOf(db: OpenClawDatabase, job: SqlRow, jobId: string): CronRunLogEntry[] {
  const receipts = db.rows(
    "SELECT * FROM cron_run_receipts WHERE store_key = ? AND job_id = ? AND finished_at_ms IS NOT NULL ORDER BY started_at_ms DESC, receipt_id DESC LIMIT ?",
    [job.store_key ?? "", jobId, MAX_RUNS_PER_JOB],
    ["cron_run_receipts"],
  );
  return receipts.reverse().map((receipt) => {
    const startedAt = Number(receipt.started_at_ms);
    const finishedAt = Number(receipt.finished_at_ms);
    const entry: CronRunLogEntry = {
      ts: finishedAt,
      jobId,
      action: "finished",
      runAtMs: startedAt,
      durationMs: Math.max(0, finishedAt - startedAt),
      jobName: String(job.name),
    };
    const status = RECEIPT_STATUS[String(receipt.status)];
    if (status) entry.status = status;
    if (typeof receipt.error_text === "string" && receipt.error_text !== "") entry.error = receipt.error_text;
    else if (receipt.status === "interrupted") entry.error = "interrupted (OpenClaw stopped during the run)";
    if (typeof receipt.request_run_id === "string" && receipt.request_run_id !== "") {
      entry.runId = receipt.request_run_id;
    }
    return entry;
  });
}

function cronJobOf(row: SqlRow): { success: true; data: { id: string } } | { success: false; error: string } {
  let job: Record<string, unknown>;
  let state: Record<string, unknown>;
  try {
    job = JSON.parse(String(row.job_json)) as Record<string, unknown>;
    state = JSON.parse(String(row.state_json ?? "{}")) as Record<string, unknown>;
  } catch {
    return { success: false, error: "job_json or state_json is not JSON" };
  }
  const updatedAtMs = typeof row.updated_at === "number" ? row.updated_at : job.createdAtMs;
  // OpenClaw's next due time is dropped: it was computed for OpenClaw's uptime, and a time that passed while
  // nobody ran the job would make our scheduler fire a catch-up run the moment the migrated gateway starts.
  const {
    nextRunAtMs: _due,
    runningAtMs: _running,
    ...history
  } = {
    ...(job.state as Record<string, unknown> | undefined),
    ...state,
  };
  const parsed = CronJobSchema.safeParse({
    ...job,
    updatedAtMs: job.updatedAtMs ?? updatedAtMs,
    state: history,
  });
  if (parsed.success) return { success: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return { success: false, error: `${issue?.path.join(".") || "job"}: ${issue?.message}` };
}

async function importPairing(
  db: OpenClawDatabase,
  storage: StateTables,
  result: OpenClawStateImportResult,
): Promise<void> {
  const requests = storage.table(PAIRING_REQUESTS_TABLE);
  const allow = storage.table(PAIRING_ALLOW_TABLE);
  for (const row of db.rows("SELECT * FROM channel_pairing_requests", [], ["channel_pairing_requests"])) {
    const channel = String(row.channel_key);
    const code = String(row.code).toUpperCase();
    const createdAt = Date.parse(String(row.created_at));
    const lastSeenAt = Date.parse(String(row.last_seen_at));
    if (!Number.isFinite(createdAt)) {
      result.skipped.push({
        table: "channel_pairing_requests",
        key: code,
        reason: "created_at is not a date",
      });
      continue;
    }
    const request: Record<string, unknown> = {
      channel,
      accountId: String(row.account_id),
      senderId: String(row.request_id),
      code,
      createdAt,
      lastSeenAt: Number.isFinite(lastSeenAt) ? lastSeenAt : createdAt,
    };
    const senderName = pairingName(row.meta_json);
    if (senderName) request.senderName = senderName;
    const key = tableKey(channel, code);
    if (await requests.get(key)) continue;
    await requests.put(key, request, 0);
    result.pairingRequests += 1;
  }
  for (const row of db.rows(
    "SELECT * FROM channel_pairing_allow_entries",
    [],
    ["channel_pairing_allow_entries"],
  )) {
    const channel = String(row.channel_key);
    const accountId = String(row.account_id);
    const senderId = String(row.entry);
    const key = tableKey(channel, accountId, senderId);
    if (await allow.get(key)) continue;
    const approvedAt = typeof row.updated_at === "number" ? row.updated_at : Date.now();
    await allow.put(key, { channel, accountId, senderId, approvedAt }, 0);
    result.allowEntries += 1;
  }
}

/** The sender's name from a request's meta (OpenClaw keeps `name` or `username` there, as strings). */
function pairingName(metaJson: unknown): string | undefined {
  if (typeof metaJson !== "string") return undefined;
  try {
    const meta = JSON.parse(metaJson) as Record<string, unknown>;
    for (const field of ["name", "displayName", "username"]) {
      if (typeof meta[field] === "string" && meta[field] !== "") return meta[field] as string;
    }
  } catch {
    // A meta that is not JSON only loses the name.
  }
  return undefined;
}
