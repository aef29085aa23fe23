import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { SlackEnvelope } from "./slack-objects.js";

const SOCKET_PATH = "/link/";
// Slack pings every connection; clients reconnect when the pings stop (socket-mode: after 30 s).
const SERVER_PING_INTERVAL_MS = 10_000;

/**
 * The Socket Mode side of the fake: single-use connection URLs, `hello`, envelopes (queued while no socket is
 * open), acks with their payloads, pings both ways.
 */
export class FakeSlackSocketMode {
  readonly acks: string[] = [];
  readonly ackPayloads = new Map<string, unknown>();
  readonly sockets = new Set<WebSocket>();
  connectionCount = 0;
  clientPings = 0;
  private readonly tickets = new Set<string>();
  private readonly pending: SlackEnvelope[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private closed = false;

  constructor(
    private readonly appId: string,
    private readonly changed: () => void,
  ) {}

  /** A fresh single-use `wss://` URL for apps.connections.open. */
  connectionUrl(port: number): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `ws://127.0.0.1:${port}${SOCKET_PATH}?ticket=${ticket}&app_id=${this.appId}`;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const ticket = url.searchParams.get("ticket") ?? "";
    // Slack's URLs are single use: a client must call apps.connections.open again to reconnect.
    if (this.closed || url.pathname !== SOCKET_PATH || !this.tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws));
  }

  /** Sends the envelope on an open socket, or queues it for the next `hello`; returns its id. */
  send(envelope: SlackEnvelope): string {
    const socket = [...this.sockets].find((candidate) => candidate.readyState === candidate.OPEN);
    if (socket === undefined) this.pending.push(envelope);
    else socket.send(JSON.stringify(envelope));
    return envelope.envelope_id;
  }

  /** Destroys every connection without a close frame, as a network failure would. */
  drop(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  sendDisconnect(reason: string): void {
    for (const socket of this.sockets) {
      socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake-slack" } }));
    }
  }

  close(): void {
    this.closed = true;
    this.drop();
    this.wss.close();
  }

  private open(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connectionCount += 1;
    ws.on("message", (data) => this.onMessage(String(data)));
    ws.on("ping", () => {
      this.clientPings += 1;
      this.changed();
    });
    const pinger = setInterval(() => ws.ping(), SERVER_PING_INTERVAL_MS);
    pinger.unref();
    ws.on("close", () => {
      clearInterval(pinger);
      this.sockets.delete(ws);
      this.changed();
    });
    ws.on("error", () => this.sockets.delete(ws));
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.sockets.size,
        debug_info: { host: "fake-slack", approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const envelope of this.pending.splice(0)) ws.send(JSON.stringify(envelope));
    this.changed();
  }

  private onMessage(raw: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== "string") return;
    this.acks.push(message.envelope_id);
    // Slack takes the first ack of an envelope; a later one changes nothing.
    if (message.payload !== undefined && !this.ackPayloads.has(message.envelope_id)) {
      this.ackPayloads.set(message.envelope_id, message.payload);
    }
    this.changed();
  }
}
