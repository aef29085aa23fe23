import { normalizeSessionKey } from "@openclaw/sessions";
import type { MethodHandlers } from "../runtime/method-registry.js";

/**
 * The session methods of OpenClaw's Control UI beside `sessions.list`. `sessions.subscribe` is served: its
 * connection then gets `sessions.changed` when a run starts or ends in a session. `sessions.messages.subscribe`
 * is served too: its connection gets `session.message` for each new transcript line of that session (see
 * runtime/session-message-subscriptions.ts) until `sessions.messages.unsubscribe` or the connection ends. Branches, external session
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
  "sessions.subscribe": (_params, { runtime, connId }) => {
    runtime.sessionEvents.subscribe(connId);
    return { subscribed: true };
  },
  "sessions.messages.subscribe": ({ key, agentId }, { runtime, connId }) => {
    const sessionKey = normalizeSessionKey(key, agentId === undefined ? {} : { agentId });
    runtime.sessionMessages.subscribe(connId, sessionKey);
    return { subscribed: true, key: sessionKey };
  },
  "sessions.messages.unsubscribe": ({ key, agentId }, { runtime, connId }) => {
    const sessionKey = normalizeSessionKey(key, agentId === undefined ? {} : { agentId });
    runtime.sessionMessages.unsubscribe(connId, sessionKey);
    return { subscribed: false, key: sessionKey };
  },
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
