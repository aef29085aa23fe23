import { normalizeSessionKey } from "@openclaw/sessions";
import type { MethodHandlers } from "../runtime/method-registry.js";

/**
 * The session methods of OpenClaw's Control UI beside `sessions.list`. Live session events (`sessions.changed`,
 * `session.message`) are not sent by this gateway yet, so the subscriptions answer `subscribed: false` and the UI
 * keeps refreshing by itself (it re-reads history on each `chat` final event). Branches, external session
 * catalogs, groups, companion and discussion threads and pull-request tracking are features this gateway does not
 * have: they answer OpenClaw's empty shapes.
 */
export const controlUiCompatSessionsMethods: Pick<
  MethodHandlers,
  | "sessions.subscribe"
  | "sessions.messages.subscribe"
  | "sessions.messages.unsubscribe"
  | "sessions.viewers.set"
  | "sessions.observer.visibility"
  | "sessions.describe"
  | "sessions.branches.list"
  | "sessions.companion.state"
  | "session.discussion.info"
  | "sessions.catalog.list"
  | "sessions.groups.list"
  | "sessions.groups.defaults"
  | "controlUi.sessionPullRequests.subscribe"
> = {
  "sessions.subscribe": () => ({ subscribed: false }),
  "sessions.messages.subscribe": ({ key }) => ({ subscribed: false, key: normalizeSessionKey(key) }),
  "sessions.messages.unsubscribe": ({ key }) => ({ subscribed: false, key: normalizeSessionKey(key) }),
  // Which sessions a client shows only steers OpenClaw's presence hints; the keys are acknowledged as given.
  "sessions.viewers.set": ({ sessionKeys }) => ({
    sessionKeys: sessionKeys.map((key) => normalizeSessionKey(key)),
  }),
  "sessions.observer.visibility": () => ({ ok: true as const }),
  "sessions.describe": async ({ key }, { runtime }) => ({
    session: (await runtime.sessions.get(normalizeSessionKey(key))) ?? null,
  }),
  "sessions.branches.list": () => ({ branches: [] }),
  "sessions.companion.state": () => ({ exchanges: [] }),
  "session.discussion.info": () => ({ state: "none" as const }),
  "sessions.catalog.list": () => ({ catalogs: [] }),
  "sessions.groups.list": () => ({ groups: [], sectionOrder: [] }),
  "sessions.groups.defaults": () => ({ defaults: [] }),
  "controlUi.sessionPullRequests.subscribe": () => ({ subscribed: false as const }),
};
