import { describe, expect, it } from "vitest";
import { z } from "zod";
import { providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";
import type { SessionLock } from "./session-lock.js";
import type { AgentTool } from "./types.js";

useFakeModelServer();

/** One lock per session key shared by two runtimes, as a database lease is shared by two gateways. */
function sharedLock(log: string[]): SessionLock {
  const tails = new Map<string, Promise<void>>();
  return async (run) => {
    const previous = tails.get(run.sessionKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    tails.set(
      run.sessionKey,
      previous.then(() => mine),
    );
    await previous;
    log.push(`take ${run.runId}`);
    return async () => {
      log.push(`release ${run.runId}`);
      release();
    };
  };
}

describe("sessionLock", () => {
  it("keeps runs of one session on two runtimes apart: the second starts once the first released", async () => {
    const log: string[] = [];
    const lock = sharedLock(log);
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const step: AgentTool = {
      name: "step",
      description: "Waits for the test",
      parameters: z.object({}),
      async execute(_args, context) {
        log.push(`tool ${context.runId}`);
        await gate;
        return { ok: true };
      },
    };
    const config = providerConfig(server, "openai-completions");
    const a = startRuntime(config, {}, { sessionLock: lock }).runtime;
    const b = startRuntime(config, {}, { sessionLock: lock }).runtime;
    a.tools.register(step);
    b.tools.register(step);
    const toolTurn = { toolCalls: [{ id: "call", name: "step", arguments: {} }] };
    server.enqueue(toolTurn, { text: "first done" }, toolTurn, { text: "second done" });
    const first = a.submit({ sessionKey: "agent:main:main", message: "one" });
    await expect.poll(() => log, { timeout: 30_000 }).toContain(`tool ${first.runId}`);
    const second = b.submit({ sessionKey: "agent:main:main", message: "two" });
    // The second runtime has its own lane: only the shared lock keeps it waiting.
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).not.toContain(`take ${second.runId}`);
    openGate();
    const [one, two] = await Promise.all([first.done, second.done]);
    expect(one.text).toBe("first done");
    expect(two.text).toBe("second done");
    // Each release follows its run's result (see holdingSessionLock), so the last one is waited for.
    await expect
      .poll(() => log)
      .toEqual([
        `take ${first.runId}`,
        `tool ${first.runId}`,
        `release ${first.runId}`,
        `take ${second.runId}`,
        `tool ${second.runId}`,
        `release ${second.runId}`,
      ]);
  });

  it("reports a run's result before giving its session back, and logs a release that fails", async () => {
    const steps: string[] = [];
    const lock: SessionLock = async (run) => {
      steps.push(`take ${run.runId}`);
      return async () => {
        steps.push(`release ${run.runId}`);
        throw new Error("lease store unreachable");
      };
    };
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => warnings.push(message) };
    const { runtime } = startRuntime(
      providerConfig(server, "openai-completions"),
      {},
      { sessionLock: lock, logger },
    );
    server.enqueue({ text: "answered" });
    const handle = runtime.submit({ sessionKey: "agent:main:main", message: "one" });
    const result = await handle.done;
    expect(result.text).toBe("answered");
    expect(steps).toEqual([`take ${handle.runId}`]);
    await expect.poll(() => steps).toEqual([`take ${handle.runId}`, `release ${handle.runId}`]);
    await expect
      .poll(() => warnings)
      .toContain("agent session lock not released; it is freed when it expires");
  });

  it("fails a run whose session cannot be held with UNAVAILABLE, and the next run still starts", async () => {
    let refuse = true;
    const lock: SessionLock = async () => {
      if (refuse) throw new Error("storage unreachable");
      return async () => {};
    };
    const { runtime } = startRuntime(providerConfig(server, "openai-completions"), {}, { sessionLock: lock });
    server.enqueue({ text: "answered" });
    const failed = await runtime.submit({ sessionKey: "agent:main:main", message: "one" }).done;
    expect(failed.status).toBe("error");
    expect(failed.error?.code).toBe("UNAVAILABLE");
    expect(failed.error?.message).toContain("storage unreachable");
    refuse = false;
    const next = await runtime.submit({ sessionKey: "agent:main:main", message: "two" }).done;
    expect(next.text).toBe("answered");
  });
});
