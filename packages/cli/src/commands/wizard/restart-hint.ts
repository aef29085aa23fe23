import type { OpenClawConfig } from "@openclaw/gateway";
import { cliCommand } from "../../cli-invocation.js";
import type { ConfigDraft } from "./config-draft.js";

type Gateway = typeof import("@openclaw/gateway");

/** The document as the gateway reads it (defaults filled in), or the document itself when it does not parse. */
function asGatewaySees(gateway: Gateway, document: Record<string, unknown>, configPath: string) {
  const parsed = gateway.validateConfigText(JSON.stringify(document), configPath);
  return parsed.ok ? parsed.config : (document as OpenClawConfig);
}

/**
 * What a running gateway does with the saved changes, by gateway-core's own reload plan (the one the gateway runs
 * when the file changes): a line naming the paths that need a restart, or that it applies them by itself. Nothing
 * about restarting when no changed path needs one.
 */
export async function restartHint(draft: ConfigDraft, configPath: string): Promise<string> {
  const gateway = await import("@openclaw/gateway");
  const before = asGatewaySees(gateway, draft.original, configPath);
  const after = asGatewaySees(gateway, draft.document, configPath);
  const plan = gateway.planConfigReload(before, after, after.gateway?.reload?.mode ?? "hybrid");
  const cli = cliCommand();
  if (plan.action === "restart") {
    const paths = plan.restartPaths.length > 0 ? plan.restartPaths : plan.hotPaths;
    return `A running gateway restarts by itself to apply ${paths.join(", ")} (gateway.reload.mode ${plan.mode}). Not running? Start it: ${cli} gateway`;
  }
  if (plan.restartRequired) {
    return `Restart needed for ${plan.restartPaths.length > 0 ? plan.restartPaths.join(", ") : plan.hotPaths.join(", ")} (gateway.reload.mode ${plan.mode}): stop and start \`${cli} gateway\`, or \`${cli} gateway restart\` for the service.`;
  }
  return `Next: ${cli} gateway   (a running gateway applies these changes without a restart)`;
}
