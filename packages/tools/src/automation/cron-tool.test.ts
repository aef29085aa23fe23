import { describe, expect, it } from "vitest";
import type { CronCaller, CronJobFields, CronJobView, CronPort } from "../ports/cron-port.js";
import { toolContext } from "../sessions/memory-sessions-port.test-support.js";
import { ToolError } from "../tool-error.js";
import { createCronTool } from "./cron-tool.js";

/** Jobs per agent in memory; the scoping rule of the port (an agent sees only its own jobs) is kept here too. */
class MemoryCronPort implements CronPort {
  readonly jobs: (CronJobView & { agentId: string })[] = [];
  readonly calls: { method: string; caller: CronCaller; args: unknown[] }[] = [];

  #own(caller: CronCaller, jobId: string) {
    const job = this.jobs.find((j) => j.id === jobId && j.agentId === caller.agentId);
    if (!job) throw new ToolError("NOT_FOUND", `no job ${jobId}`);
    return job;
  }

  async status(caller: CronCaller) {
    return {
      enabled: true,
      jobs: this.jobs.filter((j) => j.agentId === caller.agentId).length,
      nextWakeAtMs: null,
    };
  }
  async list(caller: CronCaller, query: { limit?: number; offset?: number }) {
    const own = this.jobs.filter((j) => j.agentId === caller.agentId);
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    const jobs = own.slice(offset, offset + limit);
    const hasMore = offset + jobs.length < own.length;
    return {
      jobs,
      total: own.length,
      offset,
      limit,
      hasMore,
      nextOffset: hasMore ? offset + jobs.length : null,
    };
  }
  async get(caller: CronCaller, jobId: string) {
    return this.#own(caller, jobId);
  }
  async add(caller: CronCaller, job: CronJobFields) {
    this.calls.push({ method: "add", caller, args: [job] });
    const view = {
      name: "job",
      enabled: true,
      ...job,
      id: `job-${this.jobs.length + 1}`,
      agentId: caller.agentId,
      state: {},
    };
    this.jobs.push(view);
    return view;
  }
  async update(caller: CronCaller, jobId: string, patch: CronJobFields) {
    return Object.assign(this.#own(caller, jobId), patch);
  }
  async remove(caller: CronCaller, jobId: string) {
    const job = this.#own(caller, jobId);
    this.jobs.splice(this.jobs.indexOf(job), 1);
    return { ok: true as const, removed: true };
  }
  async run(caller: CronCaller, jobId: string, mode: "due" | "force") {
    this.#own(caller, jobId);
    this.calls.push({ method: "run", caller, args: [jobId, mode] });
    return { ok: true as const, enqueued: true as const, runId: "cron-run-1" };
  }
  async runs(caller: CronCaller, query: { jobId?: string }) {
    if (query.jobId) this.#own(caller, query.jobId);
    return { entries: [], total: 0, offset: 0, limit: 50, hasMore: false, nextOffset: null };
  }
}

const ctx = toolContext("agent:main:telegram:direct:42");
const other = toolContext("agent:ops:main", "ops");

function addEvery(tool: ReturnType<typeof createCronTool>, everyMs: number, message: string, context = ctx) {
  return tool.execute({ action: "add", job: { schedule: { everyMs }, payload: { message } } }, context);
}

describe("cron", () => {
  it("adds a job with OpenClaw's defaults: inferred kinds and name, current session, one-shot deleted", async () => {
    const port = new MemoryCronPort();
    const tool = createCronTool(port);
    const job = (await tool.execute(
      {
        action: "add",
        job: { schedule: { at: "2030-01-01T09:00:00Z" }, payload: { message: "Stand-up in 5" } },
      },
      ctx,
    )) as CronJobView;
    expect(job.id).toBe("job-1");
    expect(port.calls[0]?.args[0]).toEqual({
      name: "Stand-up in 5",
      schedule: { kind: "at", at: "2030-01-01T09:00:00Z" },
      payload: { kind: "agentTurn", message: "Stand-up in 5" },
      wakeMode: "now",
      enabled: true,
      sessionTarget: "current",
      sessionKey: ctx.sessionKey,
      deleteAfterRun: true,
    });
    expect(port.calls[0]?.caller).toEqual({ agentId: "main", sessionKey: ctx.sessionKey });
  });

  it("runs a system event in the main session by default", async () => {
    const port = new MemoryCronPort();
    await createCronTool(port).execute(
      { action: "add", job: { schedule: { expr: "0 9 * * *" }, payload: { text: "check mail" } } },
      ctx,
    );
    expect(port.calls[0]?.args[0]).toMatchObject({
      schedule: { kind: "cron", expr: "0 9 * * *" },
      payload: { kind: "systemEvent" },
      sessionTarget: "main",
    });
  });

  it("lists compact rows of the caller's own jobs, and cannot reach another agent's", async () => {
    const port = new MemoryCronPort();
    const tool = createCronTool(port);
    await addEvery(tool, 60_000, "tick");
    await addEvery(tool, 60_000, "ops", other);
    const listed = (await tool.execute({ action: "list" }, ctx)) as { jobs: { id: string }[]; scope: string };
    expect(listed).toMatchObject({
      total: 1,
      scope: "caller",
      jobs: [{ id: "job-1", scheduleKind: "every" }],
    });
    await expect(tool.execute({ action: "list", agentId: "ops" }, ctx)).rejects.toMatchObject({
      code: "DENIED",
    });
    await expect(tool.execute({ action: "remove", jobId: "job-2" }, ctx)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await tool.execute({ action: "remove", jobId: "job-2" }, other)).toEqual({
      ok: true,
      removed: true,
    });
  });

  it("runs a job (due by default, force on request) and updates with a partial patch", async () => {
    const port = new MemoryCronPort();
    const tool = createCronTool(port);
    await addEvery(tool, 1000, "x");
    await tool.execute({ action: "run", jobId: "job-1" }, ctx);
    await tool.execute({ action: "run", id: "job-1", runMode: "force" }, ctx);
    expect(port.calls.filter((c) => c.method === "run").map((c) => c.args[1])).toEqual(["due", "force"]);
    const updated = (await tool.execute(
      { action: "update", jobId: "job-1", job: { enabled: false } },
      ctx,
    )) as {
      enabled: boolean;
    };
    expect(updated.enabled).toBe(false);
  });

  it("refuses what it does not implement, and actions without their job id", async () => {
    const tool = createCronTool(new MemoryCronPort());
    await expect(tool.execute({ action: "wake", text: "hi" }, ctx)).rejects.toThrow(
      /"text" is not supported/,
    );
    await expect(tool.execute({ action: "next_check" }, ctx)).rejects.toThrow(/not available here/);
    await expect(tool.execute({ action: "remove" }, ctx)).rejects.toThrow(/needs jobId/);
    await expect(tool.execute({ action: "add" }, ctx)).rejects.toThrow(/needs job/);
    await expect(
      tool.execute({ action: "add", contextMessages: 3, job: { payload: { message: "x" } } }, ctx),
    ).rejects.toThrow(/contextMessages/);
  });
});
