import { normalizeToolName } from "./core-tool-catalog.js";
import type { ToolPolicyLayer } from "./filter-tools.js";
import { GatewayHttpToolsConfigSchema } from "./tool-policy-config.js";

/**
 * Tools `POST /tools/invoke` refuses even when the policy offers them (OpenClaw's DEFAULT_GATEWAY_HTTP_TOOL_DENY,
 * docs: gateway/tools-invoke-http-api.md): shell and process creation, file mutation, session orchestration and the
 * control plane are not for a one-shot HTTP caller. `automations` also covers our `cron` tool (its alias).
 */
export const DEFAULT_HTTP_TOOL_DENY: readonly string[] = [
  "exec",
  "spawn",
  "shell",
  "fs_write",
  "fs_delete",
  "fs_move",
  "apply_patch",
  "terminal",
  "portal",
  "sessions_spawn",
  "sessions_send",
  "conversations_list",
  "conversations_send",
  "conversations_turn",
  "automations",
  "gateway",
  "plugins",
  "nodes",
  "computer",
  "mobile_ui",
  "openclaw",
];

/**
 * The layers `POST /tools/invoke` adds after the tool policy: the default deny list minus what `gateway.tools.allow`
 * exposes, then `gateway.tools.deny`. An unreadable `gateway.tools` keeps the full default list.
 */
export function httpToolDenyLayers(gatewayTools: unknown): ToolPolicyLayer[] {
  const parsed = GatewayHttpToolsConfigSchema.safeParse(gatewayTools ?? {});
  const config = parsed.success ? parsed.data : {};
  const exposed = new Set((config.allow ?? []).map(normalizeToolName));
  const layers: ToolPolicyLayer[] = [
    {
      label: "the default HTTP deny list",
      deny: DEFAULT_HTTP_TOOL_DENY.filter((name) => !exposed.has(normalizeToolName(name))),
      hint: "list it in gateway.tools.allow to invoke it over HTTP",
    },
  ];
  if (config.deny) layers.push({ label: "gateway.tools", deny: config.deny, written: config.deny });
  return layers;
}
