import { CronJobSchema, type CronRunLogEntry, CronRunLogEntrySchema } from "@openclaw/protocol";
import { isSessionError, type SessionStorage, type StorageTable } from "@openclaw/sessions";
import { type Logger, silentLogger } from "../logging/logger.js";
import { CronError } from "./cron-error.js";
import { type CronJobStore, MAX_RUNS_PER_JOB, type StoredCronJob } from "./cron-job-store.js";
import { importCronFilesOnce } from "./cron-legacy-import.js";
import {
  CRON_JOBS_TABLE,
  CRON_RUNS_TABLE,
  listAllRows,
  runKey,
  runKeyPrefix,
  runSequence,
} from "./cron-table-keys.js";

export interface TableCronStoreOptions {
  /** One row per job, keyed by its id (the storage's `cron.jobs` table). */
  jobs: StorageTable;
  /** One row per history entry (the storage's `cron.runs` table). */
  runs: StorageTable;
  /** Shown as `cron.status` `storePath`. */
  location?: string;
  /** A state directory whose `cron/jobs.json` and run logs are imported on first load, once (files kept). */
  legacyStateDir?: string;
  logger?: Logger;
  /** History kept per job (default 2000, as the file store and OpenClaw keep). */
  maxRunsPerJob?: number;
}

/**
 * The scheduler's jobs and history in two tables of the storage port. `save` writes only the jobs that changed
 * (each with its optimistic version, so a row changed behind this process's back is refused, not overwritten) and
 * deletes the ones removed; a job's history rows are appended in sequence and trimmed to `maxRunsPerJob`.
 */
export function createTableCronStore(options: TableCronStoreOptions): CronJobStore {
  return new TableCronStore(options);
}

/** The store over a storage engine's `cron.jobs` and `cron.runs` tables. */
export function createStorageCronStore(
  storage: Pick<SessionStorage, "table" | "location">,
  options: Omit<TableCronStoreOptions, "jobs" | "runs" | "location"> = {},
): CronJobStore {
  return new TableCronStore({
    ...options,
    jobs: storage.table(CRON_JOBS_TABLE),
    runs: storage.table(CRON_RUNS_TABLE),
    location: `${storage.location} (${CRON_JOBS_TABLE})`,
  });
}

interface WrittenJob {
  json: string;
  version: number;
}

class TableCronStore implements CronJobStore {
  readonly location: string;
  readonly #jobs: StorageTable;
  readonly #runs: StorageTable;
  readonly #legacyStateDir: string | undefined;
  readonly #logger: Logger;
  readonly #maxRuns: number;
  /** What this process last read or wrote per job row, so `save` writes only changes, at the right version. */
  readonly #written = new Map<string, WrittenJob>();
  /** Rows and the last sequence per history prefix, read on a job's first append. */
  readonly #runCounts = new Map<string, { rows: number; last: number }>();
  #writing: Promise<void> = Promise.resolve();

  constructor(options: TableCronStoreOptions) {
    this.#jobs = options.jobs;
    this.#runs = options.runs;
    this.location = options.location ?? `storage tables ${CRON_JOBS_TABLE} and ${CRON_RUNS_TABLE}`;
    this.#legacyStateDir = options.legacyStateDir;
    this.#logger = options.logger ?? silentLogger;
    this.#maxRuns = options.maxRunsPerJob ?? MAX_RUNS_PER_JOB;
  }

  async load(): Promise<StoredCronJob[]> {
    if (this.#legacyStateDir !== undefined) {
      await importCronFilesOnce({
        stateDir: this.#legacyStateDir,
        jobs: this.#jobs,
        runs: this.#runs,
        logger: this.#logger,
        maxRunsPerJob: this.#maxRuns,
      });
    }
    const jobs: StoredCronJob[] = [];
    this.#written.clear();
    for (const row of await this.#read(CRON_JOBS_TABLE, () => listAllRows(this.#jobs))) {
      const parsed = CronJobSchema.safeParse(row.value);
      if (!parsed.success || parsed.data.id !== row.key) {
        // Left in the table untouched (save never deletes a row it did not load), so a later fix can recover it.
        this.#logger.error(`cron job row in ${CRON_JOBS_TABLE} is invalid; skipped and left in place`, {
          key: row.key,
          error: parsed.success ? "the row's key is not the job's id" : parsed.error.message.slice(0, 500),
        });
        continue;
      }
      jobs.push(parsed.data);
      this.#written.set(row.key, { json: JSON.stringify(parsed.data), version: row.version });
    }
    return jobs;
  }

  save(jobs: readonly StoredCronJob[]): Promise<void> {
    const snapshot = jobs.map((job) => ({ job, json: JSON.stringify(job) }));
    return this.#serialized(() => this.#writeJobs(snapshot));
  }

  appendRun(entry: CronRunLogEntry): Promise<void> {
    return this.#serialized(() => this.#appendRun(entry));
  }

  async readRuns(jobId: string): Promise<CronRunLogEntry[]> {
    const rows = await this.#read(CRON_RUNS_TABLE, () => listAllRows(this.#runs, runKeyPrefix(jobId)));
    const entries: CronRunLogEntry[] = [];
    for (const row of rows) {
      const parsed = CronRunLogEntrySchema.safeParse(row.value);
      if (parsed.success) entries.push(parsed.data);
    }
    return entries;
  }

  async flush(): Promise<void> {
    await this.#writing;
  }

  /** Writes run one at a time, in call order; a failed write does not block the ones after it. */
  #serialized(work: () => Promise<void>): Promise<void> {
    const write = this.#writing.then(work);
    this.#writing = write.catch(() => undefined);
    return write;
  }

  async #writeJobs(jobs: readonly { job: StoredCronJob; json: string }[]): Promise<void> {
    const kept = new Set<string>();
    for (const { job, json } of jobs) {
      kept.add(job.id);
      const written = this.#written.get(job.id);
      if (written?.json === json) continue;
      // The value as it was when save was called, not the live object a later change may have touched.
      const record = await this.#write(CRON_JOBS_TABLE, job.id, () =>
        this.#jobs.put(job.id, JSON.parse(json), written?.version ?? 0),
      );
      this.#written.set(job.id, { json, version: record.version });
    }
    for (const id of [...this.#written.keys()]) {
      if (kept.has(id)) continue;
      await this.#write(CRON_JOBS_TABLE, id, () => this.#jobs.delete(id));
      this.#written.delete(id);
    }
  }

  async #appendRun(entry: CronRunLogEntry): Promise<void> {
    const prefix = runKeyPrefix(entry.jobId);
    let count = this.#runCounts.get(prefix) ?? (await this.#countRuns(prefix));
    try {
      await this.#runs.put(runKey(prefix, count.last + 1), entry, 0);
    } catch (error) {
      if (!isSessionError(error, "SESSION_CONFLICT"))
        throw this.#writeError(CRON_RUNS_TABLE, entry.jobId, error);
      // Another process appended to this job's history since it was counted: count again, take the next key.
      count = await this.#countRuns(prefix);
      await this.#write(CRON_RUNS_TABLE, entry.jobId, () =>
        this.#runs.put(runKey(prefix, count.last + 1), entry, 0),
      );
    }
    count.rows += 1;
    count.last += 1;
    this.#runCounts.set(prefix, count);
    // Trimmed only once a tenth over the cap, as the file store does, so deletes come in rare batches.
    if (count.rows <= this.#maxRuns + Math.max(1, Math.floor(this.#maxRuns / 10))) return;
    const oldest = await this.#read(CRON_RUNS_TABLE, () =>
      this.#runs.list({ prefix, limit: count.rows - this.#maxRuns }),
    );
    for (const row of oldest) {
      await this.#write(CRON_RUNS_TABLE, entry.jobId, () => this.#runs.delete(row.key));
      count.rows -= 1;
    }
  }

  async #countRuns(prefix: string): Promise<{ rows: number; last: number }> {
    const rows = await this.#read(CRON_RUNS_TABLE, () => listAllRows(this.#runs, prefix));
    const last = rows.at(-1);
    return { rows: rows.length, last: last ? runSequence(prefix, last.key) : 0 };
  }

  async #read<T>(table: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new CronError(
        "CRON_STORE_IO",
        `cannot read the ${table} table: ${(error as Error).message} — check that the storage is reachable`,
        { cause: error },
      );
    }
  }

  async #write<T>(table: string, jobId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.#writeError(table, jobId, error);
    }
  }

  #writeError(table: string, jobId: string, error: unknown): CronError {
    if (isSessionError(error, "SESSION_CONFLICT")) {
      // This process's view of the row is stale: refusing beats overwriting another process's change.
      return new CronError(
        "CRON_STORE_IO",
        `the ${table} row of cron job "${jobId}" was changed by another process; retry (a clustered gateway reloads the jobs itself; a single gateway must be the only one on its storage, so restart it to reload them)`,
        { jobId, cause: error },
      );
    }
    return new CronError(
      "CRON_STORE_IO",
      `cannot write the ${table} table: ${(error as Error).message} — check that the storage is reachable`,
      { jobId, cause: error },
    );
  }
}
