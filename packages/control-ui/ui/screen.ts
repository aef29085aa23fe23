import type { GatewayClient, HelloOk } from "@openclaw/client";
import type { Route } from "./hash-route.js";

export interface ScreenContext {
  client: GatewayClient;
  hello: HelloOk;
  route: Route;
  navigate(route: Route): void;
}

/** A mounted screen: its root element, and `dispose` to stop timers and event subscriptions when leaving it. */
export interface Screen {
  element: HTMLElement;
  dispose(): void;
}
