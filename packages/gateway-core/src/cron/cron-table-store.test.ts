import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CronRunLogEntry } from "@openclaw/protocol";
import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../logging/logger.js";
import type { StoredCronJob } from "./cron-job-store.js";
import { importCronFilesOnce } from "./cron-legacy-import.js";
import { CRON_IMPORT_MARKER_KEY, CRON_JOBS_TABLE, CRON_RUNS_TABLE } from "./cron-table-keys.js";
import { createStorageCronStore, createTableCronStore } from "./cron-table-store.js";

let stateDir: string;
let storage: SessionStorage;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-cron-table-store-"));
  storage = createMemoryStorage();
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function job(id: string, name = "Report"): StoredCronJob {
  return {
    id,
    name,
    enabled: true,
    createdAtMs: 1,
    updatedAtMs: 1,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message: "report" },
    state: { nextRunAtMs: 60_001 },
  };
}

const run = (jobId: string, ts: number): CronRunLogEntry => ({ ts, jobId, action: "finished", status: "ok" });

/** A legacy `<stateDir>/cron/` with one good job, one entry that does not validate, and a run log. */
async function writeLegacyFiles(runs: number): Promise<{ jobsFile: string; runLog: string }> {
  await mkdir(join(stateDir, "cron", "runs"), { recursive: true });
  const jobsFile = `${JSON.stringify({ version: 1, jobs: [job("legacy-1"), { id: "broken", name: "" }] }, null, 2)}\n`;
  await writeFile(join(stateDir, "cron", "jobs.json"), jobsFile);
  const lines = Array.from({ length: runs }, (_, i) => `${JSON.stringify(run("legacy-1", i + 1))}\n`);
  const runLog = `${lines.join("")}{"ts":99,"jobId":"legacy-1","act\n`;
  await writeFile(join(stateDir, "cron", "runs", "legacy-1.jsonl"), runLog);
  return { jobsFile, runLog };
}

describe("createTableCronStore", () => {
  it("imports the cron files once on first load and leaves them untouched", async () => {
    const { jobsFile, runLog } = await writeLegacyFiles(3);
    const first = createStorageCronStore(storage, { legacyStateDir: stateDir });
    expect(await first.load()).toEqual([job("legacy-1")]);
    expect((await first.readRuns("legacy-1")).map((entry) => entry.ts)).toEqual([1, 2, 3]);
    expect(await readFile(join(stateDir, "cron", "jobs.json"), "utf8")).toBe(jobsFile);
    expect(await readFile(join(stateDir, "cron", "runs", "legacy-1.jsonl"), "utf8")).toBe(runLog);
    expect((await readdir(join(stateDir, "cron"))).sort()).toEqual(["jobs.json", "runs"]);
    const marker = await storage.table(CRON_RUNS_TABLE).get(CRON_IMPORT_MARKER_KEY);
    expect(marker?.value).toMatchObject({ jobs: 1, runs: 3, kept: 0, quarantined: 1 });

    // The job is removed in the tables: a later start does not bring it back from the files.
    await first.save([]);
    await first.appendRun(run("legacy-1", 4));
    const second = createStorageCronStore(storage, { legacyStateDir: stateDir });
    expect(await second.load()).toEqual([]);
    expect((await second.readRuns("legacy-1")).map((entry) => entry.ts)).toEqual([1, 2, 3, 4]);
  });

  it("imports only the newest entries of a long run log, and a repeated import writes the same rows", async () => {
    await writeLegacyFiles(15);
    const tables = { jobs: storage.table(CRON_JOBS_TABLE), runs: storage.table(CRON_RUNS_TABLE) };
    const options = { stateDir, ...tables, logger: silentLogger, maxRunsPerJob: 10 };
    await importCronFilesOnce(options);
    // A crash before the marker was written: the next start imports again.
    await tables.runs.delete(CRON_IMPORT_MARKER_KEY);
    await tables.jobs.delete("legacy-1");
    await importCronFilesOnce(options);
    const store = createTableCronStore({ ...tables, maxRunsPerJob: 10 });
    expect(await store.load()).toEqual([job("legacy-1")]);
    expect((await store.readRuns("legacy-1")).map((entry) => entry.ts)).toEqual([
      6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ]);
  });

  it("keeps a job that is already in the table instead of the file's copy", async () => {
    await writeLegacyFiles(1);
    await storage.table(CRON_JOBS_TABLE).put("legacy-1", job("legacy-1", "Edited in the table"));
    const store = createStorageCronStore(storage, { legacyStateDir: stateDir });
    expect(await store.load()).toEqual([job("legacy-1", "Edited in the table")]);
    expect(await store.readRuns("legacy-1")).toEqual([]);
  });

  it("imports nothing from a jobs file that is not JSON, and keeps the file", async () => {
    await mkdir(join(stateDir, "cron"), { recursive: true });
    await writeFile(join(stateDir, "cron", "jobs.json"), "{ not json");
    const store = createStorageCronStore(storage, { legacyStateDir: stateDir });
    expect(await store.load()).toEqual([]);
    expect(await readFile(join(stateDir, "cron", "jobs.json"), "utf8")).toBe("{ not json");
    const marker = await storage.table(CRON_RUNS_TABLE).get(CRON_IMPORT_MARKER_KEY);
    expect(marker?.value).toMatchObject({ jobs: 0, error: "not valid JSON" });
  });

  it("skips a row that does not validate, and a save never deletes it", async () => {
    const jobs = storage.table(CRON_JOBS_TABLE);
    await jobs.put("broken", { id: "broken", name: "" });
    await jobs.put("job-1", job("job-1"));
    const store = createStorageCronStore(storage);
    expect(await store.load()).toEqual([job("job-1")]);
    await store.save([]);
    expect((await jobs.list()).map((row) => row.key)).toEqual(["broken"]);
  });

  it("refuses to overwrite a job another process changed since it was read", async () => {
    const a = createStorageCronStore(storage);
    await a.save([job("job-1")]);
    const b = createStorageCronStore(storage);
    await b.load();
    await b.save([job("job-1", "Changed by b")]);
    await expect(a.save([job("job-1", "Changed by a")])).rejects.toMatchObject({
      code: "CRON_STORE_IO",
      message: expect.stringContaining("changed by another process"),
    });
    expect((await createStorageCronStore(storage).load())[0]?.name).toBe("Changed by b");
  });

  it("keeps the histories of ids that share a prefix, contain a slash or are very long apart", async () => {
    const store = createStorageCronStore(storage);
    // The last encodes past the key length limit and is kept under a digest.
    const ids = ["a", "a/b", "a%2Fb", "é".repeat(100)];
    for (const [index, id] of ids.entries()) await store.appendRun(run(id, index + 1));
    for (const [index, id] of ids.entries()) {
      expect((await store.readRuns(id)).map((entry) => entry.ts)).toEqual([index + 1]);
    }
  });

  it("appends after rows another process added, instead of failing on the taken key", async () => {
    const a = createStorageCronStore(storage);
    const b = createStorageCronStore(storage);
    await a.appendRun(run("job-1", 1));
    await b.appendRun(run("job-1", 2));
    await a.appendRun(run("job-1", 3));
    expect((await b.readRuns("job-1")).map((entry) => entry.ts)).toEqual([1, 2, 3]);
  });

  it("names the storage and the table as its location", () => {
    expect(createStorageCronStore(storage).location).toBe(`memory (${CRON_JOBS_TABLE})`);
  });
});
