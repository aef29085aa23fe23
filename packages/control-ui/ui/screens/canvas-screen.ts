import { renderCanvasAgentControl } from "../canvas-agent-control.js";
import { CanvasSurface } from "../canvas-surface.js";
import { button, h } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";

/** Ask for a fresh capability this long before the current one expires. */
const CAPABILITY_MARGIN_MS = 30_000;

/**
 * The Canvas panel: pages of the gateway's canvas host (`/__openclaw__/canvas/`, the workspace's `canvas/` folder) in
 * a sandboxed frame, opened by path here or, once "Let the agent drive this panel" is on, by the agent's `canvas`
 * tool: the panel then connects as a node declaring `canvas.present`, `hide`, `navigate`, `eval` and `snapshot`.
 */
export function renderCanvasScreen(context: ScreenContext): Screen {
  const { client } = context;
  const status = new StatusLine("canvas");
  const frame = h("iframe", {
    class: "canvas-frame",
    title: "Canvas",
    "data-testid": "canvas-frame",
    // No allow-same-origin: the page gets an opaque origin, whatever the gateway's headers say.
    sandbox: "allow-scripts allow-forms allow-popups allow-modals",
  });
  const stage = h("div", { class: "canvas-stage", "data-testid": "canvas-stage", hidden: true }, frame);
  let capability: { prefix: string; renewAt: number } | undefined;
  const capabilityPrefix = async (): Promise<string> => {
    if (capability && Date.now() < capability.renewAt) return capability.prefix;
    const answer = (await client.request("plugin.surface.refresh", { surface: "canvas" })) as {
      pluginSurfaceUrls: Record<string, string>;
      expiresAtMs: number;
    };
    const url = answer.pluginSurfaceUrls.canvas;
    if (url === undefined) throw new Error("the gateway offered no canvas surface");
    // Only the path is used: the page is framed from the origin this UI was loaded from.
    capability = {
      prefix: new URL(url).pathname.replace(/\/+$/, ""),
      renewAt: answer.expiresAtMs - CAPABILITY_MARGIN_MS,
    };
    return capability.prefix;
  };
  const surface = new CanvasSurface(frame, capabilityPrefix);
  const shownPath = h("code", { "data-testid": "canvas-path-shown" });
  surface.onChange((state) => {
    stage.hidden = !state.visible;
    shownPath.textContent = state.path ?? "";
  });

  const pathInput = h("input", {
    id: "canvas-path",
    type: "text",
    placeholder: "index.html",
    "data-testid": "canvas-path",
    autocomplete: "off",
  });
  const open = async (): Promise<void> => {
    try {
      await surface.present(pathInput.value);
      status.info(`Showing ${surface.state.path}`);
    } catch (error) {
      status.error(`The canvas page could not be opened: ${errorMessage(error)}`);
    }
  };
  const form = h(
    "form",
    { class: "toolbar", "data-testid": "canvas-open-form" },
    h("label", { for: "canvas-path" }, "Canvas file"),
    pathInput,
    h("button", { type: "submit", "data-testid": "canvas-open" }, "Open"),
    button("Hide", { "data-testid": "canvas-hide" }, () => surface.hide()),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void open();
  });

  const agent = renderCanvasAgentControl(context, surface);

  const element = h(
    "section",
    { "aria-labelledby": "canvas-title", "data-testid": "screen-canvas", class: "canvas-screen" },
    h("h2", { id: "canvas-title" }, "Canvas"),
    form,
    agent.element,
    status.element,
    h("p", { class: "note" }, "Showing: ", shownPath),
    stage,
  );
  return {
    element,
    dispose: () => {
      agent.dispose();
      surface.dispose();
    },
  };
}
