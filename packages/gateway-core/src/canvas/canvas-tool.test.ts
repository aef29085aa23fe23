import type { ToolContext } from "@openclaw/agent";
import { describe, expect, it } from "vitest";
import { NodeRegistry } from "../nodes/node-registry.js";
import { createCanvasTool } from "./canvas-tool.js";

const ctx: ToolContext = {
  sessionKey: "agent:main:main",
  runId: "run-1",
  agentId: "main",
  toolCallId: "call-1",
  signal: new AbortController().signal,
  update: () => {},
};

const CANVAS = ["canvas.present", "canvas.hide", "canvas.navigate", "canvas.eval", "canvas.snapshot"];

/** A real registry whose node answers every invoke with `answer(command, params)` (as a node's result frame). */
function registryAnswering(answer: (command: string, params: unknown) => unknown) {
  const sent: { command: string; params: unknown }[] = [];
  const nodes: NodeRegistry = new NodeRegistry({
    sendTo: (connId, event, payload) => {
      if (event !== "node.invoke.request") return;
      const request = payload as { id: string; nodeId: string; command: string; paramsJSON: string | null };
      const params = request.paramsJSON === null ? undefined : JSON.parse(request.paramsJSON);
      sent.push({ command: request.command, params });
      queueMicrotask(() =>
        nodes.complete(connId, {
          id: request.id,
          nodeId: request.nodeId,
          ok: true,
          payload: answer(request.command, params) as never,
        }),
      );
    },
  });
  return { nodes, sent };
}

describe("canvas tool", () => {
  it("sends OpenClaw's canvas commands to the one canvas panel and answers in OpenClaw's shape", async () => {
    const { nodes, sent } = registryAnswering((command) =>
      command === "canvas.eval" ? { result: "42" } : { visible: true },
    );
    nodes.attach({ nodeId: "shell", connId: "c0", caps: [], commands: ["system.run"] });
    nodes.attach({
      nodeId: "panel",
      connId: "c1",
      displayName: "Control UI canvas",
      caps: ["canvas"],
      commands: CANVAS,
    });
    const tool = createCanvasTool(nodes);
    expect(await tool.execute({ action: "present", url: "deck/index.html", width: 800 }, ctx)).toEqual({
      ok: true,
      node: "panel",
      url: "deck/index.html",
    });
    expect(await tool.execute({ action: "eval", javaScript: "6*7", node: "control ui canvas" }, ctx)).toEqual(
      {
        ok: true,
        node: "panel",
        result: "42",
      },
    );
    expect(await tool.execute({ action: "hide" }, ctx)).toEqual({ ok: true, node: "panel" });
    expect(sent).toEqual([
      {
        command: "canvas.present",
        params: { url: "deck/index.html", placement: { width: 800 } },
      },
      { command: "canvas.eval", params: { javaScript: "6*7" } },
      { command: "canvas.hide", params: undefined },
    ]);
  });

  it("hands a snapshot to the model as an image", async () => {
    const { nodes } = registryAnswering(() => ({
      format: "png",
      base64: "iVBORw0KGgo=",
      width: 10,
      height: 5,
    }));
    nodes.attach({ nodeId: "panel", connId: "c1", caps: ["canvas"], commands: CANVAS });
    const tool = createCanvasTool(nodes);
    const result = await tool.execute({ action: "snapshot", maxWidth: 10 }, ctx);
    expect(tool.toModelOutput?.(result)).toEqual({
      type: "content",
      value: [
        {
          type: "text",
          text: JSON.stringify({ ok: true, node: "panel", format: "png", width: 10, height: 5 }),
        },
        { type: "image-data", data: "iVBORw0KGgo=", mediaType: "image/png" },
      ],
    });
  });

  it("says what to do when no panel, several panels or a wrong argument is given", async () => {
    const { nodes } = registryAnswering(() => ({}));
    const tool = createCanvasTool(nodes);
    await expect(tool.execute({ action: "present" }, ctx)).rejects.toThrow(/Let the agent drive this panel/);
    nodes.attach({ nodeId: "a", connId: "c1", caps: ["canvas"], commands: CANVAS });
    nodes.attach({ nodeId: "b", connId: "c2", caps: ["canvas"], commands: ["canvas.present"] });
    await expect(tool.execute({ action: "present" }, ctx)).rejects.toThrow("pass node, one of a, b");
    await expect(tool.execute({ action: "present", node: "zzz" }, ctx)).rejects.toThrow(
      'node "zzz" is not a connected canvas panel (canvas panels: a, b)',
    );
    await expect(tool.execute({ action: "eval", node: "b", javaScript: "1" }, ctx)).rejects.toThrow(
      'node "b" does not offer canvas.eval',
    );
    await expect(tool.execute({ action: "navigate", node: "a" }, ctx)).rejects.toThrow("navigate needs url");
    await expect(tool.execute({ action: "present", node: "a", gatewayUrl: "ws://x" }, ctx)).rejects.toThrow(
      "gatewayUrl and gatewayToken are not supported",
    );
    await expect(tool.execute({ action: "draw" }, ctx)).rejects.toThrow(/canvas: Invalid option/);
  });
});
