import { type FakeModelServer, lastUserText, startFakeModelServer } from "@openclaw/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollUntil } from "../e2e-wait-support.js";
import { type Cluster, type ClusterInstance, startCluster } from "./cluster-harness.js";

// A cron job on three gateway processes fires once per slot cluster-wide, and after all three were down across a
// slot the missed run happens once (not once per instance).
const EVERY_MS = 2_000;
const MESSAGE = "cron tick";
const CATCH_UP_DELAY_MS = 500;

let model: FakeModelServer;
let cluster: Cluster;
let a: ClusterInstance;
let jobId: string;
let anchorMs: number;

beforeAll(async () => {
  model = await startFakeModelServer();
  model.setDefaultReply({ text: "tick done" });
  cluster = await startCluster({ purpose: "cron", size: 3, model, cronCatchUpDelayMs: CATCH_UP_DELAY_MS });
  a = cluster.instances[0] as ClusterInstance;
});

afterAll(async () => {
  await cluster?.close();
  await model?.close();
});

const onGrid = (ms: number) => (ms - anchorMs) % EVERY_MS === 0;
const tickRequests = () => model.requests.filter((request) => lastUserText(request) === MESSAGE);

async function finishedRuns(client = a.client) {
  const runs = await client.request("cron.runs", { id: jobId, sortDir: "asc", limit: 200 });
  return runs.entries.filter((entry) => entry.status !== "skipped");
}

/** How often each runAtMs occurs among the finished runs: a slot run twice shows up as 2. */
function runsPerSlot(entries: Array<{ runAtMs?: number }>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const entry of entries) counts.set(entry.runAtMs ?? -1, (counts.get(entry.runAtMs ?? -1) ?? 0) + 1);
  return counts;
}

describe("cron on a cluster of three gateways", () => {
  it("fires exactly once per slot with three instances running", async () => {
    anchorMs = Math.ceil((Date.now() + 1_000) / 1000) * 1000;
    const job = await a.client.request("cron.add", {
      name: "Cluster tick",
      schedule: { kind: "every", everyMs: EVERY_MS, anchorMs },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: MESSAGE },
      delivery: { mode: "none" },
    });
    jobId = job.id;
    // Every instance lists the job (it lives in the shared store; the others learn of it by notification).
    for (const instance of cluster.instances) {
      await pollUntil(
        `cron.list on ${instance.name} listing the job added through A`,
        () => instance.client.request("cron.list", {}),
        (listed) => listed.jobs.some((listedJob) => listedJob.id === jobId),
      );
    }
    const entries = await pollUntil(
      "three finished runs",
      () => finishedRuns(),
      (seen) => seen.length >= 3,
    );
    const slots = runsPerSlot(entries);
    expect([...slots.keys()].every(onGrid), JSON.stringify(entries)).toBe(true);
    expect([...slots.values()], `runs per slot\n${cluster.logs()}`).toEqual([...slots.values()].map(() => 1));
    // One model call per run: no instance ran a slot another had claimed.
    const lastSlot = Math.max(...slots.keys());
    const calls = tickRequests().filter((request) => request.receivedAt < lastSlot + EVERY_MS - 100);
    expect(calls.length).toBe(entries.filter((entry) => (entry.runAtMs ?? 0) <= lastSlot).length);
  });

  it("runs a slot missed while all three were down once after they restart", async () => {
    await Promise.all(cluster.instances.map((instance) => instance.stop()));
    const stoppedAt = Date.now();
    const before = (await pollUntil(
      "nothing",
      () => tickRequests().length,
      () => true,
    )) as number;
    // The outage must span at least one slot: wait past the next one (the schedule is the thing under test).
    const missedSlot = anchorMs + Math.ceil((stoppedAt - anchorMs) / EVERY_MS) * EVERY_MS;
    await new Promise((resolve) => setTimeout(resolve, missedSlot - Date.now() + EVERY_MS / 2));
    expect(tickRequests().length).toBe(before);
    await Promise.all(cluster.instances.map((instance) => instance.restart()));
    const restartedAt = Date.now();

    const entries = await pollUntil(
      "the catch-up run",
      () => finishedRuns(),
      (seen) => seen.some((entry) => (entry.runAtMs ?? 0) >= stoppedAt && !onGrid(entry.runAtMs ?? 0)),
    );
    // Give every instance's catch-up its chance (each restarted within the delay) before counting.
    await pollUntil(
      "the next slot after the catch-up run",
      () => finishedRuns(),
      (seen) =>
        seen.some(
          (entry) => (entry.runAtMs ?? 0) > restartedAt + CATCH_UP_DELAY_MS && onGrid(entry.runAtMs ?? 0),
        ),
    );
    const after = (await finishedRuns()).filter((entry) => (entry.runAtMs ?? 0) >= stoppedAt);
    const catchUps = after.filter((entry) => !onGrid(entry.runAtMs ?? 0));
    expect(catchUps, `catch-up runs\n${JSON.stringify(entries)}\n${cluster.logs()}`).toHaveLength(1);
    expect([...runsPerSlot(after).values()]).toEqual([...runsPerSlot(after).values()].map(() => 1));
    const lastFinished = Math.max(...after.map((entry) => entry.ts));
    const calls = tickRequests().filter(
      (request) => request.receivedAt >= stoppedAt && request.receivedAt <= lastFinished,
    );
    expect(calls.length).toBe(after.length);
  });
});
