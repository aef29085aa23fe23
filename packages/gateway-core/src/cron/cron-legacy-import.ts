import type { StorageTable } from "@openclaw/sessions";
import type { Logger } from "../logging/logger.js";
import {
  cronJobsFilePath,
  cronRunLogPath,
  parseJobsFile,
  parseRunLog,
  readCronFile,
} from "./cron-file-store.js";
import { CRON_IMPORT_MARKER_KEY, runKey, runKeyPrefix } from "./cron-table-keys.js";

export interface CronImportMarker {
  source: string;
  importedAt: string;
  jobs: number;
  runs: number;
  /** Jobs already in the table, left as they were. */
  kept: number;
  /** Entries of the file that did not validate; they stay in the file only. */
  quarantined: number;
  /** Why nothing was imported (a file that is not JSON). */
  error?: string;
}

export interface CronImportOptions {
  stateDir: string;
  jobs: StorageTable;
  runs: StorageTable;
  logger: Logger;
  maxRunsPerJob: number;
}

/**
 * Copies `<stateDir>/cron/jobs.json` and each job's run log (its newest `maxRunsPerJob` entries) into the tables,
 * once: a marker row keeps it from running again, and the files are only read, never changed. A job already in
 * the table is kept as it is. Safe to repeat after a crash part-way: a job's history rows are written before the
 * job's row, under keys fixed by their position in the file, so a second pass writes the same rows again.
 */
export async function importCronFilesOnce(options: CronImportOptions): Promise<void> {
  const { stateDir, jobs, runs, logger, maxRunsPerJob } = options;
  if (await runs.get(CRON_IMPORT_MARKER_KEY)) return;
  const source = cronJobsFilePath(stateDir);
  const marker: CronImportMarker = {
    source,
    importedAt: new Date().toISOString(),
    jobs: 0,
    runs: 0,
    kept: 0,
    quarantined: 0,
  };
  const raw = await readCronFile(source);
  // No jobs file (a new install): no marker, so the first start of a fresh state dir writes nothing.
  if (raw === undefined) return;
  const file = raw === undefined ? undefined : parseJobsFile(raw);
  if (raw !== undefined && !file) {
    marker.error = "not valid JSON";
    logger.error(
      "cron jobs file is not valid JSON; nothing imported into the storage tables (file left as is)",
      {
        path: source,
      },
    );
  }
  for (const job of file?.jobs ?? []) {
    if (await jobs.get(job.id)) {
      marker.kept += 1;
      continue;
    }
    const log = await readCronFile(cronRunLogPath(stateDir, job.id));
    const history = log === undefined ? [] : parseRunLog(log).slice(-maxRunsPerJob);
    const prefix = runKeyPrefix(job.id);
    for (const [index, entry] of history.entries()) await runs.put(runKey(prefix, index + 1), entry);
    await jobs.put(job.id, job);
    marker.jobs += 1;
    marker.runs += history.length;
  }
  marker.quarantined = file?.quarantined.length ?? 0;
  if (marker.quarantined > 0) {
    logger.warn("cron jobs that do not validate were not imported; they stay in the jobs file", {
      path: source,
      count: marker.quarantined,
    });
  }
  await runs.put(CRON_IMPORT_MARKER_KEY, marker);
  if (raw !== undefined) {
    logger.info("cron jobs imported from the state directory into the storage tables (files kept)", {
      path: source,
      jobs: marker.jobs,
      runs: marker.runs,
      kept: marker.kept,
    });
  }
}
