import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { createManualCronClock } from "../cron/index.js";
import { type RawClient, useIntegrationEnv } from "./harness.js";
import { expectOracle } from "./oracle.js";

const env = useIntegrationEnv();
const T0 = Date.UTC(2026, 2, 1, 8, 0, 30);

async function fakeModelConfig() {
  const model = await startFakeModelServer();
  env.defer(() => model.close());
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          api: "openai-completions",
          models: [{ id: "m" }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/m" } } },
  };
  return { model, config };
}

const jobParams = {
  name: "Stand-up digest",
  schedule: { kind: "cron", expr: "* * * * *", tz: "UTC" },
  sessionTarget: "isolated",
  wakeMode: "now",
  payload: { kind: "agentTurn", message: "write the digest" },
};

/** The next `cron` event with the given action. */
function nextCronEvent(client: RawClient, action: string) {
  return client.waitFor(
    (frame) =>
      frame.type === "event" &&
      frame.event === "cron" &&
      (frame.payload as { action?: string }).action === action,
    { what: `cron ${action} event` },
  );
}

describe("cron over the WebSocket", () => {
  it("adds a job, runs it on the injected clock's tick, and a restart on the same state dir does not run it again", async () => {
    const { model, config } = await fakeModelConfig();
    model.setDefaultReply({ text: "digest ready" });
    const clock = createManualCronClock(T0);
    const first = await env.start({ config, cron: { clock } });
    const { client } = await env.connect(first);

    const job = (await client.call("cron.add", jobParams)) as { id: string; nextRunAtMs: number };
    expectOracle("CronJob", job);
    expect(job.nextRunAtMs).toBe(Date.UTC(2026, 2, 1, 8, 1));

    const finished = nextCronEvent(client, "finished");
    clock.set(job.nextRunAtMs);
    const event = (await finished).payload as Record<string, unknown>;
    expect(event).toMatchObject({ jobId: job.id, status: "ok", summary: "digest ready" });
    expect(model.requests).toHaveLength(1);

    const runs = (await client.call("cron.runs", { id: job.id })) as { entries: unknown[] };
    expect(runs.entries).toHaveLength(1);
    for (const entry of runs.entries) expectOracle("CronRunLogEntry", entry);

    await first.server.close({ reason: "restart" });
    const second = await env.start({ stateDir: first.stateDir, cron: { clock } });
    const { client: again } = await env.connect(second);
    const listed = (await again.call("cron.list", {})) as {
      jobs: Array<{ id: string; nextRunAtMs: number }>;
    };
    expect(listed.jobs.map((row) => [row.id, row.nextRunAtMs])).toEqual([
      [job.id, Date.UTC(2026, 2, 1, 8, 2)],
    ]);
    expect(model.requests).toHaveLength(1);

    const next = nextCronEvent(again, "finished");
    clock.set(Date.UTC(2026, 2, 1, 8, 2));
    await next;
    expect(model.requests).toHaveLength(2);
    const status = (await again.call("cron.status", {})) as {
      enabled: boolean;
      jobs: number;
      nextWakeAtMs: number;
    };
    expect(status).toMatchObject({ enabled: true, jobs: 1, nextWakeAtMs: Date.UTC(2026, 2, 1, 8, 3) });
  });

  it("answers a missing job with CRON_JOB_NOT_FOUND and keeps mutations for admins", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    for (const [method, params] of [
      ["cron.update", { jobId: "nope", patch: { enabled: false } }],
      ["cron.run", { id: "nope" }],
      ["cron.remove", { jobId: "nope" }],
    ] as const) {
      const error = await client.callError(method, params);
      expect(error.code).toBe("INVALID_REQUEST");
      expectOracle("CronJobNotFoundErrorDetails", error.details);
    }
    const unsupported = await client.callError("cron.add", {
      ...jobParams,
      payload: { kind: "command", argv: ["date"] },
    });
    expect(unsupported).toMatchObject({ code: "INVALID_REQUEST", details: { code: "CRON_UNSUPPORTED" } });

    const { client: reader } = await env.connect(gateway, { scopes: ["operator.read"] });
    expect((await reader.call("cron.list", { includeDisabled: true })) as { total: number }).toMatchObject({
      total: 0,
    });
    const forbidden = await reader.callError("cron.add", jobParams);
    expect(forbidden.code).toBe("FORBIDDEN");
  });

  it("refuses a job for an agent that is not configured, by agentId or by session key, and says which exist", async () => {
    const gateway = await env.start({ config: { agents: { list: [{ id: "main" }, { id: "ops" }] } } });
    const { client } = await env.connect(gateway);
    for (const params of [
      { ...jobParams, agentId: "ghost" },
      { ...jobParams, sessionTarget: "session:agent:ghost:reports" },
      { ...jobParams, sessionTarget: "current", sessionKey: "agent:ghost:main" },
    ]) {
      const error = await client.callError("cron.add", params);
      expect(error).toMatchObject({ code: "INVALID_REQUEST", details: { code: "CRON_INVALID_JOB" } });
      expect(error.message).toContain('"ghost" is not a configured agent');
      expect(error.message).toContain("main, ops");
    }
    const job = (await client.call("cron.add", { ...jobParams, agentId: "ops" })) as { id: string };
    const retarget = await client.callError("cron.update", { jobId: job.id, patch: { agentId: "ghost" } });
    expect(retarget.details?.code).toBe("CRON_INVALID_JOB");
    expect((await client.call("cron.list", {})) as { total: number }).toMatchObject({ total: 1 });
    expect(await agentDirs(gateway.stateDir)).not.toContain("ghost");
  });

  it("a job whose agent was removed later fails its run, recorded and logged, and writes nothing for the agent", async () => {
    const { model, config } = await fakeModelConfig();
    const withOps = { ...config, agents: { ...config.agents, list: [{ id: "main" }, { id: "ops" }] } };
    const gateway = await env.start({ config: withOps, cron: { clock: createManualCronClock(T0) } });
    const { client } = await env.connect(gateway);
    const job = (await client.call("cron.add", { ...jobParams, agentId: "ops" })) as { id: string };
    await client.call("config.set", {
      raw: JSON.stringify({ ...config, agents: { ...config.agents, list: [{ id: "main" }] } }),
    });

    const finished = nextCronEvent(client, "finished");
    await client.call("cron.run", { id: job.id });
    const event = (await finished).payload as { status: string; error?: string };
    expect(event.status).toBe("error");
    expect(event.error).toContain('"ops" is not a configured agent');
    const runs = (await client.call("cron.runs", { id: job.id })) as {
      entries: { status: string; error?: string }[];
    };
    expect(runs.entries).toMatchObject([{ status: "error", error: expect.stringContaining('"ops"') }]);
    expect(model.requests).toHaveLength(0);
    expect(await agentDirs(gateway.stateDir)).not.toContain("ops");

    const renamed = (await client.call("cron.update", {
      jobId: job.id,
      patch: { name: "orphan", enabled: false },
    })) as { name: string };
    expect(renamed.name).toBe("orphan");
  });

  it("lists cron among the events a client is told about", async () => {
    const gateway = await env.start();
    const { hello } = await env.connect(gateway);
    expect(hello.features.events).toContain("cron");
    expect(hello.features.methods).toEqual(
      expect.arrayContaining([
        "cron.list",
        "cron.status",
        "cron.add",
        "cron.update",
        "cron.remove",
        "cron.run",
        "cron.runs",
      ]),
    );
  });
});

/** The agent directories the gateway created under its state dir. */
async function agentDirs(stateDir: string): Promise<string[]> {
  return readdir(join(stateDir, "agents")).catch(() => []);
}
