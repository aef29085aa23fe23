import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CronRunLogEntry } from "@openclaw/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../logging/logger.js";
import { FileCronStore } from "./cron-file-store.js";
import type { StoredCronJob } from "./cron-job-store.js";

let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-cron-store-"));
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const job: StoredCronJob = {
  id: "job-1",
  name: "Report",
  enabled: true,
  createdAtMs: 1,
  updatedAtMs: 1,
  schedule: { kind: "every", everyMs: 60_000 },
  sessionTarget: "isolated",
  wakeMode: "now",
  payload: { kind: "agentTurn", message: "report" },
  state: { nextRunAtMs: 60_001 },
};

const run = (ts: number): CronRunLogEntry => ({ ts, jobId: "job-1", action: "finished", status: "ok" });

describe("FileCronStore", () => {
  it("round-trips jobs and leaves no temporary files behind", async () => {
    const store = new FileCronStore(stateDir, silentLogger);
    expect(await store.load()).toEqual([]);
    await store.save([job]);
    expect(await new FileCronStore(stateDir, silentLogger).load()).toEqual([job]);
    expect(await readdir(join(stateDir, "cron"))).toEqual(["jobs.json"]);
  });

  it("moves a jobs file that is not JSON aside and quarantines entries that do not validate", async () => {
    await mkdir(join(stateDir, "cron"), { recursive: true });
    await writeFile(join(stateDir, "cron", "jobs.json"), "{ not json");
    expect(await new FileCronStore(stateDir, silentLogger).load()).toEqual([]);
    expect(
      (await readdir(join(stateDir, "cron"))).some((name) => name.startsWith("jobs.json.corrupt-")),
    ).toBe(true);

    const broken = { id: "job-2", name: "" };
    await writeFile(join(stateDir, "cron", "jobs.json"), JSON.stringify({ version: 1, jobs: [job, broken] }));
    const store = new FileCronStore(stateDir, silentLogger);
    expect(await store.load()).toEqual([job]);
    await store.save([job]);
    const saved = JSON.parse(await readFile(join(stateDir, "cron", "jobs.json"), "utf8"));
    expect(saved.quarantined).toEqual([broken]);
  });

  it("skips a torn history line and keeps the newest entries once the log passes its cap", async () => {
    const store = new FileCronStore(stateDir, silentLogger, { maxRunsPerJob: 10 });
    await store.appendRun(run(1));
    await appendFile(store.runLogPath("job-1"), '{"ts":2,"jobId":"job-1","act');
    await appendFile(store.runLogPath("job-1"), "\n");
    await store.appendRun(run(3));
    expect((await store.readRuns("job-1")).map((entry) => entry.ts)).toEqual([1, 3]);
    for (let ts = 4; ts <= 13; ts += 1) await store.appendRun(run(ts));
    expect((await store.readRuns("job-1")).map((entry) => entry.ts)).toEqual([
      4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    ]);
  });
});
