import type { AgentTool } from "@openclaw/agent";
import { z } from "zod";
import { parseToolArgs } from "../fs/fs-tool-context.js";
import type { NodesPort } from "../ports/nodes-port.js";
import { ToolError } from "../tool-error.js";

/** OpenClaw's actions; the device-specific ones need a node that declares the matching command. */
const NODES_TOOL_ACTIONS = [
  "status",
  "describe",
  "pending",
  "approve",
  "reject",
  "notify",
  "camera_snap",
  "camera_list",
  "camera_clip",
  "camera_ptz",
  "photos_latest",
  "screen_record",
  "screen_snapshot",
  "location_get",
  "notifications_list",
  "notifications_action",
  "device_status",
  "device_info",
  "device_permissions",
  "device_health",
  "which",
  "invoke",
] as const;

/** The device actions, each the node command it stands for. */
const DEVICE_COMMANDS: Partial<Record<(typeof NODES_TOOL_ACTIONS)[number], string>> = {
  camera_snap: "camera.snap",
  camera_list: "camera.list",
  camera_clip: "camera.clip",
  photos_latest: "photos.latest",
  screen_record: "screen.record",
  screen_snapshot: "screen.snapshot",
  location_get: "location.get",
  notifications_list: "notifications.list",
  device_status: "device.status",
  device_info: "device.info",
  device_permissions: "device.permissions",
  device_health: "device.health",
};

const TEXT_MAX = 16_384;
const ID_MAX = 512;

export const NodesToolSchema = z.looseObject({
  action: z.enum(NODES_TOOL_ACTIONS),
  node: z
    .string()
    .max(ID_MAX)
    .optional()
    .describe(
      "Node ID, name, or IP. Required for describe and node-targeted actions; use status to discover nodes.",
    ),
  requestId: z.string().max(ID_MAX).optional(),
  title: z.string().max(TEXT_MAX).optional(),
  body: z.string().max(TEXT_MAX).optional(),
  sound: z.string().max(ID_MAX).optional(),
  priority: z.enum(["passive", "active", "timeSensitive"]).optional(),
  delivery: z.enum(["system", "overlay", "auto"]).optional(),
  bins: z
    .array(z.string().min(1).max(ID_MAX))
    .min(1)
    .max(64)
    .optional()
    .describe("which: executable names to resolve on the selected node."),
  invokeCommand: z.string().max(ID_MAX).optional(),
  invokeParamsJson: z
    .string()
    .max(256 * 1024)
    .optional(),
  invokeTimeoutMs: z.int().min(1).max(600_000).optional(),
});
type NodesToolArgs = z.infer<typeof NodesToolSchema>;

function required(value: string | undefined, what: string, action: string): string {
  if (value?.trim()) return value.trim();
  throw new ToolError(
    "INVALID_ARGUMENTS",
    what === "node"
      ? `nodes: ${what} required for ${action}; call nodes with action="status" to list nodes, then retry with node`
      : `nodes: ${what} required for ${action}`,
  );
}

function invokeParams(json: string | undefined): unknown {
  if (json === undefined) return {};
  try {
    return JSON.parse(json);
  } catch {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      'nodes: invokeParamsJson must be a JSON object, e.g. {"bins":["git"]}',
    );
  }
}

/**
 * OpenClaw's `nodes` tool: list and describe paired nodes, handle pairing requests, and reach a node's commands
 * (`notify`, `which`, the device actions, or any declared command with `invoke`). `system.run` is not reachable
 * here, as in OpenClaw: shell commands on a node go through exec approvals.
 */
export function createNodesTool(port: NodesPort): AgentTool {
  return {
    name: "nodes",
    description:
      "Paired nodes: status lists them; pass node to describe/control. Pairing lifecycle (pending/approve/reject), notify (title/body), executable lookup (which + bins), device actions (camera_*, screen_*, location_get, device_*) on nodes that declare them, generic invoke (invokeCommand + invokeParamsJson).",
    parameters: NodesToolSchema,
    async execute(rawArgs, ctx) {
      const args: NodesToolArgs = parseToolArgs("nodes", NodesToolSchema, rawArgs);
      const { action } = args;
      const invoke = (command: string, params: unknown, timeoutMs?: number) =>
        port.invoke({
          node: required(args.node, "node", action),
          command,
          params,
          ...(timeoutMs ? { timeoutMs } : {}),
          sessionKey: ctx.sessionKey,
        });
      switch (action) {
        case "status":
          return port.list();
        case "describe":
          return port.describe(required(args.node, "node", action));
        case "pending":
          return port.pending();
        case "approve":
          return port.approve(required(args.requestId, "requestId", action));
        case "reject":
          return port.reject(required(args.requestId, "requestId", action));
        case "notify": {
          const title = args.title?.trim() ?? "";
          const body = args.body?.trim() ?? "";
          if (!title && !body) throw new ToolError("INVALID_ARGUMENTS", "nodes: title or body required");
          await invoke("system.notify", {
            title,
            body,
            ...(args.sound ? { sound: args.sound } : {}),
            ...(args.priority ? { priority: args.priority } : {}),
            ...(args.delivery ? { delivery: args.delivery } : {}),
          });
          return { ok: true };
        }
        case "which":
          return invoke("system.which", { bins: args.bins ?? [] });
        case "invoke": {
          const command = required(args.invokeCommand, "invokeCommand", action);
          if (command === "system.run" || command === "system.run.prepare") {
            throw new ToolError(
              "DENIED",
              "nodes: invoke cannot run system.run; shell commands on a node go through exec approvals",
            );
          }
          return invoke(command, invokeParams(args.invokeParamsJson), args.invokeTimeoutMs);
        }
        default: {
          const command = DEVICE_COMMANDS[action];
          if (!command) {
            throw new ToolError(
              "INVALID_ARGUMENTS",
              `nodes: action "${action}" needs arguments this gateway does not pass yet; use invoke with the node's own command (see describe)`,
            );
          }
          return invoke(command, {});
        }
      }
    },
  };
}
