import type { ClusterCoordinator, SessionStorage } from "@openclaw/sessions";
import { createChannelAccountStateStore } from "../channels/channel-account-state-store.js";
import { ChannelManager, type PairingStore, type PluginRegistry } from "../channels/index.js";
import { createOutboundMediaLoader } from "../channels/outbound-media-loader.js";
import type { ChatService } from "../chat/chat-service.js";
import { agentRoster, defaultAgentId } from "../config/configured-agents.js";
import type { ConfigPaths, OpenClawConfig } from "../config/index.js";
import type { DiagnosticBus } from "../diagnostics/diagnostic-events.js";
import type { Logger } from "../logging/logger.js";
import { resolveAgentWorkspaceDir } from "../workspace/index.js";
import type { createChatCommandWiring } from "./chat-command-wiring.js";
import type { GatewayRuntimeDeps } from "./gateway-runtime-deps.js";
import type { MediaServices } from "./media-services.js";

/** The channel manager with what it needs: routing config, chat, pairing, media both ways, cursors, leases. */
export function createChannelServices(o: {
  plugins: PluginRegistry;
  config: () => OpenClawConfig;
  chat: ChatService;
  pairing: PairingStore;
  media: MediaServices;
  commands: ReturnType<typeof createChatCommandWiring>;
  storage: SessionStorage | undefined;
  cluster: ClusterCoordinator | undefined;
  paths: ConfigPaths;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  diagnostics: DiagnosticBus;
  deps: Pick<GatewayRuntimeDeps, "channelBackoff" | "channelStartTimeoutMs">;
  onChange(): void;
}): ChannelManager {
  const { config, paths, env, media, storage, cluster, deps } = o;
  return new ChannelManager({
    registry: o.plugins,
    agents: () => agentRoster(config()),
    getConfig: () => ({
      channels: config().channels,
      session: config().session,
      bindings: (config() as { bindings?: unknown }).bindings,
      messages: (config() as { messages?: unknown }).messages,
      agents: config().agents,
    }),
    chat: o.chat,
    pairing: o.pairing,
    logger: o.logger.child({ component: "channels" }),
    stateDir: paths.stateDir,
    ...(storage ? { accountState: createChannelAccountStateStore(storage) } : {}),
    // In a cluster each polled account runs on the instance holding its lease; the others stand by.
    ...(cluster && storage ? { cluster, clusterStorage: storage } : {}),
    onChange: o.onChange,
    defaultAgentId: () => defaultAgentId(config()),
    inboundCommands: o.commands.inbound,
    inboundReactions: o.commands.reactions,
    inboundMedia: media.inbound,
    outboundMedia: createOutboundMediaLoader({
      workspaceDirOf: (agentId) =>
        resolveAgentWorkspaceDir(config(), agentId ?? defaultAgentId(config()), {
          stateDir: paths.stateDir,
          env,
        }),
      mediaRootDir: media.store.rootDir,
    }),
    ...(deps.channelBackoff ? { backoff: deps.channelBackoff } : {}),
    ...(deps.channelStartTimeoutMs ? { startTimeoutMs: deps.channelStartTimeoutMs } : {}),
    diagnostics: o.diagnostics,
  });
}
