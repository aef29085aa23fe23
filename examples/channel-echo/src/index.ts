import { createEchoChannelPlugin } from "./echo-channel-plugin.js";

export {
  createEchoChannelPlugin,
  type EchoAccountConfig,
  EchoAccountConfigSchema,
  type EchoChannelPlugin,
  type EchoOutboundMessage,
} from "./echo-channel-plugin.js";

/** The plugin the gateway loads: `plugins.entries["@openclaw/example-channel-echo"]` imports this default export. */
const echoChannelPlugin = createEchoChannelPlugin();
export default echoChannelPlugin;
