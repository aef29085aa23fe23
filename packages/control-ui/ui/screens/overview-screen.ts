import type { ClusterSummary, StatusResult } from "@openclaw/protocol";
import { formatDuration } from "../duration-format.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import { type ListedPlugin, overviewChannels } from "../overview-channels.js";
import { clusterFact, INSTANCE_COLUMNS, instanceRows } from "../overview-instances.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";

interface OverviewFacts {
  health: string;
  uptime: string;
  version: string;
  authMode: string;
  bind: string;
  sessions: string;
  connections: string;
  channels: string;
  availableChannels: string;
  cluster: string;
}

const LABELS: Record<keyof OverviewFacts, string> = {
  health: "Health",
  uptime: "Uptime",
  version: "Version",
  authMode: "Auth mode",
  bind: "Bind",
  sessions: "Sessions",
  connections: "Connections",
  channels: "Channels",
  availableChannels: "Available",
  cluster: "Cluster",
};

export function renderOverviewScreen(context: ScreenContext): Screen {
  const { hello, client } = context;
  const snapshot = hello.snapshot;
  const facts: OverviewFacts = {
    health: snapshot.health.ok === true ? "ok" : "unknown",
    uptime: formatDuration(snapshot.uptimeMs),
    version: hello.server.version,
    authMode: snapshot.authMode ?? "unknown",
    bind: "…",
    sessions: snapshot.health.sessions ? String(snapshot.health.sessions.count) : "…",
    connections: "…",
    channels: "…",
    availableChannels: "",
    cluster: "",
  };
  const list = h("dl", { class: "facts", "data-testid": "overview-facts" });
  const instances = h("div", { "data-testid": "overview-instances" });
  const status = new StatusLine("overview");
  const render = (): void => {
    replaceChildren(
      list,
      ...Object.entries(LABELS).flatMap(([key, label]) => {
        const value = facts[key as keyof OverviewFacts];
        // An empty fact (no channel kind left to add) has no row at all.
        if (value === "") return [];
        return [h("dt", {}, label), h("dd", { "data-testid": `overview-${key}` }, value)];
      }),
    );
  };
  let disposed = false;
  const refresh = async (): Promise<void> => {
    status.info("Refreshing…");
    try {
      const [health, gatewayStatus, plugins] = await Promise.all([
        client.request("health"),
        client.request("status"),
        // Only for the "Available" row: an Overview without it is still right.
        client.request("plugins.list").then(
          (result) => result.plugins,
          () => undefined,
        ),
      ]);
      if (disposed) return;
      applyStatus(facts, gatewayStatus, plugins);
      renderInstances(instances, gatewayStatus.cluster);
      facts.health = health.ok ? "ok" : "failing";
      render();
      status.info(`Updated ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      if (!disposed) status.error(errorMessage(error));
    }
  };
  render();
  void refresh();
  const element = h(
    "section",
    { "aria-labelledby": "overview-title", "data-testid": "screen-overview" },
    h("h2", { id: "overview-title" }, "Overview"),
    button("Refresh", { "data-testid": "overview-refresh" }, () => void refresh()),
    list,
    instances,
    status.element,
  );
  return {
    element,
    dispose: () => {
      disposed = true;
    },
  };
}

function applyStatus(
  facts: OverviewFacts,
  status: StatusResult,
  plugins: readonly ListedPlugin[] | undefined,
): void {
  facts.uptime = formatDuration(status.uptimeMs);
  facts.version = status.version;
  facts.authMode = status.auth.mode;
  facts.bind = `${status.bind.host}:${status.bind.port} (${status.bind.mode})`;
  facts.sessions = String(status.sessions.count);
  facts.connections = String(status.connections);
  const channels = overviewChannels(status.channels, plugins);
  facts.channels = channels.present;
  facts.availableChannels = channels.available;
  facts.cluster = status.cluster ? clusterFact(status.cluster) : "";
}

/** Several gateways sharing one store: one row per instance (nothing for a gateway that runs alone). */
function renderInstances(container: HTMLElement, cluster: ClusterSummary | undefined): void {
  if (!cluster) {
    replaceChildren(container);
    return;
  }
  const rows = instanceRows(cluster, Date.now());
  replaceChildren(
    container,
    h("h3", {}, "Instances"),
    h(
      "table",
      { "data-testid": "overview-instances-table" },
      h("thead", {}, h("tr", {}, ...INSTANCE_COLUMNS.map(([, label]) => h("th", {}, label)))),
      h(
        "tbody",
        {},
        ...rows.map((row) =>
          h("tr", { "data-state": row.state }, ...INSTANCE_COLUMNS.map(([key]) => h("td", {}, row[key]))),
        ),
      ),
    ),
  );
}
