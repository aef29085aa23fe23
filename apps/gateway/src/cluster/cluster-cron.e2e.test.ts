import { lastUserText } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { pollUntil } from "../e2e-wait-support.js";
import { useCluster } from "./cluster-harness.js";

// A cron job on three gateway processes fires once per slot cluster-wide, and after all three were down across a
// slot the missed run happens once (not once per instance).
const EVERY_MS = 2_000;
const CATCH_UP_DELAY_MS = 500;
// A run's runAtMs is when its timer fired: a few ms after its slot, more on a loaded machine.
const FIRING_TOLERANCE_MS = 500;

const e2e = useCluster({
  purpose: "cron",
  size: 3,
  reply: { text: "tick done" },
  cronCatchUpDelayMs: CATCH_UP_DELAY_MS,
});

const askedFor = (message: string) =>
  e2e.model.requests.filter((request) => lastUserText(request) === message);

async function addJob(name: string, message: string, schedule: { everyMs: number; anchorMs: number }) {
  const job = await e2e.a.client.request("cron.add", {
    name,
    schedule: { kind: "every", ...schedule },
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message },
    delivery: { mode: "none" },
  });
  // Every instance lists it (it lives in the shared store; the others learn of it by notification).
  for (const instance of e2e.cluster.instances) {
    await pollUntil(
      `cron.list on ${instance.name} listing the job added through A`,
      () => instance.client.request("cron.list", {}),
      (listed) => listed.jobs.some((listedJob) => listedJob.id === job.id),
    );
  }
  return job.id;
}

async function finishedRuns(jobId: string) {
  const runs = await e2e.a.client.request("cron.runs", { id: jobId, sortDir: "asc", limit: 200 });
  return runs.entries.filter((entry) => entry.status !== "skipped");
}

describe("cron on a cluster of three gateways", () => {
  it("fires exactly once per slot with three instances running", async () => {
    const anchorMs = Math.ceil((Date.now() + 1_000) / 1000) * 1000;
    const jobId = await addJob("Cluster tick", "cron tick", { everyMs: EVERY_MS, anchorMs });
    const entries = await pollUntil(
      "three finished runs",
      () => finishedRuns(jobId),
      (seen) => seen.length >= 3,
    );
    // Each run belongs to the slot it fired for; no slot may have two.
    const slotOf = (ms: number) => anchorMs + Math.round((ms - anchorMs) / EVERY_MS) * EVERY_MS;
    for (const entry of entries) {
      expect(Math.abs((entry.runAtMs ?? 0) - slotOf(entry.runAtMs ?? 0)), JSON.stringify(entry)).toBeLessThan(
        FIRING_TOLERANCE_MS,
      );
    }
    const slots = entries.map((entry) => slotOf(entry.runAtMs ?? 0));
    expect(slots, `slots of the runs\n${e2e.cluster.logs()}`).toEqual([...new Set(slots)]);
    // One model call per run: no instance ran a slot another had claimed.
    const lastFinished = Math.max(...entries.map((entry) => entry.ts));
    expect(askedFor("cron tick").filter((request) => request.receivedAt <= lastFinished)).toHaveLength(
      entries.length,
    );
    await e2e.a.client.request("cron.remove", { id: jobId });
  });

  it("runs a slot missed while all three were down once after they restart", async () => {
    // One slot, 3 s from now, then none for a minute: every run after the restart is a catch-up run.
    const anchorMs = Date.now() + 3_000;
    const jobId = await addJob("Missed while down", "catch up", { everyMs: 60_000, anchorMs });
    await Promise.all(e2e.cluster.instances.map((instance) => instance.stop()));
    if (Date.now() >= anchorMs)
      throw new Error("the cluster took longer than 3 s to stop: the slot was not missed");
    // Down across the slot (the schedule is the thing under test, so this waits for the clock).
    await new Promise((resolve) => setTimeout(resolve, anchorMs - Date.now() + 500));
    expect(askedFor("catch up")).toHaveLength(0);
    await Promise.all(e2e.cluster.instances.map((instance) => instance.restart()));

    await pollUntil(
      "the catch-up run",
      () => finishedRuns(jobId),
      (seen) => seen.length >= 1,
    );
    // Settled: every instance's view of the job points at the next slot, so none has a catch-up run left to make.
    for (const instance of e2e.cluster.instances) {
      await pollUntil(
        `cron.list on ${instance.name} showing the job's next slot after the catch-up`,
        () => instance.client.request("cron.list", {}),
        (listed) => listed.jobs.find((job) => job.id === jobId)?.nextRunAtMs === anchorMs + 60_000,
      );
    }
    const runs = await finishedRuns(jobId);
    expect(runs, `catch-up runs\n${e2e.cluster.logs()}`).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "ok" });
    expect(askedFor("catch up")).toHaveLength(1);
  });
});
