import { CLIENT_EVENTS, type GatewayClient, type HelloOk, type ReconnectedEvent } from "@openclaw/client";
import type { ExecApprovalRecord, ExecApprovalResolution } from "@openclaw/protocol";
import { hasScope } from "./control-ui-scopes.js";
import { button, h, replaceChildren } from "./element-builder.js";
import { ExecApprovalQueue } from "./exec-approval-queue.js";
import { parseHash, type Route, routeHash, SCREEN_TITLES, SCREENS, type ScreenName } from "./hash-route.js";
import type { Screen, ScreenContext } from "./screen.js";
import { renderApprovalsScreen } from "./screens/approvals-screen.js";
import { renderCanvasScreen } from "./screens/canvas-screen.js";
import { renderChannelsScreen } from "./screens/channels-screen.js";
import { renderChatScreen } from "./screens/chat-screen.js";
import { renderConfigScreen } from "./screens/config-screen.js";
import { renderLogsScreen } from "./screens/logs-screen.js";
import { renderOverviewScreen } from "./screens/overview-screen.js";
import { renderSessionsScreen } from "./screens/sessions-screen.js";
import { renderUsageScreen } from "./screens/usage-screen.js";
import { renderWorkspaceScreen } from "./screens/workspace-screen.js";

const RENDERERS: Record<ScreenName, (context: ScreenContext) => Screen> = {
  overview: renderOverviewScreen,
  channels: renderChannelsScreen,
  sessions: renderSessionsScreen,
  chat: renderChatScreen,
  workspace: renderWorkspaceScreen,
  approvals: renderApprovalsScreen,
  usage: renderUsageScreen,
  canvas: renderCanvasScreen,
  config: renderConfigScreen,
  logs: renderLogsScreen,
};

export interface AppShellOptions {
  client: GatewayClient;
  hello: HelloOk;
  signOut(): void;
  /** The link is gone for good (reconnect gave up): back to sign-in with this message. */
  lost(message: string): void;
}

/** The signed-in frame: navigation, connection banner, sign-out, and the screen picked by the URL hash. */
export function mountAppShell(root: HTMLElement, options: AppShellOptions): () => void {
  const { client } = options;
  let hello = options.hello;
  let current: Screen | undefined;
  const outlet = h("main", { id: "content", class: "content", tabindex: -1 });
  const banner = h("p", {
    class: "banner",
    role: "status",
    "data-testid": "connection-banner",
    hidden: true,
  });
  const links = new Map<ScreenName, HTMLAnchorElement>();
  const approvals = new ExecApprovalQueue({ selfConnId: () => hello.server.connId });
  const badge = h("span", { class: "badge", "data-testid": "approvals-badge", hidden: true });
  const nav = h(
    "nav",
    { "aria-label": "Screens" },
    h(
      "ul",
      {},
      ...SCREENS.map((screen) => {
        const link = h(
          "a",
          { href: routeHash({ screen }), "data-testid": `nav-${screen}` },
          SCREEN_TITLES[screen],
          screen === "approvals" ? badge : null,
        );
        links.set(screen, link);
        return h("li", {}, link);
      }),
    ),
  );
  const header = h(
    "header",
    { class: "top" },
    h("span", { class: "brand" }, "OpenClaw"),
    nav,
    h("span", { class: "version", "data-testid": "server-version" }, `v${hello.server.version}`),
    button("Sign out", { "data-testid": "sign-out" }, () => options.signOut()),
  );

  const show = (route: Route): void => {
    current?.dispose();
    for (const [screen, link] of links) {
      if (screen === route.screen) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    document.title = `${SCREEN_TITLES[route.screen]} · OpenClaw Control`;
    const navigate = (next: Route): void => {
      location.hash = routeHash(next);
    };
    current = RENDERERS[route.screen]({ client, hello, route, navigate, approvals });
    replaceChildren(outlet, current.element);
  };
  const onHashChange = (): void => {
    const route = parseHash(location.hash);
    // Show the canonical address (e.g. `#/overview` for an empty hash) without a history entry or a second render.
    const canonical = routeHash(route);
    if (location.hash !== canonical) history.replaceState(history.state, "", canonical);
    show(route);
  };

  const showBadge = (): void => {
    const count = approvals.size;
    badge.hidden = count === 0;
    replaceChildren(badge, String(count), h("span", { class: "visually-hidden" }, " pending"));
  };
  // The badge must count requests from the moment of sign-in, whatever screen is open: the shell loads the list
  // and follows the events itself. A failed load leaves the badge as it was; the Approvals screen reports errors.
  const loadApprovals = async (): Promise<void> => {
    if (!hasScope(hello.auth.scopes, "operator.approvals")) return;
    const list = await client.request("exec.approval.list", {}).catch(() => undefined);
    if (list !== undefined) approvals.replace(list);
  };

  const unsubscribers = [
    approvals.subscribe(showBadge),
    client.on("exec.approval.requested", (payload) => approvals.add(payload as ExecApprovalRecord)),
    client.on("exec.approval.resolved", (payload) => {
      approvals.resolve(payload as ExecApprovalResolution);
    }),
    client.onClose((info) => {
      if (!info.willReconnect) return;
      banner.textContent = "Connection lost: reconnecting…";
      banner.hidden = false;
    }),
    client.on(CLIENT_EVENTS.reconnected, (payload) => {
      hello = (payload as ReconnectedEvent).hello;
      banner.hidden = true;
      // Approvals may have come and gone while the link was down: start again from the gateway's list.
      void loadApprovals();
      onHashChange();
    }),
    client.on(CLIENT_EVENTS.reconnectFailed, (payload) => {
      const error = (payload as { error?: unknown }).error;
      options.lost(`Lost the connection to the gateway${error instanceof Error ? `: ${error.message}` : ""}`);
    }),
  ];

  replaceChildren(root, header, banner, outlet);
  window.addEventListener("hashchange", onHashChange);
  onHashChange();
  void loadApprovals();
  return () => {
    window.removeEventListener("hashchange", onHashChange);
    for (const unsubscribe of unsubscribers) unsubscribe();
    current?.dispose();
    current = undefined;
  };
}
