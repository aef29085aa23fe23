import type { GatewayClient, HelloOk } from "@openclaw/client";
import type { ExecApprovalQueue } from "./exec-approval-queue.js";
import type { Route } from "./hash-route.js";

export interface ScreenContext {
  client: GatewayClient;
  hello: HelloOk;
  route: Route;
  /** The shell's live list of pending exec approvals (empty without `operator.approvals`). */
  approvals: ExecApprovalQueue;
  navigate(route: Route): void;
}

/** A mounted screen: its root element, and `dispose` to stop timers and event subscriptions when leaving it. */
export interface Screen {
  element: HTMLElement;
  dispose(): void;
}
