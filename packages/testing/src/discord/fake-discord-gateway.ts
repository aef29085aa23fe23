import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { ChannelKind } from "./discord-objects.js";
import type { FakeDiscordState } from "./fake-discord-state.js";
import { record } from "./fake-discord-state.js";

interface GatewayPayload {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

interface Session {
  id: string;
  seq: number;
  /** Dispatches of this session, replayed after a RESUME from the client's last sequence. */
  log: GatewayPayload[];
}

export interface FakeDiscordGatewayStats {
  identifies: number;
  resumes: number;
  heartbeats: number;
  intents?: number;
}

export interface FakeDiscordGateway {
  readonly stats: FakeDiscordGatewayStats;
  readonly sessionEvents: ("ready" | "resumed")[];
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  drop(code: number): void;
  close(): void;
}

/**
 * The JSON gateway WebSocket: HELLO, IDENTIFY/READY + GUILD_CREATE, heartbeat ACK, RESUME/RESUMED with the missed
 * dispatches replayed. Installs `state.dispatch`, which every injected event goes through.
 */
export function createFakeDiscordGateway(
  state: FakeDiscordState,
  options: { heartbeatIntervalMs: number; closeOnIdentify?: number; gatewayUrl: () => string },
): FakeDiscordGateway {
  const stats: FakeDiscordGatewayStats = { identifies: 0, resumes: 0, heartbeats: 0 };
  const sessionEvents: ("ready" | "resumed")[] = [];
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  let session: Session | undefined;
  let live: WebSocket | undefined;

  const send = (socket: WebSocket, payload: GatewayPayload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  };

  state.dispatch = (t, d) => {
    if (session === undefined) return;
    session.seq += 1;
    const payload = { op: 0, t, s: session.seq, d };
    session.log.push(payload);
    if (live !== undefined) send(live, payload);
  };
  state.gatewayIntents = () => stats.intents ?? 0;

  const guildCreate = () => ({
    id: state.guild.id,
    name: state.guild.name,
    icon: null,
    owner_id: "1400000000000000001",
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: new Date().toISOString(),
    roles: [
      { id: state.guild.id, name: "@everyone", permissions: "1024", position: 0, color: 0, hoist: false },
    ],
    emojis: [],
    stickers: [],
    features: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    channels: [...state.channels.values()].filter(
      (known) => known.guild_id === state.guild.id && known.type === ChannelKind.GuildText,
    ),
    threads: [...state.channels.values()].filter((known) => known.type === ChannelKind.PublicThread),
  });

  const onPayload = (socket: WebSocket, payload: GatewayPayload) => {
    const data = record(payload.d);
    switch (payload.op) {
      case 1: {
        stats.heartbeats += 1;
        send(socket, { op: 11 });
        return;
      }
      case 2: {
        if (data.token !== state.token) {
          socket.close(4004, "Authentication failed.");
          return;
        }
        if (options.closeOnIdentify !== undefined) {
          socket.close(options.closeOnIdentify, "fake Discord refused IDENTIFY as configured");
          return;
        }
        stats.identifies += 1;
        stats.intents = Number(data.intents);
        const sessionId = randomUUID().replaceAll("-", "");
        session = { id: sessionId, seq: 0, log: [] };
        live = socket;
        state.dispatch("READY", {
          v: 10,
          user: state.bot,
          session_id: sessionId,
          resume_gateway_url: options.gatewayUrl(),
          guilds: [{ id: state.guild.id, unavailable: true }],
          // A bot's application id is its user id.
          application: { id: state.bot.id, flags: 0 },
          shard: [0, 1],
        });
        state.dispatch("GUILD_CREATE", guildCreate());
        sessionEvents.push("ready");
        state.notify();
        return;
      }
      case 6: {
        if (session === undefined || data.session_id !== session.id || data.token !== state.token) {
          send(socket, { op: 9, d: false });
          return;
        }
        stats.resumes += 1;
        live = socket;
        const after = Number(data.seq);
        for (const missed of session.log) if ((missed.s ?? 0) > after) send(socket, missed);
        state.dispatch("RESUMED", null);
        sessionEvents.push("resumed");
        state.notify();
        return;
      }
      default:
        return;
    }
  };

  return {
    stats,
    sessionEvents,
    handleUpgrade(request, socket, head) {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      wss.handleUpgrade(request, socket, head, (ws) => {
        sockets.add(ws);
        ws.on("close", () => {
          sockets.delete(ws);
          if (live === ws) live = undefined;
        });
        if (url.searchParams.get("encoding") !== "json" || url.searchParams.has("compress")) {
          // This fake speaks only uncompressed JSON; say so rather than send frames the client cannot read.
          ws.close(4002, "fake Discord speaks only encoding=json without compress");
          return;
        }
        ws.on("message", (raw) => {
          let payload: GatewayPayload;
          try {
            payload = JSON.parse(raw.toString()) as GatewayPayload;
          } catch {
            ws.close(4002, "Error while decoding payload.");
            return;
          }
          onPayload(ws, payload);
        });
        send(ws, { op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs } });
      });
    },
    drop(code) {
      live?.close(code, "fake Discord dropped the connection");
    },
    close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
    },
  };
}
