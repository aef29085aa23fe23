/** A channel plugin as `plugins.list` reports it. */
export interface ListedPlugin {
  id: string;
  name: string;
  kind: readonly string[];
}

export interface OverviewChannels {
  /** The configured channels (`status.channels`), or "none configured". */
  present: string;
  /** Channel kinds the gateway can run but has no config section for; empty when there are none. */
  available: string;
}

/**
 * The Overview's channel facts: only a configured channel is present; a registered channel kind without a config
 * section is merely available, and is shown apart from the present ones.
 */
export function overviewChannels(
  configured: readonly string[],
  plugins: readonly ListedPlugin[] | undefined,
): OverviewChannels {
  const present = configured.length > 0 ? configured.join(", ") : "none configured";
  const available = (plugins ?? [])
    .filter((plugin) => plugin.kind.includes("channel") && !configured.includes(plugin.id))
    .map((plugin) => plugin.name);
  return {
    present,
    available:
      available.length > 0
        ? `${available.join(", ")} (not configured; add one with: openclaw config --section channels)`
        : "",
  };
}
