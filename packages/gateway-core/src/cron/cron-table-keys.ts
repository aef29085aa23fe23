import { createHash } from "node:crypto";
import type { StorageTable, TableRecord } from "@openclaw/sessions";

/** The storage port's table of cron jobs: one row per job, keyed by the job's id. */
export const CRON_JOBS_TABLE = "cron.jobs";
/** The storage port's table of run history: one row per entry, keyed `<job>/<sequence>`. */
export const CRON_RUNS_TABLE = "cron.runs";
/** The row (in `cron.runs`, outside every job's key range) that records the one-time import of the cron files. */
export const CRON_IMPORT_MARKER_KEY = "!legacy-import";

const MAX_ENCODED_JOB_ID = 400;
const SEQUENCE_DIGITS = 12;
const PAGE_SIZE = 500;

/**
 * The key prefix of one job's history rows. The id is percent-encoded, so it holds no "/" and one job's prefix
 * never matches another job's rows; an id too long for the port's 512-character keys becomes a digest ("#" never
 * appears in an encoded id, so the two forms cannot meet).
 */
export function runKeyPrefix(jobId: string): string {
  const encoded = encodeURIComponent(jobId);
  if (encoded.length <= MAX_ENCODED_JOB_ID) return `${encoded}/`;
  return `#${createHash("sha256").update(jobId).digest("hex")}/`;
}

/** Sequences are zero-padded so the port's key order is the order the entries were appended in. */
export function runKey(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(SEQUENCE_DIGITS, "0")}`;
}

export function runSequence(prefix: string, key: string): number {
  return Number.parseInt(key.slice(prefix.length), 10);
}

/** Every row of a table (under `prefix`), in key order, read a page at a time. */
export async function listAllRows<T>(table: StorageTable<T>, prefix?: string): Promise<TableRecord<T>[]> {
  const rows: TableRecord<T>[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await table.list({
      ...(prefix !== undefined ? { prefix } : {}),
      ...(after !== undefined ? { after } : {}),
      limit: PAGE_SIZE,
    });
    rows.push(...page);
    if (page.length < PAGE_SIZE) return rows;
    after = page[page.length - 1]?.key;
  }
}
