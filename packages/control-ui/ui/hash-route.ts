export const SCREENS = [
  "overview",
  "channels",
  "sessions",
  "chat",
  "workspace",
  "approvals",
  "usage",
  "canvas",
  "config",
  "logs",
] as const;
export type ScreenName = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<ScreenName, string> = {
  overview: "Overview",
  channels: "Channels",
  sessions: "Sessions",
  chat: "Chat",
  workspace: "Workspace",
  approvals: "Approvals",
  usage: "Usage",
  canvas: "Canvas",
  config: "Config",
  logs: "Logs",
};

export interface Route {
  screen: ScreenName;
  /** Screen-specific, e.g. the session key on `#/chat/<key>`. */
  param?: string;
}

/** `#/chat/agent%3Amain%3Amain` -> `{ screen: "chat", param: "agent:main:main" }`; anything unknown -> overview. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, "");
  const slash = path.indexOf("/");
  const name = slash === -1 ? path : path.slice(0, slash);
  const screen = SCREENS.find((candidate) => candidate === name) ?? "overview";
  if (slash === -1 || screen !== name) return { screen };
  const raw = path.slice(slash + 1);
  if (raw === "") return { screen };
  try {
    return { screen, param: decodeURIComponent(raw) };
  } catch {
    return { screen };
  }
}

export function routeHash(route: Route): string {
  return route.param === undefined
    ? `#/${route.screen}`
    : `#/${route.screen}/${encodeURIComponent(route.param)}`;
}
