import type { StatusResult } from "@openclaw/protocol";
import { formatDuration } from "../duration-format.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
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
  };
  const list = h("dl", { class: "facts", "data-testid": "overview-facts" });
  const status = new StatusLine("overview");
  const render = (): void => {
    replaceChildren(
      list,
      ...Object.entries(LABELS).flatMap(([key, label]) => [
        h("dt", {}, label),
        h("dd", { "data-testid": `overview-${key}` }, facts[key as keyof OverviewFacts]),
      ]),
    );
  };
  let disposed = false;
  const refresh = async (): Promise<void> => {
    status.info("Refreshing…");
    try {
      const [health, gatewayStatus] = await Promise.all([client.request("health"), client.request("status")]);
      if (disposed) return;
      applyStatus(facts, gatewayStatus);
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
    status.element,
  );
  return {
    element,
    dispose: () => {
      disposed = true;
    },
  };
}

function applyStatus(facts: OverviewFacts, status: StatusResult): void {
  facts.uptime = formatDuration(status.uptimeMs);
  facts.version = status.version;
  facts.authMode = status.auth.mode;
  facts.bind = `${status.bind.host}:${status.bind.port} (${status.bind.mode})`;
  facts.sessions = String(status.sessions.count);
  facts.connections = String(status.connections);
  facts.channels = status.channels.length > 0 ? status.channels.join(", ") : "none";
}
