import { LIVE_RELOAD_PATH } from "./canvas-paths.js";

/**
 * The script the host adds to every canvas HTML page. It reloads the page when the live-reload stream says so, and
 * answers the embedding Control UI (a `postMessage` from the parent frame of the gateway's own origin) when the panel
 * acts as a canvas surface: `eval` runs JavaScript in the page, `snapshot` draws the page into a PNG. The page runs
 * in a sandbox with an opaque origin, so nothing in it can reach the Control UI's storage.
 */
const liveReloadBlock = `  if (typeof EventSource === "function") {
    const events = new EventSource(prefix + ${JSON.stringify(LIVE_RELOAD_PATH)});
    events.addEventListener("reload", () => location.reload());
  }
`;

export function canvasClientScript(options: { liveReload: boolean }): string {
  return `<script data-openclaw-canvas>(() => {
  const prefix = (location.pathname.match(/^\\/__openclaw__\\/cap\\/[^/]+/) || [""])[0];
${options.liveReload ? liveReloadBlock : ""}  const describe = (value) => {
    if (typeof value === "string") return value;
    if (value === undefined) return "undefined";
    try { return JSON.stringify(value) ?? String(value); } catch { return String(value); }
  };
  const snapshot = async (params) => {
    const root = document.documentElement;
    const width = Math.max(1, Math.min(4096, root.scrollWidth || innerWidth));
    const height = Math.max(1, Math.min(4096, root.scrollHeight || innerHeight));
    const clone = root.cloneNode(true);
    for (const script of clone.querySelectorAll("script")) script.remove();
    const xhtml = new XMLSerializer().serializeToString(clone);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height + '">' +
      '<foreignObject width="100%" height="100%">' + xhtml + "</foreignObject></svg>";
    const image = new Image();
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
    await image.decode();
    const maxWidth = Number.isFinite(params.maxWidth) && params.maxWidth > 0 ? params.maxWidth : width;
    const scale = Math.min(1, maxWidth / width);
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = getComputedStyle(document.body || root).backgroundColor || "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const format = params.format === "jpeg" ? "jpeg" : "png";
    const quality = Number.isFinite(params.quality) ? params.quality : 0.9;
    const url = canvas.toDataURL("image/" + format, quality);
    return { format, base64: url.slice(url.indexOf(",") + 1), width: canvas.width, height: canvas.height };
  };
  addEventListener("message", async (event) => {
    const data = event.data;
    if (event.source !== parent || event.origin !== location.origin) return;
    if (!data || data.type !== "openclaw:canvas:request" || typeof data.id !== "string") return;
    const reply = (body) => parent.postMessage({ type: "openclaw:canvas:response", id: data.id, ...body }, location.origin);
    try {
      if (data.command === "eval") {
        const value = await (0, eval)(String(data.params && data.params.javaScript));
        reply({ ok: true, result: { result: describe(value) } });
      } else if (data.command === "snapshot") {
        reply({ ok: true, result: await snapshot(data.params || {}) });
      } else {
        reply({ ok: false, error: "unknown canvas page command " + String(data.command) });
      }
    } catch (error) {
      reply({ ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
  if (parent !== window) parent.postMessage({ type: "openclaw:canvas:ready", href: location.href }, location.origin);
})();</script>`;
}

/** Adds the client script just before `</body>` (or `</html>`, or at the end when the page has neither). */
export function injectCanvasClient(html: string, script: string): string {
  for (const tag of [/<\/body\s*>/gi, /<\/html\s*>/gi]) {
    let last = -1;
    for (const match of html.matchAll(tag)) last = match.index;
    if (last >= 0) return html.slice(0, last) + script + html.slice(last);
  }
  return html + script;
}
