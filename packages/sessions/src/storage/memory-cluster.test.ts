import { afterEach, describe, expect, it } from "vitest";
import { clusterConformance } from "../testing.js";
import { CLUSTER_LIMITS, type ClusterCoordinator } from "./cluster-port.js";
import { expireMemoryClusterLease } from "./memory-cluster.js";
import { createMemoryStorage, createMemoryStorageData } from "./memory-storage.js";

const member = { version: "1.0.0", hostname: "host", pid: 1, startedAt: 1 };
const opened: ClusterCoordinator[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((coordinator) => coordinator.close()));
});

async function cluster(clock?: () => number) {
  const data = createMemoryStorageData();
  const open = async (instanceId: string) => {
    const coordinator = await createMemoryStorage({ data, clusterClock: clock }).openCluster?.({
      instanceId,
    });
    if (!coordinator) throw new Error("the memory storage offers no openCluster");
    opened.push(coordinator);
    return coordinator;
  };
  return { data, a: await open("a"), b: await open("b") };
}

describe("memory cluster", () => {
  it("shares one hub between storages over the same data, and none between different data", async () => {
    const { a, b } = await cluster();
    const other = await createMemoryStorage().openCluster?.({ instanceId: "c" });
    if (other) opened.push(other);
    expect(await a.tryAcquireLease("account:1")).toBeDefined();
    expect(await b.tryAcquireLease("account:1")).toBeUndefined();
    expect(await other?.tryAcquireLease("account:1")).toBeDefined();
  });

  it("decides expiry and liveness on the hub's clock", async () => {
    let now = 1_000_000;
    const { a, b } = await cluster(() => now);
    await a.join(member);
    const lease = await a.tryAcquireLease("lane", { ttlMs: 60_000 });
    expect((await b.listLeases("")).map((record) => record.expiresAt)).toEqual([now + 60_000]);
    now += 60_001;
    expect(await b.listLeases("")).toEqual([]);
    const lost = new Promise<void>((resolve) => lease?.onLost(resolve));
    expect(await b.tryAcquireLease("lane")).toBeDefined();
    await lost;
    expect(lease?.held).toBe(false);
    const [seen] = await b.members();
    expect(seen).toMatchObject({ instanceId: "a", alive: false, lastSeenAt: 1_000_000 });
    now -= 60_001 - 3 * CLUSTER_LIMITS.heartbeatMs;
    expect((await b.members())[0]?.alive).toBe(true);
    expect(Math.abs((await a.clockSkewMs()) - (Date.now() - now))).toBeLessThan(1_000);
  });

  it("lets a test expire a lease so another instance takes it over", async () => {
    const { data, a, b } = await cluster();
    const lease = await a.tryAcquireLease("job");
    expect(expireMemoryClusterLease(data, "job")).toBe(true);
    expect(expireMemoryClusterLease(data, "nobody-holds-this")).toBe(false);
    const taken = await b.tryAcquireLease("job");
    expect(taken?.held).toBe(true);
    expect(lease?.held).toBe(false);
  });

  it("refuses to open a cluster on a closed storage", async () => {
    const storage = createMemoryStorage();
    await storage.close();
    await expect(storage.openCluster?.({ instanceId: "x" })).rejects.toMatchObject({ code: "STORE_CLOSED" });
  });
});

clusterConformance({
  name: "memory",
  open: async () => {
    const data = createMemoryStorageData();
    const storages = [0, 1, 2].map(() => createMemoryStorage({ data }));
    const [a, b, c] = await Promise.all(
      storages.map(async (storage, i) => {
        const coordinator = await storage.openCluster?.({ instanceId: `memory-${"abc"[i]}` });
        if (!coordinator) throw new Error("the memory storage offers no openCluster");
        return coordinator;
      }),
    );
    if (!a || !b || !c) throw new Error("three coordinators expected");
    return {
      a,
      b,
      c,
      expireLease: async (name) => {
        expireMemoryClusterLease(data, name);
      },
      close: async () => {
        await Promise.all([a, b, c].map((coordinator) => coordinator.close()));
        await Promise.all(storages.map((storage) => storage.close()));
      },
    };
  },
});
