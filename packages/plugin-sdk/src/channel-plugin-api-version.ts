/**
 * The version of the channel plugin contract this SDK defines. A plugin states the version it implements in
 * `apiVersion`; the gateway refuses a plugin whose version it cannot run instead of failing later at a call.
 * It goes up only for a breaking change of `ChannelPlugin`; additive, optional members keep it.
 */
export const CHANNEL_PLUGIN_API_VERSION = 1;

/** True when a plugin that declares `version` can be loaded by this SDK (today: exactly version 1). */
export function isCompatiblePluginApiVersion(version: unknown): boolean {
  return version === CHANNEL_PLUGIN_API_VERSION;
}
