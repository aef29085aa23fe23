import { CLIENT_EVENTS, type GatewayClient, type HelloOk, type ReconnectedEvent } from "@openclaw/client";
import { button, h, replaceChildren } from "./element-builder.js";
import { parseHash, type Route, routeHash, SCREEN_TITLES, SCREENS, type ScreenName } from "./hash-route.js";
import type { Screen, ScreenContext } from "./screen.js";
import { renderChannelsScreen } from "./screens/channels-screen.js";
import { renderChatScreen } from "./screens/chat-screen.js";
import { renderConfigScreen } from "./screens/config-screen.js";
import { renderLogsScreen } from "./screens/logs-screen.js";
import { renderOverviewScreen } from "./screens/overview-screen.js";
import { renderSessionsScreen } from "./screens/sessions-screen.js";

const RENDERERS: Record<ScreenName, (context: ScreenContext) => Screen> = {
  overview: renderOverviewScreen,
  channels: renderChannelsScreen,
  sessions: renderSessionsScreen,
  chat: renderChatScreen,
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
    current = RENDERERS[route.screen]({ client, hello, route, navigate });
    replaceChildren(outlet, current.element);
  };
  const onHashChange = (): void => {
    const route = parseHash(location.hash);
    // Show the canonical address (e.g. `#/overview` for an empty hash) without a history entry or a second render.
    const canonical = routeHash(route);
    if (location.hash !== canonical) history.replaceState(history.state, "", canonical);
    show(route);
  };

  const unsubscribers = [
    client.onClose((info) => {
      if (!info.willReconnect) return;
      banner.textContent = "Connection lost: reconnecting…";
      banner.hidden = false;
    }),
    client.on(CLIENT_EVENTS.reconnected, (payload) => {
      hello = (payload as ReconnectedEvent).hello;
      banner.hidden = true;
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
  return () => {
    window.removeEventListener("hashchange", onHashChange);
    for (const unsubscribe of unsubscribers) unsubscribe();
    current?.dispose();
    current = undefined;
  };
}
