import {
  assertClusterTopic,
  type ClusterListener,
  ClusterSubscriptions,
  serializeClusterPayload,
} from "@openclaw/sessions";
import pg from "pg";
import {
  type ClusterConnection,
  type ClusterConnectionOptions,
  type ClusterLogger,
  clientConfig,
} from "./cluster-connection.js";
import {
  type ClusterNotification,
  eventHead,
  eventOpening,
  inlineEvent,
  parseNotification,
} from "./cluster-notifications.js";
import type { ClusterStatements } from "./cluster-statements.js";

/** Inline notifications sent in one statement at most (a burst of small events costs one round trip per batch). */
const MAX_BATCH = 200;
/**
 * A batch goes out no sooner than this after the previous one, unless `flush` is waiting: a turn's events (a user
 * line, the run's start, deltas, the final), published a few ms apart, then share a NOTIFY transaction instead of
 * taking one each (each wakes every listener and takes the server's notification lock at commit). The first event
 * after a quiet spell goes out at once; one while a batch is out waits at most this long.
 */
export const COALESCE_MS = 10;
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

interface Outgoing {
  topic: string;
  json: string;
  seq: number;
}

/**
 * Events between instances over LISTEN/NOTIFY on the schema's channel. Publishing: one serial queue, so each
 * NOTIFY is committed after the previous one and every receiver sees this instance's order; what is published
 * while a batch is out gathers for up to COALESCE_MS into the next one (`flush` cuts that wait). Receiving: one
 * dedicated connection LISTENs (reconnecting with backoff when it drops); notifications are handled one after the
 * other in arrival order, also when one must first read its large payload from `cluster_events`.
 */
export class ClusterEvents {
  private seq = 0;
  private readonly outgoing: Outgoing[] = [];
  private draining: Promise<void> | undefined;
  private lastBatchAt = Number.NEGATIVE_INFINITY;
  private flushWanted = false;
  private wakeDrain: (() => void) | undefined;
  private readonly subscriptions: ClusterSubscriptions;
  private listener: pg.Client | undefined;
  private receiving: Promise<void> = Promise.resolve();
  private readonly lastSeq = new Map<string, number>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_FIRST_MS;
  private stopped = false;
  /** How this instance's own events begin: they come back to its listener too, and are skipped unparsed. */
  private readonly ownEvents: string;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly sql: ClusterStatements,
    private readonly connectionOptions: ClusterConnectionOptions,
    private readonly channel: string,
    private readonly onRelease: (name: string) => void,
    private readonly logger?: ClusterLogger,
  ) {
    this.subscriptions = new ClusterSubscriptions(logger);
    this.ownEvents = eventOpening(connectionOptions.instanceId);
  }

  private get instanceId(): string {
    return this.connectionOptions.instanceId;
  }

  /** Connects the listener; fails (mapped) when the server cannot be reached, so `openCluster` fails too. */
  async start(): Promise<void> {
    try {
      await this.connectListener();
    } catch (error) {
      throw this.connection.failed(error);
    }
  }

  publish(topic: string, payload: unknown): void {
    assertClusterTopic(topic);
    const json = serializeClusterPayload(payload);
    if (this.stopped || this.connection.isClosed) {
      this.logger?.warn("cluster.publish_after_close", { topic });
      return;
    }
    this.seq += 1;
    this.outgoing.push({ topic, json, seq: this.seq });
    this.draining ??= this.drain();
  }

  /** Resolves once everything published before is committed; a batch waiting to coalesce goes out now. */
  flush(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    this.flushWanted = true;
    this.wakeDrain?.();
    return this.draining;
  }

  subscribe(topic: string, listener: ClusterListener): () => void {
    return this.subscriptions.subscribe(topic, listener);
  }

  /** Stops listening: UNLISTEN and end the listener's connection (the caller bounds how long it waits). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listener;
    this.listener = undefined;
    this.subscriptions.clear();
    if (!client) return;
    await client.query(`UNLISTEN "${this.channel}"`).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    while (this.outgoing.length > 0) {
      await this.coalesce();
      this.lastBatchAt = performance.now();
      const first = this.outgoing[0] as Outgoing;
      const head = eventHead(this.instanceId, first.topic, first.seq);
      const inline = inlineEvent(head, first.json);
      try {
        if (inline === undefined) {
          this.outgoing.shift();
          await this.connection.untilClosed(this.sql.notifyLarge, [this.channel, first.json, head]);
          continue;
        }
        const batch = [inline];
        this.outgoing.shift();
        while (batch.length < MAX_BATCH && this.outgoing.length > 0) {
          const next = this.outgoing[0] as Outgoing;
          const text = inlineEvent(eventHead(this.instanceId, next.topic, next.seq), next.json);
          if (text === undefined) break;
          batch.push(text);
          this.outgoing.shift();
        }
        await this.connection.untilClosed(this.sql.notifyMany, [this.channel, batch]);
      } catch (error) {
        // At most once: what could not be handed to the store is dropped (receivers see a gap in `s`).
        this.logger?.warn("cluster.publish_failed", { error: String(error) });
      }
    }
    // In the same step as the last check of `outgoing`: a publish from here on starts a new drain.
    this.draining = undefined;
    this.flushWanted = false;
  }

  /** Waits until COALESCE_MS after the previous batch, unless a full batch waits or `flush` (or close) wants it. */
  private async coalesce(): Promise<void> {
    const wait = this.lastBatchAt + COALESCE_MS - performance.now();
    if (wait <= 0 || this.outgoing.length >= MAX_BATCH) return;
    if (this.flushWanted || this.stopped || this.connection.isClosed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.wakeDrain = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeDrain = undefined;
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client(clientConfig(this.connectionOptions, "listen"));
    const lost = (error?: Error) => this.listenerLost(client, error);
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (message) => {
      if (this.listener === client && message.channel === this.channel) this.received(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  private listenerLost(client: pg.Client, error?: Error): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger?.warn("cluster.listener_lost", { error: error?.message ?? "connection ended" });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connectListener().then(
        () => {
          this.reconnectDelay = RECONNECT_FIRST_MS;
          this.connection.setAvailable(true);
          this.logger?.info("cluster.listener_reconnected", {});
        },
        (reconnectError: unknown) => {
          this.connection.failed(reconnectError);
          this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
  }

  private received(text: string | undefined): void {
    // Skipped before parsing (JSON and schema): this instance's releases, which wake its own waiters, are not.
    if (text?.startsWith(this.ownEvents)) return;
    const notification = parseNotification(text);
    if (!notification) {
      this.logger?.warn("cluster.notification_ignored", { bytes: text?.length ?? 0 });
      return;
    }
    if (notification.kind === "release") {
      this.onRelease(notification.name);
      return;
    }
    if (notification.origin === this.instanceId) return;
    this.noteSeq(notification.origin, notification.seq);
    if (!this.subscriptions.has(notification.topic)) return;
    // Serial, in arrival order: a large event's read holds back the ones behind it.
    this.receiving = this.receiving.then(() => this.handle(notification));
  }

  private async handle(notification: ClusterNotification): Promise<void> {
    if (notification.kind === "release") return;
    let payload: unknown;
    if (notification.kind === "event") payload = notification.payload;
    else {
      try {
        const result = await this.connection.untilClosed<{ payload: string }>(this.sql.readEvent, [
          notification.eventId,
        ]);
        const row = result.rows[0];
        if (!row) {
          this.logger?.warn("cluster.event_missing", { eventId: notification.eventId });
          return;
        }
        payload = JSON.parse(row.payload);
      } catch (error) {
        this.logger?.warn("cluster.event_read_failed", {
          eventId: notification.eventId,
          error: String(error),
        });
        return;
      }
    }
    this.subscriptions.deliver(notification.topic, payload, notification.origin);
  }

  private noteSeq(origin: string, seq: number): void {
    const last = this.lastSeq.get(origin);
    if (last !== undefined && seq > last + 1) {
      this.logger?.warn("cluster.events_missed", { origin, missed: seq - last - 1 });
    }
    // Bounded: instance ids change with every restart; forgetting old ones only costs one unreported gap.
    if (last === undefined && this.lastSeq.size >= 1_000) this.lastSeq.clear();
    this.lastSeq.set(origin, seq);
  }
}
