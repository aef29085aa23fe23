import { definePluginBundle } from "@openclaw/plugin-sdk";
import { createEchoChannelPlugin, type EchoChannelPlugin } from "./echo-channel-plugin.js";
import { createEchoStatsMethod } from "./echo-stats-method.js";

export {
  createEchoChannelPlugin,
  type EchoAccountConfig,
  EchoAccountConfigSchema,
  type EchoAccountStats,
  type EchoChannelPlugin,
  type EchoOutboundMessage,
} from "./echo-channel-plugin.js";
export {
  createEchoStatsMethod,
  type EchoStatsParams,
  EchoStatsParamsSchema,
  type EchoStatsResult,
  EchoStatsResultSchema,
} from "./echo-stats-method.js";

/** A fresh echo plugin as the gateway loads it: the channel and its `echo.stats` method, sharing one state. */
export function createEchoPlugin(): {
  channels: [EchoChannelPlugin];
  methods: [ReturnType<typeof createEchoStatsMethod>];
} {
  const channel = createEchoChannelPlugin();
  return definePluginBundle({ channels: [channel], methods: [createEchoStatsMethod(channel)] });
}

/**
 * The plugin the gateway loads (`plugins.entries["@openclaw/example-channel-echo"]` or `plugins.load.paths`): a
 * bundle, because the module brings a gateway method besides its channel.
 */
const echoPlugin = createEchoPlugin();
export default echoPlugin;
