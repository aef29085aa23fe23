import { randomUUID } from "node:crypto";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { callChecked, useIntegrationEnv } from "../integration/harness.js";
import { newDevice, pairedNode, serveNode } from "./nodes.test-support.js";

const env = useIntegrationEnv();

describe("the agent's nodes tool", () => {
  it("lists the nodes, then reaches one by name: notify and which travel as node.invoke", async () => {
    const fake: FakeModelServer = await startFakeModelServer();
    env.defer(() => fake.close());
    const gateway = await env.start({
      config: {
        models: {
          providers: {
            fake: {
              baseUrl: fake.baseUrlFor("openai-completions"),
              apiKey: "fake-key",
              api: "openai-completions",
              models: [{ id: "fast", name: "Fast fake", contextWindow: 32_000 }],
            },
          },
        },
        agents: { defaults: { model: { primary: "fake/fast" } } },
      },
    });
    const { client } = await env.connect(gateway);
    const device = newDevice();
    const { socket: node } = await pairedNode(env, gateway, client, device, [
      "system.notify",
      "system.which",
    ]);
    await callChecked(client, "node.rename", { nodeId: device.id, displayName: "garage" });
    const invoked: { command: string; params: unknown }[] = [];
    serveNode(node, (request) => {
      invoked.push({ command: request.command, params: JSON.parse(request.paramsJSON ?? "null") });
      const payload = request.command === "system.which" ? { bins: { git: "/usr/bin/git" } } : { ok: true };
      return { id: request.id, nodeId: request.nodeId, ok: true, payloadJSON: JSON.stringify(payload) };
    });
    fake.enqueue(
      {
        toolCalls: [
          { id: "c1", name: "nodes", arguments: { action: "status" } },
          {
            id: "c2",
            name: "nodes",
            arguments: { action: "notify", node: "garage", title: "Hi", body: "from the agent" },
          },
          { id: "c3", name: "nodes", arguments: { action: "which", node: "garage", bins: ["git"] } },
          {
            id: "c4",
            name: "nodes",
            arguments: { action: "invoke", node: "garage", invokeCommand: "system.run" },
          },
        ],
      },
      { text: "done" },
    );
    const ack = await callChecked(client, "chat.send", {
      sessionKey: "main",
      message: "tell the garage node",
      idempotencyKey: randomUUID(),
    });
    await client.waitFor(
      (frame) =>
        frame.event === "chat" &&
        (frame.payload as { runId?: string; state?: string }).runId === ack.runId &&
        (frame.payload as { state?: string }).state === "final",
      { what: "final chat event" },
    );
    expect(
      fake.requests[0]?.body.tools?.map((tool: { function: { name: string } }) => tool.function.name),
    ).toContain("nodes");
    expect(invoked).toEqual([
      { command: "system.notify", params: { title: "Hi", body: "from the agent" } },
      { command: "system.which", params: { bins: ["git"] } },
    ]);
    const toolResults = JSON.stringify(fake.requests[1]?.body.messages);
    expect(toolResults).toContain(device.id);
    expect(toolResults).toContain("/usr/bin/git");
    expect(toolResults).toContain("invoke cannot run system.run");
  });
});
