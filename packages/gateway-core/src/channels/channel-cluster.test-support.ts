import type { InboundMessage, SendTextOptions } from "@openclaw/plugin-sdk";
import {
  type ClusterCoordinator,
  createMemoryStorage,
  createMemoryStorageData,
  type MemoryStorageData,
  type SessionStorage,
} from "@openclaw/sessions";
import { afterEach, beforeEach } from "vitest";
import type { ChannelManager } from "./channel-manager.js";
import {
  createManager,
  Events,
  type FakeChannel,
  type FakeEvent,
  fakeChannel,
} from "./channel-manager.test-support.js";
import { INBOUND_JOURNAL_TABLE } from "./inbound-journal.js";
import { PluginRegistry } from "./plugin-registry.js";

/** Short enough for tests, long enough that a loaded CI machine still renews in time. */
export const TEST_LEASE_TTL_MS = 3_000;
export const TEST_LEASE_RETRY_MS = 60;
/** A graceful stop's drain in tests: short, so a stop in mid-turn leaves the turn to the next owner. */
export const TEST_DRAIN_MS = 100;

/** One gateway instance of an in-process cluster: its manager, its own copy of the fake channel, its events. */
export interface TestInstance {
  id: string;
  manager: ChannelManager;
  fake: FakeChannel;
  events: Events<FakeEvent>;
  storage: SessionStorage;
  cluster: ClusterCoordinator;
}

export let clusterData: MemoryStorageData;
const instances: TestInstance[] = [];

beforeEach(() => {
  clusterData = createMemoryStorageData();
});

afterEach(async () => {
  const open = instances.splice(0);
  await Promise.all(open.map((instance) => instance.manager.stop()));
  await Promise.all(open.map((instance) => instance.cluster.close()));
});

/** Opens instance `id` over the shared memory store, with a fresh fake `alpha` channel registered. */
export async function openInstance(
  id: string,
  o: {
    journal?: boolean;
    channel?: string;
    retryMs?: number;
    drainMs?: number;
    wrapCluster?: (cluster: ClusterCoordinator) => ClusterCoordinator;
  } = {},
): Promise<TestInstance> {
  const storage = createMemoryStorage({ data: clusterData });
  const opened = await storage.openCluster?.({ instanceId: id });
  if (!opened) throw new Error("the memory storage offers no cluster");
  const cluster = o.wrapCluster ? o.wrapCluster(opened) : opened;
  const events = new Events<FakeEvent>();
  const fake = fakeChannel(o.channel ?? "alpha", events);
  const registry = new PluginRegistry();
  registry.registerChannel(fake.plugin);
  const manager = createManager(registry, {
    cluster,
    ...(o.journal === false ? {} : { clusterStorage: storage }),
    leaseTtlMs: TEST_LEASE_TTL_MS,
    leaseRetryMs: o.retryMs ?? TEST_LEASE_RETRY_MS,
    drainMs: o.drainMs ?? TEST_DRAIN_MS,
  });
  const instance = { id, manager, fake, events, storage, cluster: opened };
  instances.push(instance);
  return instance;
}

/** Opens and starts instances a and b, `a` first (so it takes the lease); `a` drains for `drainMs` when stopped. */
export async function startPair(o: { drainMs?: number } = {}): Promise<[TestInstance, TestInstance]> {
  const a = await openInstance("instance-a", o.drainMs === undefined ? {} : { drainMs: o.drainMs });
  const b = await openInstance("instance-b");
  await a.manager.start();
  await b.manager.start();
  return [a, b];
}

export function startsOf(instance: TestInstance): number {
  return instance.events.list.filter((event) => event.kind === "start").length;
}

export function stopsOf(instance: TestInstance): number {
  return instance.events.list.filter((event) => event.kind === "stop").length;
}

export function sendsOf(instance: TestInstance): SendTextOptions[] {
  return instance.events.list.flatMap((event) => (event.kind === "send" ? [event.options] : []));
}

/** Hands a message to the instance's running adapter as the platform would, waiting for `onInbound` (the journal). */
export async function deliver(instance: TestInstance, message: InboundMessage): Promise<void> {
  const context = instance.fake.contexts.get(message.accountId);
  if (!context) throw new Error(`account ${message.accountId} is not running on ${instance.id}`);
  await context.onInbound(message);
}

export async function journalKeys(storage: SessionStorage): Promise<string[]> {
  return (await storage.table(INBOUND_JOURNAL_TABLE).list()).map((row) => row.key);
}

/** Polls `check` until it holds (for state a background timer changes); fails after a generous deadline. */
export async function eventually(check: () => boolean | Promise<boolean>, label: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
