import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CronJobSchema, type CronRunLogEntry, CronRunLogEntrySchema } from "@openclaw/protocol";
import type { Logger } from "../logging/logger.js";
import { writeFileAtomic } from "../state/atomic-file.js";
import { CronError } from "./cron-error.js";
import { type CronJobStore, MAX_RUNS_PER_JOB, type StoredCronJob } from "./cron-job-store.js";

export { MAX_RUNS_PER_JOB, type StoredCronJob } from "./cron-job-store.js";

interface JobsFile {
  version: 1;
  jobs: StoredCronJob[];
  /** Entries that did not validate when read: kept verbatim so a fix in a later version can recover them. */
  quarantined?: unknown[];
}

/** A jobs file's contents: the jobs that validate, and the entries that do not (earlier and new). */
export interface ParsedJobsFile {
  jobs: StoredCronJob[];
  quarantined: unknown[];
  /** The entries of `jobs` that failed validation on this read (also added to `quarantined`), with why. */
  invalid: { entry: unknown; error: string }[];
}

/** Parses `jobs.json`; undefined when the text is not JSON. */
export function parseJobsFile(raw: string): ParsedJobsFile | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const file = (parsed ?? {}) as Partial<JobsFile>;
  const entries = Array.isArray(file.jobs) ? file.jobs : [];
  const result: ParsedJobsFile = {
    jobs: [],
    quarantined: Array.isArray(file.quarantined) ? [...file.quarantined] : [],
    invalid: [],
  };
  for (const entry of entries) {
    const job = CronJobSchema.safeParse(entry);
    if (job.success) {
      result.jobs.push(job.data);
    } else {
      result.quarantined.push(entry);
      result.invalid.push({ entry, error: job.error.message.slice(0, 500) });
    }
  }
  return result;
}

/** A job's history in a run log file, oldest first; lines that do not parse (a torn last line) are skipped. */
export function parseRunLog(raw: string): CronRunLogEntry[] {
  const entries: CronRunLogEntry[] = [];
  for (const line of raw.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const result = CronRunLogEntrySchema.safeParse(JSON.parse(line));
      if (result.success) entries.push(result.data);
    } catch {
      // A torn line: the rest of the history is still good.
    }
  }
  return entries;
}

/** `<stateDir>/cron/jobs.json`, where the file store (and the legacy layout the table store imports) keeps jobs. */
export function cronJobsFilePath(stateDir: string): string {
  return join(stateDir, "cron", "jobs.json");
}

/** `<stateDir>/cron/runs/<jobId>.jsonl`. */
export function cronRunLogPath(stateDir: string, jobId: string): string {
  return join(stateDir, "cron", "runs", `${jobId}.jsonl`);
}

/**
 * `<stateDir>/cron/jobs.json` and the run logs under `<stateDir>/cron/runs/`. Every write replaces the file
 * atomically (temp file, fsync, rename, fsync of the directory), one write at a time, so a crash leaves either the
 * old or the new list and the scheduler's claims on a slot are on disk before a run starts.
 */
export class FileCronStore implements CronJobStore {
  readonly dir: string;
  readonly jobsPath: string;
  readonly #stateDir: string;
  readonly #logger: Logger;
  #quarantined: unknown[] = [];
  #writing: Promise<void> = Promise.resolve();
  /** Lines per run log, counted on first append; the log is trimmed to the cap when it grows past it. */
  readonly #runCounts = new Map<string, number>();
  readonly #maxRuns: number;

  constructor(stateDir: string, logger: Logger, options: { maxRunsPerJob?: number } = {}) {
    this.#maxRuns = options.maxRunsPerJob ?? MAX_RUNS_PER_JOB;
    this.#stateDir = stateDir;
    this.dir = join(stateDir, "cron");
    this.jobsPath = cronJobsFilePath(stateDir);
    this.#logger = logger;
  }

  get location(): string {
    return this.jobsPath;
  }

  async load(): Promise<StoredCronJob[]> {
    const raw = await readCronFile(this.jobsPath);
    if (raw === undefined) return [];
    const file = parseJobsFile(raw);
    if (!file) {
      // The file is written atomically, so this is a hand edit gone wrong: keep it aside, start empty, say so.
      const aside = `${this.jobsPath}.corrupt-${Date.now()}`;
      await rename(this.jobsPath, aside);
      this.#logger.error("cron jobs file is not valid JSON; moved aside and starting with no jobs", {
        path: aside,
      });
      return [];
    }
    this.#quarantined = file.quarantined;
    for (const { entry, error } of file.invalid) {
      this.#logger.error("cron job in jobs.json is invalid; quarantined in the same file", {
        jobId: (entry as { id?: unknown } | null)?.id,
        error,
      });
    }
    return file.jobs;
  }

  /** Replaces the stored list. Writes are serialized; the returned promise settles when this one is on disk. */
  save(jobs: readonly StoredCronJob[]): Promise<void> {
    const file: JobsFile = { version: 1, jobs: [...jobs] };
    if (this.#quarantined.length > 0) file.quarantined = this.#quarantined;
    const text = `${JSON.stringify(file, null, 2)}\n`;
    const write = this.#writing.then(() => writeAtomically(this.jobsPath, text));
    this.#writing = write.catch(() => undefined);
    return write;
  }

  runLogPath(jobId: string): string {
    return cronRunLogPath(this.#stateDir, jobId);
  }

  /** Appends one history line and syncs it, so a finished run is never forgotten by a crash right after. */
  async appendRun(entry: CronRunLogEntry): Promise<void> {
    const path = this.runLogPath(entry.jobId);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const known = this.#runCounts.get(entry.jobId) ?? (await this.readRuns(entry.jobId)).length;
    const handle = await open(path, "a", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(entry)}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.#runCounts.set(entry.jobId, known + 1);
    // Trimmed only once a tenth over the cap, so the rewrite is rare.
    if (known + 1 > this.#maxRuns + Math.max(1, Math.floor(this.#maxRuns / 10))) {
      const kept = (await this.readRuns(entry.jobId)).slice(-this.#maxRuns);
      await writeAtomically(path, kept.map((line) => `${JSON.stringify(line)}\n`).join(""));
      this.#runCounts.set(entry.jobId, kept.length);
    }
  }

  async readRuns(jobId: string): Promise<CronRunLogEntry[]> {
    const raw = await readCronFile(this.runLogPath(jobId));
    return raw === undefined ? [] : parseRunLog(raw);
  }

  async flush(): Promise<void> {
    await this.#writing;
  }
}

/** A cron file's text; undefined when it does not exist. */
export async function readCronFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CronError(
      "CRON_STORE_IO",
      `cannot read ${path}: ${(error as Error).message} — check that the state directory is readable by this user`,
      { cause: error },
    );
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text);
  } catch (error) {
    throw new CronError(
      "CRON_STORE_IO",
      `cannot write ${path}: ${(error as Error).message} — check that ${dirname(path)} is writable by this user`,
      { cause: error },
    );
  }
}
