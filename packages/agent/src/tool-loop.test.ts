import type { FakeApi } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_TOOL_RESULT_CHARS } from "./model-attempt.js";
import { MAX_RECORDED_STRING_CHARS } from "./recorded-tool-result.js";
import { APIS, providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";
import type { AgentTool } from "./types.js";

useFakeModelServer();

// A 1x1 PNG: what a vision model would be shown.
const PIXEL_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

function echoTool(name: string, seen: string[] = []): AgentTool {
  return {
    name,
    description: `Echoes for ${name}`,
    parameters: z.object({ value: z.string() }),
    async execute(args, ctx) {
      const { value } = z.object({ value: z.string() }).parse(args);
      seen.push(`${ctx.agentId}:${ctx.toolCallId}:${value}`);
      ctx.update({ progress: `working on ${value}` });
      return { echoed: value };
    },
  };
}

function bodyOf(index: number): string {
  return JSON.stringify(server.requests[index]?.body ?? null);
}

describe.each(APIS as FakeApi[])("%s tool loop", (api) => {
  it("runs parallel tool calls of one step and hands both results back", async () => {
    const { runtime, eventsOf } = startRuntime(providerConfig(server, api));
    const seen: string[] = [];
    runtime.tools.register(echoTool("echo", seen));
    server.enqueue(
      {
        toolCalls: [
          { id: "call_a", name: "echo", arguments: { value: "alpha" } },
          { id: "call_b", name: "echo", arguments: { value: "beta" } },
        ],
      },
      { text: "both done" },
    );
    const handle = runtime.submit({ sessionKey: "agent:ops:main", message: "go" });
    const result = await handle.done;

    expect(result).toMatchObject({ status: "ok", text: "both done", usage: { toolCalls: 2 } });
    expect(seen.sort()).toEqual(["ops:call_a:alpha", "ops:call_b:beta"]);
    const phases = eventsOf(handle.runId)
      .filter((e) => e.stream === "tool")
      .map((e) => `${e.data.phase}:${e.data.toolCallId}`);
    expect(phases.filter((p) => p.startsWith("start"))).toHaveLength(2);
    expect(phases).toContain("update:call_a");
    expect(phases).toContain("result:call_b");
    expect(bodyOf(1)).toContain("alpha");
    expect(bodyOf(1)).toContain("beta");
  });

  it("ends a run that hits maxToolSteps with a note instead of looping on", async () => {
    const config = providerConfig(server, api);
    config.agents = { ...config.agents, defaults: { ...config.agents?.defaults, maxToolSteps: 2 } };
    const { runtime } = startRuntime(config);
    runtime.tools.register(echoTool("echo"));
    for (let step = 0; step < 3; step++) {
      server.enqueue({ toolCalls: [{ id: `call_${step}`, name: "echo", arguments: { value: `v${step}` } }] });
    }
    const result = await runtime.submit({ sessionKey: "s-limit", message: "loop" }).done;

    expect(server.requests).toHaveLength(2);
    expect(result.status).toBe("ok");
    expect(result.stopReason).toBe("max_tool_steps");
    expect(result.text).toContain("stopped after 2 tool steps");
    expect(result.text).toContain("agents.defaults.maxToolSteps");
  });
});

describe("what the host decides per run", () => {
  it("offers only the tools prepareRun returns: a left-out tool's schema never reaches the model", async () => {
    const { runtime } = startRuntime(
      providerConfig(server, "openai-completions"),
      {},
      {
        prepareRun: ({ tools, agentId }) => ({
          systemPrompt: `You are agent ${agentId}.`,
          tools: tools.filter((tool) => tool.name !== "secret_tool"),
        }),
      },
    );
    runtime.tools.register(echoTool("public_tool"));
    runtime.tools.register(echoTool("secret_tool"));
    await runtime.submit({ sessionKey: "s-policy", message: "hi", agentId: "main" }).done;

    expect(bodyOf(0)).toContain("public_tool");
    expect(bodyOf(0)).not.toContain("secret_tool");
    expect(bodyOf(0)).toContain("You are agent main.");
  });

  it("fails the run with a clear error when prepareRun throws", async () => {
    const { runtime } = startRuntime(
      providerConfig(server, "openai-completions"),
      {},
      {
        prepareRun: () => {
          throw new Error("workspace unreadable");
        },
      },
    );
    const result = await runtime.submit({ sessionKey: "s-prep", message: "hi" }).done;
    expect(result.error).toEqual({
      code: "RUN_PREPARATION_FAILED",
      message: "the run could not be prepared: workspace unreadable",
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe.each(APIS as FakeApi[])("%s tool results for the model", (api) => {
  it("hands an image result to the model as an image, not as JSON text", async () => {
    const { runtime } = startRuntime(providerConfig(server, api));
    runtime.tools.register({
      name: "snap",
      description: "Returns a picture",
      parameters: z.object({}),
      execute: async () => ({ kind: "image", mediaType: "image/png", data: PIXEL_PNG }),
      toModelOutput: (result) => {
        const image = result as { mediaType: string; data: string };
        return {
          type: "content",
          value: [
            { type: "text", text: "the picture" },
            { type: "image-data", data: image.data, mediaType: image.mediaType },
          ],
        };
      },
    });
    server.enqueue({ toolCalls: [{ id: "call_img", name: "snap", arguments: {} }] }, { text: "a pixel" });
    await runtime.submit({ sessionKey: "s-image", message: "look" }).done;

    const body = bodyOf(1);
    expect(body).toContain(PIXEL_PNG);
    expect(body).toContain("image/png");
    expect(body).not.toContain('\\"kind\\":\\"image\\"');
  });

  it("cuts a long result with a note saying how much was left out", async () => {
    const { runtime } = startRuntime(providerConfig(server, api));
    runtime.tools.register({
      name: "dump",
      description: "Returns a lot",
      parameters: z.object({}),
      execute: async () => "x".repeat(MAX_TOOL_RESULT_CHARS + 500),
    });
    server.enqueue({ toolCalls: [{ id: "call_dump", name: "dump", arguments: {} }] }, { text: "ok" });
    await runtime.submit({ sessionKey: "s-long", message: "dump" }).done;

    expect(bodyOf(1)).toContain(
      `[tool result truncated: 500 of ${MAX_TOOL_RESULT_CHARS + 500} characters left out]`,
    );
  });
});

describe("what is recorded of a tool result", () => {
  it("gives the model a bulky value in full but keeps a note of it in events and the transcript", async () => {
    const { runtime, transcripts, eventsOf } = startRuntime(providerConfig(server, "openai-completions"));
    const bulky = "A".repeat(MAX_RECORDED_STRING_CHARS + 1);
    runtime.tools.register({
      name: "screenshot",
      description: "Returns a big payload",
      parameters: z.object({}),
      execute: async () => ({ mediaType: "image/png", data: bulky }),
    });
    server.enqueue({ toolCalls: [{ id: "call_big", name: "screenshot", arguments: {} }] }, { text: "seen" });
    const handle = runtime.submit({ sessionKey: "s-bulky", message: "shoot" });
    await handle.done;

    expect(bodyOf(1)).toContain(bulky);
    const recorded = transcripts.entries.get("s-bulky")?.find((entry) => entry.result !== undefined);
    expect(recorded?.result).toMatchObject({ mediaType: "image/png" });
    expect(JSON.stringify(recorded?.result)).toContain(
      `[${bulky.length} characters not recorded; the model received them in full]`,
    );
    expect(JSON.stringify(recorded?.result).length).toBeLessThan(1_000);
    const resultEvent = eventsOf(handle.runId).find((e) => e.stream === "tool" && e.data.phase === "result");
    expect(JSON.stringify(resultEvent?.data).length).toBeLessThan(1_000);
  });
});
