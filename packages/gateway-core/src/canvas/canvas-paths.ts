/** Where OpenClaw serves hosted canvas documents on the gateway port. */
export const CANVAS_HOST_PATH = "/__openclaw__/canvas";
/** Where OpenClaw serves its A2UI renderer assets on the gateway port. */
export const A2UI_PATH = "/__openclaw__/a2ui";
/** OpenClaw's prefix of a capability-scoped URL: `/__openclaw__/cap/<capability>/__openclaw__/canvas/...`. */
export const CAPABILITY_PATH_PREFIX = "/__openclaw__/cap";
/** The event stream a canvas page listens on for live reload (under the same capability prefix as the page). */
export const LIVE_RELOAD_PATH = "/__openclaw__/canvas-events";

export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Whether a request path belongs to the canvas host (its own paths, or any capability-scoped path). */
export function isCanvasHostPath(path: string): boolean {
  return (
    isUnder(path, CANVAS_HOST_PATH) ||
    isUnder(path, A2UI_PATH) ||
    path === LIVE_RELOAD_PATH ||
    path.startsWith(`${CAPABILITY_PATH_PREFIX}/`)
  );
}

/** Splits `/__openclaw__/cap/<capability>/<rest>` into its capability and the path it scopes. */
export function splitCapability(path: string): { capability?: string; rest: string } {
  if (!path.startsWith(`${CAPABILITY_PATH_PREFIX}/`)) return { rest: path };
  const tail = path.slice(CAPABILITY_PATH_PREFIX.length + 1);
  const slash = tail.indexOf("/");
  return slash < 0
    ? { capability: tail, rest: "/" }
    : { capability: tail.slice(0, slash), rest: tail.slice(slash) };
}
