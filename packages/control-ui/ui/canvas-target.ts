/** Where the gateway serves canvas files and the A2UI renderer (OpenClaw's paths). */
export const CANVAS_PATH = "/__openclaw__/canvas/";
const HOSTED_PREFIXES = ["/__openclaw__/canvas/", "/__openclaw__/a2ui/"];
const CAPABILITY = /^\/__openclaw__\/cap\/[\w-]+(?=\/)/;

export type CanvasTarget = { ok: true; path: string } | { ok: false; error: string };

/**
 * The gateway path a `canvas.present` / `canvas.navigate` target names. Accepted: a hosted path
 * (`/__openclaw__/canvas/...`, `/__openclaw__/a2ui/...`), the same under a capability prefix or as a full URL of
 * this gateway (only the path is kept: the panel adds its own capability), or a path relative to the canvas folder
 * (`deck/index.html`). Any other site, scheme or local file is refused: the panel shows only the canvas host.
 */
export function resolveCanvasTarget(target: string, gatewayOrigin: string): CanvasTarget {
  const trimmed = target.trim();
  if (trimmed === "") return { ok: true, path: CANVAS_PATH };
  if (trimmed.length > 2048) return { ok: false, error: "canvas target too long (2048 characters at most)" };
  let url: URL;
  try {
    const absolute = trimmed.startsWith("/") || /^[a-z][\w+.-]*:/i.test(trimmed);
    url = new URL(absolute ? trimmed : CANVAS_PATH + trimmed, gatewayOrigin);
  } catch {
    return { ok: false, error: `not a canvas path: ${trimmed}` };
  }
  if (url.origin !== gatewayOrigin) {
    return {
      ok: false,
      error: `${url.origin === "null" ? url.protocol : url.origin} is not this gateway: the canvas shows only files under ${CANVAS_PATH}`,
    };
  }
  const path = url.pathname.replace(CAPABILITY, "");
  if (!HOSTED_PREFIXES.some((prefix) => path.startsWith(prefix) || `${path}/` === prefix)) {
    return {
      ok: false,
      error: `${path} is not a canvas path: use ${CANVAS_PATH}<file> or a file in the canvas folder`,
    };
  }
  return { ok: true, path: `${path}${url.search}${url.hash}` };
}
