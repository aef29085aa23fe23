import { randomUUID } from "node:crypto";
import type { AgentRunResult } from "@openclaw/agent";
import type { CronAddParams } from "@openclaw/protocol";
import {
  type ClusterCoordinator,
  createMemoryStorage,
  createMemoryStorageData,
  expireMemoryClusterLease,
  type MemoryStorageData,
} from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatTurn, ChatTurnRequest } from "../chat/chat-service.js";
import { createManualCronClock, type ManualCronClock } from "./cron-clock.js";
import { CRON_LEADER_LEASE } from "./cron-coordination.js";
import { CronService } from "./cron-service.js";
import { createStorageCronStore } from "./cron-table-store.js";

/** 2026-01-01T00:00:30Z: half a minute before the first tick of an every-minute expression. */
const T0 = Date.UTC(2026, 0, 1, 0, 0, 30);
const minute = (m: number, s = 0) => Date.UTC(2026, 0, 1, 0, m, s);

const everyMinute: CronAddParams = {
  name: "Minute report",
  schedule: { kind: "cron", expr: "* * * * *", tz: "UTC" },
  sessionTarget: "isolated",
  wakeMode: "now",
  payload: { kind: "agentTurn", message: "report" },
};

/** Every instance's turns land here, so "once cluster-wide" is one request per slot in this list. */
interface Instance {
  name: string;
  cron: CronService;
  cluster: ClusterCoordinator;
}

let data: MemoryStorageData;
let clock: ManualCronClock;
let requests: Array<{ instance: string; request: ChatTurnRequest }>;
let running: Instance[];
/** While set, turns do not finish until `releaseTurns` is called. */
let holding: Array<() => void> | undefined;

function releaseTurns(): void {
  const held = holding ?? [];
  holding = undefined;
  for (const finish of held) finish();
}

function chatOf(instance: string) {
  return {
    start(request: ChatTurnRequest): ChatTurn {
      requests.push({ instance, request });
      const runId = request.runId ?? randomUUID();
      const result: AgentRunResult = {
        runId,
        sessionKey: request.sessionKey,
        status: "ok",
        text: "done",
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      };
      const held = holding;
      const done = held
        ? new Promise<AgentRunResult>((resolve) => held.push(() => resolve(result)))
        : Promise.resolve(result);
      return { runId, sessionKey: request.sessionKey, deduped: false, done };
    },
  };
}

async function startInstance(name: string, leaderRetryMs = 20): Promise<Instance> {
  const storage = createMemoryStorage({ data });
  const cluster = await storage.openCluster?.({ instanceId: `${name}-${randomUUID().slice(0, 8)}` });
  if (!cluster) throw new Error("the memory storage opens no cluster");
  const cron = new CronService({
    stateDir: "/nonexistent",
    store: createStorageCronStore(storage),
    chat: chatOf(name),
    clock,
    cluster,
    leaderRetryMs,
    catchUpDelayMs: 5_000,
    stopGraceMs: 50,
  });
  await cron.start();
  const instance = { name, cron, cluster };
  running.push(instance);
  return instance;
}

async function stopInstance(instance: Instance): Promise<void> {
  running = running.filter((entry) => entry !== instance);
  await instance.cron.stop();
  await instance.cluster.close();
}

/** Moves the shared clock and waits until every instance finished what its timers started. */
async function advanceTo(atMs: number): Promise<void> {
  clock.set(atMs);
  for (const instance of running) await instance.cron.settled();
}

function leaders(): string[] {
  return running.filter((instance) => instance.cron.leading).map((instance) => instance.name);
}

beforeEach(() => {
  data = createMemoryStorageData();
  clock = createManualCronClock(T0);
  requests = [];
  running = [];
  holding = undefined;
});

afterEach(async () => {
  releaseTurns();
  for (const instance of [...running]) await stopInstance(instance);
});

describe("CronService in a cluster of three instances on one storage", () => {
  it("fires a job added on a follower exactly once per tick, on the leader", async () => {
    const a = await startInstance("a");
    const b = await startInstance("b");
    await startInstance("c");
    expect(leaders()).toEqual(["a"]);

    const job = await b.cron.add(everyMinute);
    // Every instance reloads the jobs another one wrote, and the leader arms its timer for the new job.
    await expect.poll(() => running.map((instance) => instance.cron.status().jobs)).toEqual([1, 1, 1]);
    await expect.poll(() => a.cron.status().nextWakeAtMs).toBe(minute(1));

    await advanceTo(minute(1));
    expect(requests.map((entry) => entry.instance)).toEqual(["a"]);
    await advanceTo(minute(1, 40));
    await advanceTo(minute(2));
    expect(requests.map((entry) => entry.instance)).toEqual(["a", "a"]);

    // The history every instance reads is the shared one.
    await expect.poll(async () => (await b.cron.runs({ id: job.id })).total).toBe(2);
    await expect.poll(() => b.cron.get(job.id).nextRunAtMs).toBe(minute(3));
  });

  it("hands the timer to another instance when the leader stops, and that one fires the next tick once", async () => {
    const a = await startInstance("a");
    await startInstance("b");
    await startInstance("c");
    await a.cron.add(everyMinute);
    await expect.poll(() => running.map((instance) => instance.cron.status().jobs)).toEqual([1, 1, 1]);
    await advanceTo(minute(1));
    expect(requests).toHaveLength(1);

    await stopInstance(a);
    await expect.poll(() => leaders().length).toBe(1);
    const [next] = leaders();
    await advanceTo(minute(2));
    expect(requests.map((entry) => entry.instance)).toEqual(["a", next]);
    await advanceTo(minute(3));
    expect(requests).toHaveLength(3);
  });

  it("runs a slot missed while all three were down once, after they restart", async () => {
    const a = await startInstance("a");
    await startInstance("b");
    await startInstance("c");
    const job = await a.cron.add(everyMinute);
    await expect.poll(() => running.map((instance) => instance.cron.status().jobs)).toEqual([1, 1, 1]);
    await advanceTo(minute(1));
    expect(requests).toHaveLength(1);
    for (const instance of [...running]) await stopInstance(instance);

    // Down over the 00:02 and 00:03 ticks.
    clock.set(minute(3, 10));
    await Promise.all(["a2", "b2", "c2"].map((name) => startInstance(name)));
    expect(leaders()).toHaveLength(1);
    const leader = running.find((instance) => instance.cron.leading);
    expect(leader?.cron.get(job.id).nextRunAtMs).toBe(minute(3, 15));

    await advanceTo(minute(3, 15));
    expect(requests).toHaveLength(2);
    await advanceTo(minute(3, 59));
    expect(requests).toHaveLength(2);
    await advanceTo(minute(4));
    expect(requests).toHaveLength(3);
    const statuses = (await running[0]?.cron.runs({ id: job.id, sortDir: "asc" }))?.entries.map(
      (entry) => entry.status,
    );
    expect(statuses).toEqual(["ok", "skipped", "ok", "ok"]);
  });

  it("never runs a slot another instance already claimed (a handover race), and moves on to the next", async () => {
    const a = await startInstance("a");
    const b = await startInstance("b");
    const job = await a.cron.add(everyMinute);
    await expect.poll(() => b.cron.status().jobs).toBe(1);
    // As if an old leader claimed 00:01 and died before it saved the claim.
    expect(await b.cluster.claimOnce(`cron:${job.id}:${minute(1)}`)).toBe(true);

    await advanceTo(minute(1));
    expect(requests).toHaveLength(0);
    expect(a.cron.get(job.id).nextRunAtMs).toBe(minute(2));
    await advanceTo(minute(2));
    expect(requests).toHaveLength(1);
  });

  it("takes over when the leader's lease expires (a killed leader) and keeps firing once per tick", async () => {
    const a = await startInstance("a");
    const b = await startInstance("b");
    await a.cron.add(everyMinute);
    await expect.poll(() => b.cron.status().jobs).toBe(1);
    expect(expireMemoryClusterLease(data, CRON_LEADER_LEASE)).toBe(true);
    await expect.poll(() => b.cron.leading).toBe(true);
    expect(a.cron.leading).toBe(false);

    await advanceTo(minute(1));
    await advanceTo(minute(2));
    expect(requests.map((entry) => entry.instance)).toEqual(["b", "b"]);
  });

  it("keeps concurrent edits from two instances: a stale write is reloaded and retried, not refused", async () => {
    const a = await startInstance("a");
    const b = await startInstance("b");
    const job = await a.cron.add(everyMinute);
    await expect.poll(() => b.cron.status().jobs).toBe(1);
    // Both edit before either hears of the other's change.
    const [renamed, paused] = await Promise.all([
      a.cron.update(job.id, { name: "Renamed" }),
      b.cron.update(job.id, { enabled: false }),
    ]);
    expect(renamed.name).toBe("Renamed");
    expect(paused.enabled).toBe(false);
    await expect
      .poll(() =>
        [a, b].map((instance) => [instance.cron.get(job.id).name, instance.cron.get(job.id).enabled]),
      )
      .toEqual([
        ["Renamed", false],
        ["Renamed", false],
      ]);
  });

  it("runs a manual cron.run where it is asked, one run per job cluster-wide, never settled as interrupted while it runs", async () => {
    const a = await startInstance("a");
    // b tries to lead once, at start: c is the one to take over from a.
    const b = await startInstance("b", 3_600_000);
    const c = await startInstance("c");
    const job = await a.cron.add(everyMinute);
    await expect.poll(() => running.map((instance) => instance.cron.status().jobs)).toEqual([1, 1, 1]);

    holding = [];
    const manual = await b.cron.run(job.id);
    expect(manual).toMatchObject({ enqueued: true });
    expect(requests.map((entry) => entry.instance)).toEqual(["b"]);
    // Asked again elsewhere while it runs: refused, the job runs on one instance at a time.
    expect(await c.cron.run(job.id)).toMatchObject({ enqueued: false, reason: "already-running" });

    // The leader's slot falls due during b's run: skipped and recorded, not run beside it.
    clock.set(minute(1));
    await a.cron.settled();
    expect(requests).toHaveLength(1);
    await expect
      .poll(async () => (await a.cron.runs({ id: job.id })).entries.map((entry) => entry.status))
      .toEqual(["skipped"]);

    // A new leader does not settle b's run as interrupted: b's run lease shows it still going.
    await stopInstance(a);
    await expect.poll(() => leaders()).toEqual(["c"]);
    releaseTurns();
    await b.cron.settled();
    const statuses = (await c.cron.runs({ id: job.id, sortDir: "asc" })).entries.map((entry) => entry.status);
    expect(statuses).toEqual(["skipped", "ok"]);
    await advanceTo(minute(2));
    expect(requests).toHaveLength(2);
  });
});
