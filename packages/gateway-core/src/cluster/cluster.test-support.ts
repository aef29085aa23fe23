import {
  type ClusterCoordinator,
  createMemoryStorage,
  createMemoryStorageData,
  type SessionStorage,
} from "@openclaw/sessions";
import { afterEach } from "vitest";
import { createLogger, type Logger, type LogRecord } from "../logging/logger.js";
import { type BroadcastHub, type BroadcastTarget, createBroadcastHub } from "../runtime/broadcast-hub.js";

export interface ReceivedEvent {
  event: string;
  payload: unknown;
}

/** A connection as the hub sees it, keeping the events it was sent. */
export class RecordingTarget implements BroadcastTarget {
  readonly isOpen = true;
  readonly received: ReceivedEvent[] = [];
  constructor(
    readonly connId: string,
    readonly scopes: readonly string[] = ["operator.admin"],
  ) {}

  sendBroadcast(frameWithoutClosingBrace: string): void {
    const frame = JSON.parse(`${frameWithoutClosingBrace},"seq":0}`) as { event: string; payload: unknown };
    this.received.push({ event: frame.event, payload: frame.payload });
  }

  named(event: string): unknown[] {
    return this.received.filter((each) => each.event === event).map((each) => each.payload);
  }
}

export function recordingLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { logger: createLogger({ level: "info", sinks: [(record) => records.push(record)] }), records };
}

/** A hub over recording targets: one gateway instance's connections. */
export function localHub(targets: RecordingTarget[]): BroadcastHub {
  return createBroadcastHub({ targets: new Set(targets), stateVersion: () => ({ presence: 0, health: 0 }) });
}

/**
 * Instances of one in-process cluster (the memory storage's coordinators share one hub), closed after each test.
 * `publishes` counts what each instance handed to the port, by topic: the port is real, only observed.
 */
export function useMemoryCluster() {
  const opened: { cluster: ClusterCoordinator; storage: SessionStorage }[] = [];
  afterEach(async () => {
    for (const { cluster, storage } of opened.splice(0)) {
      await cluster.close();
      await storage.close();
    }
  });
  const data = createMemoryStorageData();
  return async function openInstance(instanceId: string) {
    const storage = createMemoryStorage({ data });
    const opening = storage.openCluster;
    if (!opening) throw new Error("the memory storage offers no cluster");
    const cluster = await opening.call(storage, { instanceId });
    opened.push({ cluster, storage });
    const publishes: { topic: string; payload: unknown }[] = [];
    // The memory store never goes away; `setAvailable` plays the outage a database can have.
    let available = true;
    const availabilityListeners = new Set<(available: boolean) => void>();
    const observed: ClusterCoordinator = {
      get instanceId() {
        return cluster.instanceId;
      },
      get available() {
        return available && cluster.available;
      },
      onAvailabilityChange(listener) {
        availabilityListeners.add(listener);
        return () => availabilityListeners.delete(listener);
      },
      join: (info) => cluster.join(info),
      members: () => cluster.members(),
      publish(topic, payload) {
        cluster.publish(topic, payload);
        publishes.push({ topic, payload });
      },
      flush: () => cluster.flush(),
      subscribe: (topic, listener) => cluster.subscribe(topic, listener),
      tryAcquireLease: (name, options) => cluster.tryAcquireLease(name, options),
      acquireLease: (name, options) => cluster.acquireLease(name, options),
      listLeases: (prefix) => cluster.listLeases(prefix),
      claimOnce: (key) => cluster.claimOnce(key),
      clockSkewMs: () => cluster.clockSkewMs(),
      schemaVersion: () => cluster.schemaVersion(),
      close: () => cluster.close(),
    };
    const setAvailable = (next: boolean) => {
      available = next;
      for (const listener of availabilityListeners) listener(next);
    };
    return { cluster: observed, storage, publishes, setAvailable };
  };
}

/** Waits until every instance's published messages were delivered (the memory port delivers in order). */
export async function settle(...clusters: ClusterCoordinator[]): Promise<void> {
  // Twice: what a delivery made an instance publish (a hello's answer, a forwarded reply) is delivered too.
  for (let round = 0; round < 3; round++) {
    for (const cluster of clusters) await cluster.flush();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
