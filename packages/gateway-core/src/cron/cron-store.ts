import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type CronJob, CronJobSchema, type CronRunLogEntry, CronRunLogEntrySchema } from "@openclaw/protocol";
import type { Logger } from "../logging/logger.js";
import { writeFileAtomic } from "../state/atomic-file.js";
import { CronError } from "./cron-error.js";

/** A job as stored: the wire shape without the top-level copies of `state` fields (those are derived). */
export type StoredCronJob = Omit<
  CronJob,
  | "nextRunAtMs"
  | "lastRunAtMs"
  | "lastRunStatus"
  | "lastRunError"
  | "lastDelivered"
  | "lastDeliveryStatus"
  | "lastDeliveryError"
>;

/** Run history kept per job, as in OpenClaw: the newest 2000 entries. */
export const MAX_RUNS_PER_JOB = 2_000;

interface JobsFile {
  version: 1;
  jobs: StoredCronJob[];
  /** Entries that did not validate when read: kept verbatim so a fix in a later version can recover them. */
  quarantined?: unknown[];
}

/**
 * `<stateDir>/cron/jobs.json` and the run logs under `<stateDir>/cron/runs/`. Every write replaces the file
 * atomically (temp file, fsync, rename, fsync of the directory), one write at a time, so a crash leaves either the
 * old or the new list and the scheduler's claims on a slot are on disk before a run starts.
 */
export class CronStore {
  readonly dir: string;
  readonly jobsPath: string;
  readonly #logger: Logger;
  #quarantined: unknown[] = [];
  #writing: Promise<void> = Promise.resolve();
  /** Lines per run log, counted on first append; the log is trimmed to the cap when it grows past it. */
  readonly #runCounts = new Map<string, number>();
  readonly #maxRuns: number;

  constructor(stateDir: string, logger: Logger, options: { maxRunsPerJob?: number } = {}) {
    this.#maxRuns = options.maxRunsPerJob ?? MAX_RUNS_PER_JOB;
    this.dir = join(stateDir, "cron");
    this.jobsPath = join(this.dir, "jobs.json");
    this.#logger = logger;
  }

  async load(): Promise<StoredCronJob[]> {
    let raw: string;
    try {
      raw = await readFile(this.jobsPath, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new CronError(
        "CRON_STORE_IO",
        `cannot read ${this.jobsPath}: ${(error as Error).message} — check that the state directory is readable by this user`,
        { cause: error },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      // The file is written atomically, so this is a hand edit gone wrong: keep it aside, start empty, say so.
      const aside = `${this.jobsPath}.corrupt-${Date.now()}`;
      await rename(this.jobsPath, aside);
      this.#logger.error("cron jobs file is not valid JSON; moved aside and starting with no jobs", {
        path: aside,
        error: (error as Error).message,
      });
      return [];
    }
    const file = (parsed ?? {}) as Partial<JobsFile>;
    const entries = Array.isArray(file.jobs) ? file.jobs : [];
    this.#quarantined = Array.isArray(file.quarantined) ? [...file.quarantined] : [];
    const jobs: StoredCronJob[] = [];
    for (const entry of entries) {
      const result = CronJobSchema.safeParse(entry);
      if (result.success) {
        jobs.push(result.data);
      } else {
        this.#quarantined.push(entry);
        this.#logger.error("cron job in jobs.json is invalid; quarantined in the same file", {
          jobId: (entry as { id?: unknown } | null)?.id,
          error: result.error.message.slice(0, 500),
        });
      }
    }
    return jobs;
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
    return join(this.dir, "runs", `${jobId}.jsonl`);
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

  /** A job's history, oldest first; lines that do not parse (a torn last line after a crash) are skipped. */
  async readRuns(jobId: string): Promise<CronRunLogEntry[]> {
    let raw: string;
    try {
      raw = await readFile(this.runLogPath(jobId), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
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

  /** Waits for pending writes (used when the gateway stops). */
  async flush(): Promise<void> {
    await this.#writing;
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
