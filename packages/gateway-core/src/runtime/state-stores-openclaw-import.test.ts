import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { createMemoryStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { OPENCLAW_SQLITE_STATE_IMPORT, STATE_IMPORTS_TABLE } from "../state/openclaw-sqlite-import.js";
import { openStateStores } from "./state-stores.js";

/** The databases of a real OpenClaw 2026.9.6 run (kept with the sessions package's import, which reads them too). */
const FIXTURE = fileURLToPath(
  new URL("../../../sessions/src/storage/__fixtures__/openclaw-2026.9.6-state.tar.gz", import.meta.url),
);

let stateDir: string;
const logger = createLogger({ sinks: [] });

beforeEach(async () => {
  const folder = await mkdtemp(join(tmpdir(), "openclaw-state-import-"));
  execFileSync("tar", ["xzf", FIXTURE, "-C", folder]);
  stateDir = join(folder, "state");
  // The recorded run approved nobody: add what a run with a Telegram DM pairing leaves, in OpenClaw's own rows.
  const db = new DatabaseSync(join(stateDir, "state", "openclaw.sqlite"));
  db.prepare(
    "INSERT INTO channel_pairing_requests (channel_key, account_id, request_id, code, created_at, last_seen_at, meta_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
  ).run(
    "telegram",
    "default",
    "777",
    "QX7K2MPA",
    new Date().toISOString(),
    new Date().toISOString(),
    JSON.stringify({ name: "Ada", accountId: "default" }),
  );
  db.prepare(
    "INSERT INTO channel_pairing_allow_entries (channel_key, account_id, entry, sort_order, updated_at) VALUES (?, ?, ?, ?, ?)",
  ).run("telegram", "default", "12345", 0, 1_796_609_000_000);
  // And one finished run of the standup job (a Monday 09:00 Vienna), as OpenClaw records it.
  db.prepare(
    "INSERT INTO cron_run_receipts (receipt_id, store_key, job_id, config_revision, agent_id, request_run_id, status, owner_pid, started_at_ms, finished_at_ms) SELECT 'r-1', store_key, job_id, 'rev', 'main', 'run-1', 'ok', 1, 1796630400000, 1796630412000 FROM cron_jobs WHERE name = 'standup'",
  ).run();
  db.close();
});

afterEach(async () => {
  await rm(dirname(stateDir), { recursive: true, force: true });
});

async function hashTree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return files;
}

describe("importOpenClawSqliteState (through openStateStores, as a gateway start runs it)", () => {
  it("brings the user's cron job and the DM pairing along, leaves OpenClaw's files as they were, and runs once", async () => {
    const before = await hashTree(stateDir);
    const storage = createMemoryStorage();
    const stores = await openStateStores({ storage, stateDir, logger });

    const jobs = (await stores.cron?.load()) ?? [];
    expect(jobs.map((job) => job.name)).toEqual(["standup"]);
    expect(jobs[0]).toMatchObject({
      id: "a9274bde-865e-4063-adbe-8f6a91626768",
      enabled: true,
      schedule: { kind: "cron", expr: "0 9 * * 1-5", tz: "Europe/Vienna" },
      payload: { kind: "agentTurn", message: "Summarize my day" },
      sessionTarget: "isolated",
    });
    // OpenClaw's due time is not taken over: our scheduler plans the next run from now, no catch-up at start.
    expect(jobs[0]?.state.nextRunAtMs).toBeUndefined();
    expect(await stores.cron?.readRuns(jobs[0]?.id ?? "")).toEqual([
      {
        ts: 1_796_630_412_000,
        jobId: "a9274bde-865e-4063-adbe-8f6a91626768",
        action: "finished",
        status: "ok",
        runAtMs: 1_796_630_400_000,
        durationMs: 12_000,
        jobName: "standup",
        runId: "run-1",
      },
    ]);
    expect(stores.pairing.list("telegram")).toMatchObject([
      { channel: "telegram", accountId: "default", senderId: "777", code: "QX7K2MPA", senderName: "Ada" },
    ]);
    expect(stores.pairing.isApproved("telegram", "default", "12345")).toBe(true);
    await stores.flush();
    expect(await hashTree(stateDir)).toEqual(before);

    const marker = await storage.table(STATE_IMPORTS_TABLE).get(OPENCLAW_SQLITE_STATE_IMPORT);
    expect(marker?.value).toMatchObject({
      cronJobs: 1,
      cronRuns: 1,
      pairingRequests: 1,
      allowEntries: 1,
      skipped: 3,
    });

    // A second start: nothing is read again, nothing is duplicated, and a job changed here since is not reset.
    await storage.table("cron.jobs").put(jobs[0]?.id ?? "", { ...jobs[0], enabled: false });
    const again = await openStateStores({ storage, stateDir, logger });
    const reloaded = (await again.cron?.load()) ?? [];
    expect(reloaded).toHaveLength(1);
    expect(reloaded[0]?.enabled).toBe(false);
    expect(again.pairing.list("telegram")).toHaveLength(1);
    expect(again.pairing.approvedSenders("telegram")).toHaveLength(1);
  });
});
