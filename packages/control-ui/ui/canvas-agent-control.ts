import { CanvasNodeLink, type CanvasNodeStatus } from "./canvas-node-link.js";
import type { CanvasSurface } from "./canvas-surface.js";
import { hasScope } from "./control-ui-scopes.js";
import { loadCredential } from "./credential-store.js";
import { h } from "./element-builder.js";
import { gatewayUrlFromLocation } from "./gateway-url.js";
import type { ScreenContext } from "./screen.js";

const NODE_ID_KEY = "openclaw.control-ui.canvas-node-id";

function canvasNodeInstanceId(): string {
  const stored = sessionStorage.getItem(NODE_ID_KEY);
  if (stored !== null && /^control-ui-canvas-[\w-]{8,64}$/.test(stored)) return stored;
  const created = `control-ui-canvas-${crypto.randomUUID()}`;
  sessionStorage.setItem(NODE_ID_KEY, created);
  return created;
}

function describeNode(status: CanvasNodeStatus): string {
  switch (status.state) {
    case "connecting":
      return "Connecting as a canvas node…";
    case "approving":
      return "Approving this browser as a canvas node…";
    case "connected":
      return `The agent can drive this panel (node ${status.nodeId}).`;
    case "failed":
      return `Not connected as a canvas node: ${status.message}`;
  }
}

/**
 * "Let the agent drive this panel": while on, the panel is a canvas node (see {@link CanvasNodeLink}), so the agent's
 * `canvas` tool reaches it through `node.invoke`. Off by default: switching it on approves this browser as a node.
 */
export function renderCanvasAgentControl(
  context: ScreenContext,
  surface: CanvasSurface,
): { element: HTMLElement; dispose(): void } {
  const { client } = context;
  const nodeStatus = h("p", { class: "status", role: "status", "data-testid": "canvas-node-status" });
  let link: CanvasNodeLink | undefined;
  const canPair = hasScope(context.hello.auth.scopes, "operator.pairing");
  const agentToggle = h("input", {
    id: "canvas-agent",
    type: "checkbox",
    "data-testid": "canvas-agent-toggle",
    disabled: !canPair,
  });
  agentToggle.addEventListener("change", () => {
    if (!agentToggle.checked) {
      void link?.close();
      link = undefined;
      nodeStatus.textContent = "";
      return;
    }
    const credential = loadCredential(sessionStorage);
    link = new CanvasNodeLink({
      url: __OPENCLAW_DEV_GATEWAY_URL__ || gatewayUrlFromLocation(location),
      credential:
        credential?.kind === "token"
          ? { token: credential.secret }
          : credential?.kind === "password"
            ? { password: credential.secret }
            : {},
      instanceId: canvasNodeInstanceId(),
      surface,
      approve: async (requestId) => {
        await client.request("node.pair.approve", { requestId });
      },
      onStatus: (next) => {
        nodeStatus.textContent = describeNode(next);
        nodeStatus.dataset.state = next.state;
      },
    });
    void link.start();
  });

  const element = h(
    "div",
    {},
    h(
      "p",
      { class: "toolbar" },
      agentToggle,
      h(
        "label",
        { for: "canvas-agent" },
        "Let the agent drive this panel (connects this browser as a canvas node)",
      ),
    ),
    canPair
      ? null
      : h("p", { class: "note" }, "Driving the panel from the agent needs the operator.pairing scope."),
    nodeStatus,
  );
  return {
    element,
    dispose: () => {
      void link?.close();
      link = undefined;
    },
  };
}
