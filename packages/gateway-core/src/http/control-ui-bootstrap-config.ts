import { defaultAgentId } from "../config/configured-agents.js";
import { listAgents } from "../methods/agents-methods.js";
import type { ControlUiSite } from "../runtime/control-ui-site.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";

const DEFAULT_ASSISTANT_NAME = "Assistant";

/**
 * The start-up settings OpenClaw's Control UI fetches from `<basePath>/control-ui-config.json` (with the gateway
 * token as a bearer) before it connects: the
 * default agent's name and avatar, the base path and the embedding policy. The fields for features this gateway
 * does not have (terminal, CLI agents, plugin frames) say they are off.
 */
export function controlUiBootstrapConfig(runtime: GatewayRuntime, site: ControlUiSite) {
  const config = runtime.configState.config;
  const agentId = defaultAgentId(config);
  const agent = listAgents(runtime).find((each) => each.id === agentId);
  const name = agent?.identity?.name ?? agent?.name ?? DEFAULT_ASSISTANT_NAME;
  return {
    basePath: site.basePath,
    assistantName: name,
    assistantAvatar: agent?.identity?.avatar ?? agent?.identity?.emoji ?? name.slice(0, 1).toUpperCase(),
    assistantAvatarSource: null,
    assistantAvatarStatus: null,
    assistantAvatarReason: null,
    assistantAgentId: agentId,
    serverVersion: runtime.version,
    embedSandbox: "strict",
    allowExternalEmbedUrls: false,
    automaticallyFetchFavicons: false,
    communityInvite: false,
    terminalEnabled: false,
    cliAgentsEnabled: false,
    pluginAssetsRequireAuth: true,
    pluginFrameGrants: [],
  };
}
