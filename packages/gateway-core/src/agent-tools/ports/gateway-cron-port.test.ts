import { afterEach, describe, expect, it } from "vitest";
import { CHANNEL, startToolPortsHarness, type ToolPortsHarness } from "./tool-ports-harness.test-support.js";

const DM = `agent:main:${CHANNEL}:direct:u1`;
const AT = "2030-06-01T09:00:00Z";

let harness: ToolPortsHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function addJob(h: ToolPortsHarness, job: Record<string, unknown>, sessionKey = DM, agentId = "main") {
  return h.call("cron", { action: "add", job }, sessionKey, agentId);
}

async function withOps() {
  const h = await startToolPortsHarness({ agents: { list: [{ id: "main" }, { id: "ops" }] } });
  harness = h;
  return h;
}

describe("cron over the scheduler", () => {
  it("adds, lists and removes the caller's job through the tool", async () => {
    const h = await withOps();
    const job = await h.call(
      "cron",
      {
        action: "add",
        job: { name: "Stand-up", schedule: { kind: "at", at: AT }, payload: { message: "Stand-up!" } },
      },
      DM,
    );
    expect(job).toMatchObject({
      name: "Stand-up",
      agentId: "main",
      sessionTarget: "current",
      sessionKey: DM,
      enabled: true,
      deleteAfterRun: true,
      // A reminder made from a chat is delivered back to that chat.
      delivery: { mode: "announce", channel: CHANNEL, to: "u1" },
    });
    expect(h.cron.list({ includeDisabled: true }).jobs.map((stored) => stored.id)).toEqual([job.id]);
    const listed = await h.call("cron", { action: "list" }, DM);
    expect(listed).toMatchObject({ total: 1, scope: "caller", jobs: [{ id: job.id, scheduleKind: "at" }] });
    expect(await h.call("cron", { action: "status" }, DM)).toEqual({
      enabled: true,
      jobs: 1,
      nextWakeAtMs: Date.parse(AT),
    });
    expect(await h.call("cron", { action: "remove", jobId: job.id }, DM)).toEqual({
      ok: true,
      removed: true,
    });
    expect(h.cron.list({ includeDisabled: true }).total).toBe(0);
  });

  it("keeps each agent to its own jobs", async () => {
    const h = await withOps();
    const theirs = await h.call(
      "cron",
      {
        action: "add",
        job: { schedule: { everyMs: 60_000 }, payload: { message: "ops check" }, sessionTarget: "isolated" },
      },
      "agent:ops:main",
      "ops",
    );
    expect(theirs.agentId).toBe("ops");
    expect(await h.call("cron", { action: "list" }, DM)).toMatchObject({ total: 0, jobs: [] });
    for (const action of ["get", "remove", "run", "runs"]) {
      await expect(h.call("cron", { action, jobId: theirs.id }, DM)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    await expect(
      addJob(h, {
        schedule: { kind: "at", at: AT },
        payload: { message: "x" },
        sessionTarget: "session:agent:ops:main",
      }),
    ).rejects.toMatchObject({ code: "DENIED" });
    expect(h.cron.list({ includeDisabled: true }).total).toBe(1);
  });

  it("refuses announce delivery to a chat the agent could not message, and reports the scheduler's own refusals", async () => {
    const h = await withOps();
    await expect(
      addJob(h, {
        schedule: { kind: "at", at: AT },
        payload: { message: "spam" },
        delivery: { mode: "announce", channel: CHANNEL, to: "stranger" },
      }),
    ).rejects.toMatchObject({ code: "DENIED" });
    await expect(
      h.call(
        "cron",
        { action: "add", job: { schedule: { kind: "cron", expr: "not a cron" }, payload: { text: "x" } } },
        DM,
      ),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENTS" });
    expect(h.cron.list({ includeDisabled: true }).total).toBe(0);
  });

  it("updates a job with a partial patch and runs it now, recording the run", async () => {
    const h = await withOps();
    h.model.setDefaultReply(() => ({ text: "checked" }));
    const job = await h.call(
      "cron",
      {
        action: "add",
        job: { schedule: { everyMs: 3_600_000 }, payload: { message: "check" }, sessionTarget: "isolated" },
      },
      "agent:main:main",
    );
    const updated = await h.call(
      "cron",
      { action: "update", jobId: job.id, job: { name: "Hourly check" } },
      "agent:main:main",
    );
    expect(updated).toMatchObject({ id: job.id, name: "Hourly check" });
    const run = await h.call("cron", { action: "run", jobId: job.id, runMode: "force" }, "agent:main:main");
    expect(run).toMatchObject({ ok: true, enqueued: true });
    await h.cron.settled();
    const runs = await h.call("cron", { action: "runs", jobId: job.id }, "agent:main:main");
    expect(runs).toMatchObject({ total: 1, entries: [{ jobId: job.id, status: "ok", summary: "checked" }] });
    await expect(
      h.call("cron", { action: "update", jobId: job.id, job: { agentId: "ops" } }, "agent:main:main"),
    ).rejects.toMatchObject({ code: "DENIED" });
  });
});
