import type { ChannelChange } from "../channels/channel-account-supervisor.js";
import type { ChannelStateEvent, DiagnosticBus } from "./diagnostic-events.js";

/**
 * Turns the channel manager's account snapshots into `channel.state` events: one per connect, disconnect and
 * restart attempt (snapshots also change for other reasons, which report nothing).
 */
export function channelStateReporter(bus: DiagnosticBus): (change: ChannelChange) => void {
  const last = new Map<string, { connected: boolean; reconnectAttempts: number }>();
  return ({ channel, accountId, snapshot }) => {
    const key = `${channel}\u0000${accountId}`;
    const before = last.get(key) ?? { connected: false, reconnectAttempts: 0 };
    last.set(key, { connected: snapshot.connected, reconnectAttempts: snapshot.reconnectAttempts });
    if (!bus.wants("channel.state")) return;
    let state: ChannelStateEvent["state"] | undefined;
    if (snapshot.connected !== before.connected) state = snapshot.connected ? "connected" : "disconnected";
    else if (snapshot.reconnectAttempts > before.reconnectAttempts) state = "reconnecting";
    if (state) bus.emit({ type: "channel.state", channel, accountId, state });
  };
}
