import { type ChannelPlugin, validateChannelPlugin } from "./channel-plugin.js";
import { type GatewayMethod, validateGatewayMethods } from "./gateway-method.js";

/**
 * What a plugin module default-exports when it brings more than one channel plugin: its channels, the gateway
 * methods it serves and its agent tools. A module with only a channel may default-export the channel plugin itself.
 */
export interface PluginBundleV1 {
  // biome-ignore lint/suspicious/noExplicitAny: a bundle holds channels of different config types.
  channels?: readonly ChannelPlugin<any>[];
  // biome-ignore lint/suspicious/noExplicitAny: each method has its own params and result types.
  methods?: readonly GatewayMethod<any, any>[];
  /** Agent tools (`AgentTool` of `@openclaw/agent`: name, description, parameters, execute), checked by the gateway. */
  tools?: readonly unknown[];
}

/** The current plugin bundle shape. */
export type PluginBundle = PluginBundleV1;

/**
 * Declares a plugin bundle. Returns the same object after checking its channels and methods, so a mistake surfaces
 * when the plugin module loads: `export default definePluginBundle({ channels: [echo], methods: [echoStats] })`.
 */
export function definePluginBundle<Bundle extends PluginBundleV1>(bundle: Bundle): Bundle {
  for (const channel of bundle.channels ?? []) validateChannelPlugin(channel);
  if (bundle.methods !== undefined) validateGatewayMethods(bundle.methods, "plugin bundle");
  return bundle;
}
