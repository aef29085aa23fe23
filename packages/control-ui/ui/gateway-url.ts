export type PageLocation = Pick<Location, "protocol" | "host" | "pathname">;

/**
 * The gateway's WebSocket URL for a page it serves: same host, `wss:` under `https:`, and the page's directory as
 * path. The gateway accepts upgrades on any path; keeping the directory lets a reverse proxy that forwards only
 * `/openclaw/` reach it too.
 */
export function gatewayUrlFromLocation(location: PageLocation): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const directory = location.pathname.slice(0, location.pathname.lastIndexOf("/") + 1) || "/";
  return `${scheme}//${location.host}${directory}`;
}
