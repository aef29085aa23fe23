import type { PresenceEntry } from "@openclaw/protocol";
import type { ClusterCoordinator } from "@openclaw/sessions";
import { afterEach, describe, expect, it } from "vitest";
import { PresenceRegistry } from "../runtime/presence-registry.js";
import { recordingLogger, settle, useMemoryCluster } from "./cluster.test-support.js";
import { ClusterPresenceRegistry, createPresenceRegistry, PRESENCE_TOPIC } from "./cluster-presence.js";

const openInstance = useMemoryCluster();
const registries: ClusterPresenceRegistry[] = [];
afterEach(() => {
  for (const registry of registries.splice(0)) registry.close();
});

function entry(host: string): PresenceEntry {
  return { host, mode: "ui", reason: "connect", ts: 1_700_000_000_000 };
}

/** One instance's presence, with its own clock (staleness is judged on the receiving side). */
async function instance(id: string, options: { heartbeatMs?: number; staleMs?: number } = {}) {
  const { cluster } = await openInstance(id);
  const clock = { now: 1_700_000_000_000 };
  let remoteChanges = 0;
  const presence = new ClusterPresenceRegistry({
    cluster,
    logger: recordingLogger().logger,
    onRemoteChange: () => {
      remoteChanges += 1;
    },
    heartbeatMs: options.heartbeatMs ?? 60_000,
    staleMs: options.staleMs ?? 30_000,
    now: () => clock.now,
  });
  registries.push(presence);
  return { cluster, presence, clock, remoteChanges: () => remoteChanges };
}

const hosts = (entries: PresenceEntry[]) => entries.map((each) => each.host).sort();

describe("cluster presence", () => {
  it("lists every instance's clients on every instance, and follows connects and disconnects", async () => {
    const a = await instance("a");
    const b = await instance("b");
    a.presence.upsert("c1", entry("laptop"));
    b.presence.upsert("c2", entry("phone"));
    b.presence.upsert("c3", entry("cli"));
    await settle(a.cluster, b.cluster);
    expect(hosts(a.presence.list())).toEqual(["cli", "laptop", "phone"]);
    expect(hosts(b.presence.list())).toEqual(["cli", "laptop", "phone"]);
    expect(hosts(a.presence.localList())).toEqual(["laptop"]);
    expect(a.remoteChanges()).toBeGreaterThan(0);

    const versionBefore = a.presence.version;
    expect(b.presence.remove("c2")).toBe(true);
    await settle(a.cluster, b.cluster);
    expect(hosts(a.presence.list())).toEqual(["cli", "laptop"]);
    // stateVersion.presence moves when another instance's clients change, so clients know to re-read.
    expect(a.presence.version).toBeGreaterThan(versionBefore);
  });

  it("sends a burst of local changes as one message", async () => {
    const { cluster, publishes } = await openInstance("a");
    const presence = new ClusterPresenceRegistry({ cluster, logger: recordingLogger().logger });
    registries.push(presence);
    await settle(cluster);
    const before = publishes.length;
    for (let n = 0; n < 10; n++) presence.upsert(`c${n}`, entry(`host-${n}`));
    await settle(cluster);
    const sent = publishes.slice(before).filter((each) => each.topic === PRESENCE_TOPIC);
    expect(sent.map((each) => (each.payload as { items: unknown[] }).items.length)).toEqual([10]);
  });

  it("gives an instance that joins later the others' clients at once, without waiting for a heartbeat", async () => {
    const a = await instance("a");
    a.presence.upsert("c1", entry("laptop"));
    await settle(a.cluster);
    const late = await instance("late");
    await settle(a.cluster, late.cluster);
    expect(hosts(late.presence.list())).toEqual(["laptop"]);
  });

  it("drops an instance's clients at once when it leaves", async () => {
    const a = await instance("a");
    const b = await instance("b");
    b.presence.upsert("c2", entry("phone"));
    await settle(a.cluster, b.cluster);
    expect(hosts(a.presence.list())).toEqual(["phone"]);
    const changes = a.remoteChanges();
    b.presence.close();
    await settle(a.cluster, b.cluster);
    expect(a.presence.list()).toEqual([]);
    expect(a.remoteChanges()).toBe(changes + 1);
  });

  it("drops the clients of an instance that went silent (kill -9) once its list is stale, and says so", async () => {
    const a = await instance("a", { heartbeatMs: 20, staleMs: 30_000 });
    const b = await instance("b", { heartbeatMs: 20 });
    b.presence.upsert("c2", entry("phone"));
    await settle(a.cluster, b.cluster);
    expect(hosts(a.presence.list())).toEqual(["phone"]);

    // B's process dies: no goodbye, no more heartbeats.
    await (b.cluster as ClusterCoordinator).close();
    a.clock.now += 29_000;
    expect(hosts(a.presence.list())).toEqual(["phone"]);
    const changes = a.remoteChanges();
    a.clock.now += 2_000;
    expect(a.presence.list()).toEqual([]);
    // The sweep on A's heartbeat tells the composition root to broadcast the smaller list.
    await expect.poll(() => a.remoteChanges()).toBe(changes + 1);
  });

  it("keeps an instance's clients while its heartbeats keep coming", async () => {
    const a = await instance("a", { staleMs: 30_000 });
    const b = await instance("b", { heartbeatMs: 20 });
    b.presence.upsert("c2", entry("phone"));
    await settle(a.cluster, b.cluster);
    const changes = a.remoteChanges();
    a.clock.now += 31_000;
    // The next heartbeat from B refreshes its list: it stays, and an unchanged list is no change.
    await expect.poll(() => hosts(a.presence.list())).toEqual(["phone"]);
    expect(a.remoteChanges()).toBe(changes);
  });

  it("says hello again when the store is back after an outage, so the others resend at once", async () => {
    const a = await instance("a");
    const b = await openInstance("b");
    const presenceB = new ClusterPresenceRegistry({ cluster: b.cluster, logger: recordingLogger().logger });
    registries.push(presenceB);
    a.presence.upsert("c1", entry("laptop"));
    await settle(a.cluster, b.cluster);
    const before = a.remoteChanges();
    b.setAvailable(false);
    b.setAvailable(true);
    await settle(a.cluster, b.cluster);
    const hellos = b.publishes.filter((each) => (each.payload as { hello?: boolean }).hello);
    expect(hellos).toHaveLength(2);
    expect(hosts(presenceB.list())).toEqual(["laptop"]);
    expect(a.remoteChanges()).toBe(before);
  });

  it("is the plain registry without a cluster", () => {
    const presence = createPresenceRegistry({ logger: recordingLogger().logger });
    expect(presence).not.toBeInstanceOf(ClusterPresenceRegistry);
    expect(presence).toBeInstanceOf(PresenceRegistry);
    presence.upsert("c1", entry("laptop"));
    expect(hosts(presence.list())).toEqual(["laptop"]);
    presence.close();
  });
});
