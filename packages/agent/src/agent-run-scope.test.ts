import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";
import type { AgentTool } from "./types.js";

useFakeModelServer();

describe("runScope", () => {
  it("runs each run's work in its own scope, also a run queued behind another on the same session", async () => {
    const scope = new AsyncLocalStorage<string>();
    const seenByTool: Array<string | undefined> = [];
    const whoAmI: AgentTool = {
      name: "who_am_i",
      description: "Reports the scope it runs in",
      parameters: z.object({}),
      async execute() {
        seenByTool.push(scope.getStore());
        return { ok: true };
      },
    };
    const { runtime } = startRuntime(
      providerConfig(server, "openai-completions"),
      {},
      { runScope: (run, work) => scope.run(run.runId, work) },
    );
    runtime.tools.register(whoAmI);
    const toolTurn = { toolCalls: [{ id: "call", name: "who_am_i", arguments: {} }] };
    server.enqueue(toolTurn, { text: "first done" }, toolTurn, { text: "second done" });
    // The second run waits in the lane and starts from the first run's completion.
    const first = runtime.submit({ sessionKey: "agent:main:main", message: "one" });
    const second = runtime.submit({
      sessionKey: "agent:main:main",
      message: "two",
      mode: "followup",
    } as never);
    await Promise.all([first.done, second.done]);
    expect(new Set([first.runId, second.runId]).size).toBe(2);
    expect(seenByTool).toEqual([first.runId, second.runId]);
  });
});
