import { randomUUID } from "node:crypto";
import type { AgentTool, ToolContext, ToolModelOutput } from "@openclaw/agent";
import { GatewayError } from "@openclaw/protocol";
import { ToolError } from "@openclaw/tools/config";
import { z } from "zod";
import type { NodeRegistry, NodeSession } from "../nodes/node-registry.js";

/** OpenClaw's default wait for a canvas command on a node. */
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 600_000;
const finite = () => z.number().finite().optional();

/**
 * OpenClaw's `canvas` tool arguments (present, hide, navigate with an optional node, target or url, and placement),
 * plus `eval` (`javaScript`) and `snapshot` (`format`, `maxWidth`, `quality`), which OpenClaw's older canvas tool had
 * and this gateway's Control UI panel answers.
 */
export const CanvasToolArgsSchema = z.object({
  action: z.enum(["present", "hide", "navigate", "eval", "snapshot"]),
  node: z.string().min(1).max(200).optional(),
  target: z.string().min(1).max(2048).optional(),
  url: z.string().min(1).max(2048).optional(),
  x: finite(),
  y: finite(),
  width: finite(),
  height: finite(),
  timeoutMs: z.number().int().positive().max(MAX_TIMEOUT_MS).optional(),
  javaScript: z.string().min(1).max(100_000).optional(),
  format: z.enum(["png", "jpeg"]).optional(),
  maxWidth: z.number().int().positive().max(4096).optional(),
  quality: z.number().min(0).max(1).optional(),
  gatewayUrl: z.string().optional(),
  gatewayToken: z.string().optional(),
});
export type CanvasToolArgs = z.infer<typeof CanvasToolArgsSchema>;

const COMMANDS: Record<CanvasToolArgs["action"], string> = {
  present: "canvas.present",
  hide: "canvas.hide",
  navigate: "canvas.navigate",
  eval: "canvas.eval",
  snapshot: "canvas.snapshot",
};

const NO_PANEL =
  'no canvas panel is connected: open the Control UI\'s Canvas screen and switch on "Let the agent drive this panel" (or connect a node that offers canvas.present)';

/** The canvas-capable node the call means: the one named (id or display name), else the only one connected. */
export function pickCanvasNode(nodes: readonly NodeSession[], query: string | undefined): NodeSession {
  const eligible = nodes.filter((node) => node.commands.includes("canvas.present"));
  if (query !== undefined) {
    const wanted = query.trim().toLowerCase();
    const match = eligible.find(
      (node) => node.nodeId.toLowerCase() === wanted || node.displayName?.toLowerCase() === wanted,
    );
    if (match) return match;
    const ids = eligible.map((node) => node.nodeId).join(", ") || "none";
    throw new ToolError(
      "NOT_FOUND",
      `node "${query}" is not a connected canvas panel (canvas panels: ${ids})`,
    );
  }
  const [only, ...others] = eligible;
  if (!only) throw new ToolError("UNAVAILABLE", NO_PANEL);
  if (others.length > 0) {
    throw new ToolError(
      "NOT_UNIQUE",
      `several canvas panels are connected: pass node, one of ${eligible.map((node) => node.nodeId).join(", ")}`,
    );
  }
  return only;
}

function commandParams(args: CanvasToolArgs): Record<string, unknown> | undefined {
  const target = args.url ?? args.target;
  switch (args.action) {
    case "present": {
      const placement = { x: args.x, y: args.y, width: args.width, height: args.height };
      const placed = Object.values(placement).some((value) => value !== undefined);
      return { ...(target ? { url: target } : {}), ...(placed ? { placement } : {}) };
    }
    case "navigate":
      if (!target)
        throw new ToolError("INVALID_ARGUMENTS", "navigate needs url (a file of the canvas folder)");
      return { url: target };
    case "eval":
      if (!args.javaScript) throw new ToolError("INVALID_ARGUMENTS", "eval needs javaScript");
      return { javaScript: args.javaScript };
    case "snapshot":
      return {
        format: args.format ?? "png",
        ...(args.maxWidth ? { maxWidth: args.maxWidth } : {}),
        ...(args.quality !== undefined ? { quality: args.quality } : {}),
      };
    case "hide":
      return undefined;
  }
}

interface SnapshotPayload {
  format: "png" | "jpeg";
  base64: string;
  width?: number;
  height?: number;
}

function isSnapshot(value: unknown): value is SnapshotPayload {
  const payload = value as Partial<SnapshotPayload> | null;
  return (
    payload !== null &&
    typeof payload === "object" &&
    (payload.format === "png" || payload.format === "jpeg") &&
    typeof payload.base64 === "string"
  );
}

/**
 * The agent's `canvas` tool: drives the canvas panel of a connected node (the Control UI's Canvas screen, or any
 * node declaring `canvas.present`) through `node.invoke`. A snapshot reaches a vision-capable model as an image.
 */
export function createCanvasTool(nodes: Pick<NodeRegistry, "list" | "invoke">): AgentTool {
  return {
    name: "canvas",
    description:
      "Show pages of the gateway's canvas host (files in the workspace's canvas/ folder, served at /__openclaw__/canvas/) " +
      "on a connected canvas panel: present (optionally with url), hide, navigate (url), eval (javaScript, returns its value) " +
      "and snapshot (an image of the page).",
    parameters: CanvasToolArgsSchema,
    async execute(raw: unknown, ctx: ToolContext) {
      const parsed = CanvasToolArgsSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ToolError(
          "INVALID_ARGUMENTS",
          `canvas: ${parsed.error.issues[0]?.message ?? "invalid arguments"}`,
        );
      }
      const args = parsed.data;
      if (args.gatewayUrl !== undefined || args.gatewayToken !== undefined) {
        throw new ToolError(
          "INVALID_ARGUMENTS",
          "gatewayUrl and gatewayToken are not supported: the canvas tool drives the nodes of this gateway; leave them out",
        );
      }
      const node = pickCanvasNode(nodes.list(), args.node);
      const command = COMMANDS[args.action];
      if (!node.commands.includes(command)) {
        throw new ToolError("UNAVAILABLE", `node "${node.nodeId}" does not offer ${command}`);
      }
      const params = commandParams(args);
      let payload: unknown;
      try {
        ({ payload } = await nodes.invoke({
          nodeId: node.nodeId,
          command,
          ...(params ? { params } : {}),
          timeoutMs: args.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          idempotencyKey: randomUUID(),
          sessionKey: ctx.sessionKey,
          signal: ctx.signal,
        }));
      } catch (error) {
        if (error instanceof GatewayError)
          throw new ToolError("UNAVAILABLE", `${command} failed: ${error.message}`);
        throw error;
      }
      const target = args.url ?? args.target;
      if (args.action === "eval") {
        const result = (payload as { result?: unknown } | undefined)?.result;
        return {
          ok: true,
          node: node.nodeId,
          result: typeof result === "string" ? result : JSON.stringify(result),
        };
      }
      if (args.action === "snapshot") {
        if (!isSnapshot(payload)) throw new ToolError("UNAVAILABLE", `node "${node.nodeId}" sent no image`);
        return { ok: true, node: node.nodeId, ...payload };
      }
      return { ok: true, node: node.nodeId, ...(target && args.action !== "hide" ? { url: target } : {}) };
    },
    toModelOutput(result: unknown): ToolModelOutput {
      if (!isSnapshot(result)) return { type: "json", value: result };
      const { base64, ...rest } = result as SnapshotPayload & Record<string, unknown>;
      return {
        type: "content",
        value: [
          { type: "text", text: JSON.stringify(rest) },
          { type: "image-data", data: base64, mediaType: `image/${result.format}` },
        ],
      };
    },
  };
}
