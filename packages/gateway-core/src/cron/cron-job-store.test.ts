import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CronRunLogEntry } from "@openclaw/protocol";
import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../logging/logger.js";
import { FileCronStore } from "./cron-file-store.js";
import type { CronJobStore, StoredCronJob } from "./cron-job-store.js";
import { createStorageCronStore } from "./cron-table-store.js";

/** The behaviour the scheduler relies on, checked against both stores; a reopen is a new store over the same data. */
let stateDir: string;
let storage: SessionStorage;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-cron-job-store-"));
  storage = createMemoryStorage();
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const stores: { name: string; open(o?: { maxRunsPerJob?: number }): CronJobStore }[] = [
  { name: "file", open: (o = {}) => new FileCronStore(stateDir, silentLogger, o) },
  { name: "table", open: (o = {}) => createStorageCronStore(storage, o) },
];

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

const byId = (jobs: StoredCronJob[]) => [...jobs].sort((a, b) => a.id.localeCompare(b.id));

describe.each(stores)("CronJobStore over $name", ({ open }) => {
  it("starts empty and round-trips jobs across a reopen, changes and removals included", async () => {
    const store = open();
    expect(await store.load()).toEqual([]);
    await store.save([job("job-1"), job("job-2")]);
    expect(byId(await open().load())).toEqual([job("job-1"), job("job-2")]);

    const renamed = { ...job("job-2", "Renamed"), state: { nextRunAtMs: 120_001, runningAtMs: 60_001 } };
    await store.save([renamed]);
    await store.flush();
    expect(await open().load()).toEqual([renamed]);
  });

  it("applies saves in call order even when they are not awaited one by one", async () => {
    const store = open();
    await store.load();
    const saves = [1, 2, 3].map((n) => store.save([{ ...job("job-1"), updatedAtMs: n }]));
    await Promise.all(saves);
    expect(await open().load()).toEqual([{ ...job("job-1"), updatedAtMs: 3 }]);
  });

  it("keeps each job's history apart, oldest first, and continues it after a reopen", async () => {
    const store = open();
    await store.load();
    for (const ts of [1, 2, 3]) await store.appendRun(run("job-1", ts));
    await store.appendRun(run("job-2", 10));
    const reopened = open();
    await reopened.load();
    await reopened.appendRun(run("job-1", 4));
    expect((await reopened.readRuns("job-1")).map((entry) => entry.ts)).toEqual([1, 2, 3, 4]);
    expect((await reopened.readRuns("job-2")).map((entry) => entry.ts)).toEqual([10]);
    expect(await reopened.readRuns("job-3")).toEqual([]);
  });

  it("keeps a job's history bounded: the newest entries, trimmed once a tenth over the cap", async () => {
    const store = open({ maxRunsPerJob: 10 });
    await store.load();
    for (let ts = 1; ts <= 11; ts += 1) await store.appendRun(run("job-1", ts));
    expect(await store.readRuns("job-1")).toHaveLength(11);
    for (let ts = 12; ts <= 30; ts += 1) await store.appendRun(run("job-1", ts));
    expect((await store.readRuns("job-1")).map((entry) => entry.ts)).toEqual([
      21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
    ]);
    // A new process counts the history it finds and keeps the same bound.
    const reopened = open({ maxRunsPerJob: 10 });
    for (let ts = 31; ts <= 32; ts += 1) await reopened.appendRun(run("job-1", ts));
    expect((await reopened.readRuns("job-1")).map((entry) => entry.ts)).toEqual([
      23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
    ]);
  });
});
