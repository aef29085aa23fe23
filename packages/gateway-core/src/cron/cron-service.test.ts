import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentRunResult } from "@openclaw/agent";
import type { CronAddParams, CronEvent } from "@openclaw/protocol";
import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatTurn, ChatTurnRequest } from "../chat/chat-service.js";
import { createManualCronClock, type ManualCronClock } from "./cron-clock.js";
import { CronError } from "./cron-error.js";
import type { StoredCronJob } from "./cron-job-store.js";
import { type CronDeliveryRequest, CronService, type CronServiceOptions } from "./cron-service.js";
import { CRON_JOBS_TABLE } from "./cron-table-keys.js";
import { createStorageCronStore } from "./cron-table-store.js";

/** 2026-01-01T00:00:30Z: half a minute before the first tick of an every-minute expression. */
const T0 = Date.UTC(2026, 0, 1, 0, 0, 30);

interface FakeChat {
  requests: ChatTurnRequest[];
  start(request: ChatTurnRequest): ChatTurn;
  /** The next runs never finish until released. */
  hang(): void;
  release(): void;
}

function fakeChat(text = "the answer"): FakeChat {
  let hanging = false;
  const held: Array<() => void> = [];
  const chat: FakeChat = {
    requests: [],
    start(request) {
      chat.requests.push(request);
      const runId = request.runId ?? randomUUID();
      const result: AgentRunResult = {
        runId,
        sessionKey: request.sessionKey,
        status: "ok",
        text: `${text} #${chat.requests.length}`,
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      };
      const done = hanging
        ? new Promise<AgentRunResult>((resolve) => held.push(() => resolve(result)))
        : Promise.resolve(result);
      return { runId, sessionKey: request.sessionKey, deduped: false, done };
    },
    hang() {
      hanging = true;
    },
    release() {
      hanging = false;
      for (const resolve of held.splice(0)) resolve();
    },
  };
  return chat;
}

const everyMinute: CronAddParams = {
  name: "Minute report",
  schedule: { kind: "cron", expr: "* * * * *", tz: "UTC" },
  sessionTarget: "isolated",
  wakeMode: "now",
  payload: { kind: "agentTurn", message: "report" },
  delivery: { mode: "announce", channel: "telegram", to: "1001" },
};

/**
 * The same behaviour over both stores: the default files under `<stateDir>/cron/`, and the storage port's tables
 * (memory storage; a restart is a new store over the same storage).
 */
interface StoreKind {
  name: "file" | "table";
  options(): Partial<CronServiceOptions>;
  /** The jobs as the store holds them, read behind the service's back. */
  storedJobs(): Promise<StoredCronJob[]>;
}

let storage: SessionStorage;

const storeKinds: StoreKind[] = [
  {
    name: "file",
    options: () => ({}),
    storedJobs: async () => JSON.parse(await readFile(join(stateDir, "cron", "jobs.json"), "utf8")).jobs,
  },
  {
    name: "table",
    options: () => ({ store: createStorageCronStore(storage, { legacyStateDir: stateDir }) }),
    storedJobs: async () =>
      (await storage.table<StoredCronJob>(CRON_JOBS_TABLE).list()).map((row) => row.value),
  },
];

let kind: StoreKind;
let stateDir: string;
let clock: ManualCronClock;
let chat: FakeChat;
let delivered: CronDeliveryRequest[];
let events: CronEvent[];
let services: CronService[];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-cron-"));
  storage = createMemoryStorage();
  clock = createManualCronClock(T0);
  chat = fakeChat();
  delivered = [];
  events = [];
  services = [];
});

afterEach(async () => {
  chat.release();
  for (const service of services) await service.stop();
  await rm(stateDir, { recursive: true, force: true });
});

async function startService(options: Partial<CronServiceOptions> = {}): Promise<CronService> {
  const service = new CronService({
    stateDir,
    chat,
    clock,
    deliver: async (delivery) => {
      delivered.push(delivery);
    },
    emit: (event) => events.push(event),
    catchUpDelayMs: 5_000,
    stopGraceMs: 50,
    ...kind.options(),
    ...options,
  });
  services.push(service);
  await service.start();
  return service;
}

/** Moves the manual clock and waits for whatever the timers started to finish. */
async function advanceTo(service: CronService, atMs: number): Promise<void> {
  clock.set(atMs);
  await service.settled();
}

describe.each(storeKinds)("over the $name store", (storeKind) => {
  beforeEach(() => {
    kind = storeKind;
  });

  describe("CronService schedule and exactly-once runs", () => {
    it("runs an every-minute job once per tick, delivers the answer, and a restart does not run a tick again", async () => {
      let service = await startService();
      const job = await service.add(everyMinute);
      expect(job.nextRunAtMs).toBe(Date.UTC(2026, 0, 1, 0, 1));

      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 1));
      expect(chat.requests).toHaveLength(1);
      expect(chat.requests[0]).toMatchObject({ sessionKey: `agent:main:cron:${job.id}`, message: "report" });
      expect(delivered).toEqual([
        expect.objectContaining({ channel: "telegram", to: "1001", text: "the answer #1" }),
      ]);

      // Same instant, new process: the slot was claimed on disk, so nothing runs again.
      await service.stop();
      service = await startService();
      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 1, 59));
      expect(chat.requests).toHaveLength(1);

      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 2));
      expect(chat.requests).toHaveLength(2);
      expect(delivered).toHaveLength(2);

      const runs = await service.runs({ id: job.id, sortDir: "asc" });
      expect(runs.entries.map((entry) => [entry.status, entry.deliveryStatus, entry.runAtMs])).toEqual([
        ["ok", "delivered", Date.UTC(2026, 0, 1, 0, 1)],
        ["ok", "delivered", Date.UTC(2026, 0, 1, 0, 2)],
      ]);
      expect(events.filter((event) => event.action === "finished")).toHaveLength(2);
    });

    it("never replays a claimed slot whose run was cut short by a stop, and records it as interrupted", async () => {
      let service = await startService();
      const job = await service.add(everyMinute);
      chat.hang();
      clock.set(Date.UTC(2026, 0, 1, 0, 1));
      await expect.poll(() => chat.requests.length).toBe(1);
      await service.stop();

      const [stored] = await kind.storedJobs();
      expect(stored?.state).toMatchObject({
        runningAtMs: Date.UTC(2026, 0, 1, 0, 1),
        nextRunAtMs: Date.UTC(2026, 0, 1, 0, 2),
      });

      chat.release();
      service = await startService();
      expect(chat.requests).toHaveLength(1);
      const [interrupted] = (await service.runs({ id: job.id })).entries;
      expect(interrupted).toMatchObject({ status: "error", error: expect.stringContaining("interrupted") });
      expect(service.get(job.id).state.runningAtMs).toBeUndefined();

      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 2));
      expect(chat.requests).toHaveLength(2);
    });

    it("skips a slot that falls due while the previous run of the job is still going", async () => {
      const service = await startService();
      const job = await service.add(everyMinute);
      chat.hang();
      clock.set(Date.UTC(2026, 0, 1, 0, 1));
      await expect.poll(() => chat.requests.length).toBe(1);
      clock.set(Date.UTC(2026, 0, 1, 0, 2));
      await expect.poll(async () => (await service.runs({ id: job.id })).total).toBe(1);
      chat.release();
      await service.settled();
      expect(chat.requests).toHaveLength(1);
      const statuses = (await service.runs({ id: job.id, sortDir: "asc" })).entries.map(
        (entry) => entry.status,
      );
      expect(statuses).toEqual(["skipped", "ok"]);
    });
  });

  describe("CronService catch-up after downtime", () => {
    it("runs one catch-up run for missed ticks and records the older ones as skipped", async () => {
      let service = await startService();
      const job = await service.add(everyMinute);
      await service.stop();

      // Down from 00:00:30 to 00:05:10: the 00:01 ... 00:05 ticks (five) were missed.
      clock.set(Date.UTC(2026, 0, 1, 0, 5, 10));
      service = await startService();
      expect(chat.requests).toHaveLength(0);
      expect(service.get(job.id).nextRunAtMs).toBe(Date.UTC(2026, 0, 1, 0, 5, 15));

      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 5, 15));
      expect(chat.requests).toHaveLength(1);
      expect(service.get(job.id).nextRunAtMs).toBe(Date.UTC(2026, 0, 1, 0, 6));
      const entries = (await service.runs({ id: job.id, sortDir: "asc" })).entries;
      expect(entries.map((entry) => entry.status)).toEqual(["skipped", "ok"]);
      expect(entries[0]?.summary).toContain("4 older missed runs");

      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 6));
      expect(chat.requests).toHaveLength(2);
    });

    it("with cron.skipMissedJobs moves a recurring job to its next future slot without running", async () => {
      let service = await startService();
      const job = await service.add(everyMinute);
      await service.stop();
      clock.set(Date.UTC(2026, 0, 1, 0, 3, 10));
      service = await startService({ settings: () => ({ enabled: true, skipMissedJobs: true }) });
      expect(service.get(job.id).nextRunAtMs).toBe(Date.UTC(2026, 0, 1, 0, 4));
      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 3, 59));
      expect(chat.requests).toHaveLength(0);
      const [skipped] = (await service.runs({ id: job.id })).entries;
      expect(skipped).toMatchObject({ status: "skipped", summary: expect.stringContaining("3 missed runs") });
    });
  });

  describe("CronService schedules", () => {
    it("runs a one-shot at its time once and deletes it after success", async () => {
      const service = await startService();
      const job = await service.add({
        ...everyMinute,
        name: "Reminder",
        schedule: { kind: "at", at: "2026-01-01T00:10:00" },
        sessionTarget: "main",
        delivery: { mode: "none" },
      });
      expect(job).toMatchObject({ deleteAfterRun: true, nextRunAtMs: Date.UTC(2026, 0, 1, 0, 10) });
      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 10));
      expect(chat.requests).toEqual([
        expect.objectContaining({ sessionKey: "agent:main:main", queueMode: "followup" }),
      ]);
      expect(delivered).toHaveLength(0);
      expect(service.list({ includeDisabled: true }).jobs).toHaveLength(0);
      expect(events.map((event) => event.action)).toEqual(["added", "started", "finished", "removed"]);
      await advanceTo(service, Date.UTC(2026, 0, 1, 1, 0));
      expect(chat.requests).toHaveLength(1);
    });

    it("counts fixed intervals from the anchor and evaluates cron expressions in their time zone", async () => {
      const service = await startService();
      const every = await service.add({
        ...everyMinute,
        schedule: { kind: "every", everyMs: 90_000, anchorMs: T0 - 30_000 },
      });
      expect(every.nextRunAtMs).toBe(T0 + 60_000);
      const vienna = await service.add({
        ...everyMinute,
        schedule: { kind: "cron", expr: "0 9 * * *", tz: "Europe/Vienna" },
      });
      expect(new Date(vienna.nextRunAtMs ?? 0).toISOString()).toBe("2026-01-01T08:00:00.000Z");
      await advanceTo(service, T0 + 60_000);
      await advanceTo(service, T0 + 150_000);
      // A stagger shifts every slot of the job by one fixed offset within the window.
      const staggered = await service.add({
        ...everyMinute,
        schedule: { kind: "cron", expr: "0 * * * *", tz: "UTC", staggerMs: 300_000 },
      });
      const next = staggered.nextRunAtMs ?? 0;
      expect(next).toBeGreaterThan(clock.now());
      expect(next % 3_600_000).toBeLessThan(300_000);
      expect(chat.requests).toHaveLength(2);
    });
  });

  describe("CronService job management", () => {
    it("refuses what it cannot run, with the fix in the message", async () => {
      const service = await startService();
      const refusal = async (params: CronAddParams) => {
        try {
          await service.add(params);
        } catch (error) {
          return error;
        }
        throw new Error("add was accepted");
      };
      expect(await refusal({ ...everyMinute, schedule: { kind: "cron", expr: "every day" } })).toMatchObject({
        code: "CRON_INVALID_SCHEDULE",
      });
      expect(
        await refusal({ ...everyMinute, schedule: { kind: "cron", expr: "* * * * *", tz: "Nowhere/Land" } }),
      ).toMatchObject({ code: "CRON_INVALID_SCHEDULE" });
      expect(await refusal({ ...everyMinute, payload: { kind: "command", argv: ["ls"] } })).toMatchObject({
        code: "CRON_UNSUPPORTED",
      });
      expect(
        await refusal({ ...everyMinute, delivery: { mode: "announce", channel: "last" } }),
      ).toMatchObject({
        code: "CRON_INVALID_JOB",
      });
      expect(await refusal({ ...everyMinute, schedule: { kind: "on-exit", command: "true" } })).toMatchObject(
        {
          code: "CRON_UNSUPPORTED",
        },
      );
      expect(service.status().jobs).toBe(0);
    });

    it("updates, pauses, runs on demand and removes a job", async () => {
      const service = await startService();
      const job = await service.add(everyMinute);
      const paused = await service.update(job.id, {
        enabled: false,
        payload: { kind: "agentTurn", message: "new" },
      });
      expect(paused).toMatchObject({ enabled: false, payload: { kind: "agentTurn", message: "new" } });
      expect(paused.nextRunAtMs).toBeUndefined();
      expect(service.list().jobs).toHaveLength(0);
      expect(service.list({ enabled: "disabled" }).jobs).toHaveLength(1);

      expect(await service.run(job.id, "if-enabled")).toEqual({
        ok: true,
        enqueued: false,
        ran: false,
        reason: "disabled",
      });
      const forced = await service.run(job.id);
      expect(forced).toMatchObject({ ok: true, enqueued: true });
      await service.settled();
      expect(chat.requests.map((request) => request.message)).toEqual(["new"]);
      const runs = await service.runs({ id: job.id, runId: "runId" in forced ? forced.runId : "" });
      expect(runs.entries).toHaveLength(1);

      const resumed = await service.update(job.id, { enabled: true, delivery: { to: "2002" } });
      expect(resumed.nextRunAtMs).toBe(Date.UTC(2026, 0, 1, 0, 1));
      expect(resumed.delivery).toMatchObject({ mode: "announce", channel: "telegram", to: "2002" });

      await expect(service.remove(job.id)).resolves.toEqual({ ok: true, removed: true });
      await expect(service.remove(job.id)).rejects.toBeInstanceOf(CronError);
      await expect(service.update(job.id, { name: "x" })).rejects.toMatchObject({
        code: "CRON_JOB_NOT_FOUND",
        jobId: job.id,
      });
    });

    it("keeps jobs when paused by settings and runs nothing", async () => {
      const service = await startService({ settings: () => ({ enabled: false, skipMissedJobs: false }) });
      await service.add(everyMinute);
      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 3));
      expect(chat.requests).toHaveLength(0);
      expect(service.status()).toMatchObject({ enabled: false, jobs: 1 });
    });

    it("resumes at once when the settings change, not at the next poll", async () => {
      let enabled = false;
      const service = await startService({ settings: () => ({ enabled, skipMissedJobs: false }) });
      await service.add(everyMinute);
      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 1, 30));
      expect(chat.requests).toHaveLength(0);
      enabled = true;
      service.settingsChanged();
      await advanceTo(service, Date.UTC(2026, 0, 1, 0, 1, 30));
      expect(chat.requests).toHaveLength(1);
    });
  });
});
