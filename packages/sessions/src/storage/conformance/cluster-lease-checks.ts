import { expect } from "vitest";
import type { ClusterLease } from "../cluster-port.js";
import {
  type ClusterInstances,
  expectSessionErrorCode,
  rejectionOf,
  settlesWithin,
  sleep,
  uniqueNames,
} from "./cluster-fixture.js";

type Check = (name: string, body: (cluster: ClusterInstances) => Promise<void>) => void;

/** Lease ownership: exclusivity, renewal, release, expiry and takeover, waiting, listing. */
export function registerClusterLeaseChecks(check: Check): void {
  check("gives a lease to one owner at a time (its holder included)", async ({ a, b, c }) => {
    const names = uniqueNames();
    const lease = await a.tryAcquireLease(names.lease("account"));
    expect(lease?.held).toBe(true);
    expect(lease?.name).toBe(names.lease("account"));
    const contenders = await Promise.all([
      b.tryAcquireLease(names.lease("account")),
      c.tryAcquireLease(names.lease("account")),
      a.tryAcquireLease(names.lease("account")),
    ]);
    expect(contenders).toEqual([undefined, undefined, undefined]);
    const [record] = await b.listLeases(names.lease(""));
    expect(record?.owner).toBe(a.instanceId);
    expect(Number.isInteger(record?.expiresAt), "expiresAt is whole epoch ms").toBe(true);
    const storeNow = Date.now() - (await b.clockSkewMs());
    expect(record?.expiresAt).toBeGreaterThan(storeNow);
    expect(record?.expiresAt).toBeLessThanOrEqual(storeNow + 6_000 + 1_000);
  });

  check("lets exactly one of several racing instances take a free lease", async ({ a, b, c }) => {
    const name = uniqueNames().lease("race");
    const taken = await Promise.all(
      [a, b, c, a, b, c].map((coordinator) => coordinator.tryAcquireLease(name)),
    );
    expect(taken.filter((lease) => lease !== undefined)).toHaveLength(1);
  });

  check(
    "keeps a lease taken with durable: false as exclusive as any, and renews and releases it",
    async ({ a, b }) => {
      const name = uniqueNames().lease("not-durable");
      const lease = await a.tryAcquireLease(name, { ttlMs: 1_000, durable: false });
      expect(lease?.held).toBe(true);
      expect(await b.tryAcquireLease(name, { durable: false })).toBeUndefined();
      await sleep(1_400);
      expect(await b.tryAcquireLease(name)).toBeUndefined();
      await lease?.release();
      expect((await b.tryAcquireLease(name, { durable: false }))?.held).toBe(true);
    },
  );

  check("keeps a renewed lease well past its ttl", async ({ a, b }) => {
    const name = uniqueNames().lease("renewed");
    const lease = await a.tryAcquireLease(name, { ttlMs: 1_000 });
    const lost: string[] = [];
    lease?.onLost(() => lost.push("lost"));
    const [before] = await a.listLeases(name);
    // Time passing is what this checks: three lifetimes without a renewal would have let it expire.
    await sleep(3_200);
    expect(await b.tryAcquireLease(name, { ttlMs: 1_000 })).toBeUndefined();
    const [after] = await a.listLeases(name);
    expect(after?.expiresAt).toBeGreaterThan(before?.expiresAt ?? Number.POSITIVE_INFINITY);
    expect(lease?.held).toBe(true);
    expect(lost).toEqual([]);
  });

  check("lets another take an expired lease; the old holder hears onLost once", async (cluster) => {
    const { a, b } = cluster;
    const name = uniqueNames().lease("expired");
    const old = await a.tryAcquireLease(name, { ttlMs: 1_500 });
    let lostCalls = 0;
    const lost = new Promise<void>((resolve) =>
      old?.onLost(() => {
        lostCalls += 1;
        resolve();
      }),
    );
    // An expired lease is never renewed, so however late the take comes after the expiry, it gets it.
    await cluster.expireLease(name);
    await sleep(50);
    const taken = await b.tryAcquireLease(name, { ttlMs: 1_500 });
    expect(taken?.held).toBe(true);
    await settlesWithin(lost, 3_000, "the old holder's onLost");
    expect(old?.held).toBe(false);
    expect(taken?.held).toBe(true);
    const [record] = await a.listLeases(name);
    expect(record?.owner).toBe(b.instanceId);
    let lateCalls = 0;
    old?.onLost(() => {
      lateCalls += 1;
    });
    expect(lateCalls).toBe(1);
    await old?.release();
    expect(taken?.held).toBe(true);
    expect((await a.listLeases(name))[0]?.owner).toBe(b.instanceId);
    expect(lostCalls).toBe(1);
  });

  check(
    "a holder whose lease expired in the store loses it at its next renewal, even untaken",
    async (cluster) => {
      const { a, b } = cluster;
      const name = uniqueNames().lease("lapsed");
      const lease = await a.tryAcquireLease(name, { ttlMs: 1_500 });
      const lost = new Promise<void>((resolve) => lease?.onLost(resolve));
      await cluster.expireLease(name);
      // The next renewal is at most a third of the ttl away.
      await settlesWithin(lost, 1_500, "onLost after the lease expired");
      expect(lease?.held).toBe(false);
      expect((await b.tryAcquireLease(name))?.held).toBe(true);
    },
  );

  check("release frees the lease, is not a loss, and can be called twice", async ({ a, b }) => {
    const name = uniqueNames().lease("released");
    const lease = await a.tryAcquireLease(name);
    const lost: string[] = [];
    lease?.onLost(() => lost.push("lost"));
    await lease?.release();
    await lease?.release();
    expect(lease?.held).toBe(false);
    expect(await b.listLeases(name)).toEqual([]);
    expect((await b.tryAcquireLease(name))?.held).toBe(true);
    expect(lost).toEqual([]);
  });

  check("wakes a waiting acquireLease soon after the holder releases", async ({ a, b }) => {
    const name = uniqueNames().lease("waited");
    const lease = await a.tryAcquireLease(name, { ttlMs: 60_000 });
    let acquired: ClusterLease | undefined;
    const waiting = b.acquireLease(name, { ttlMs: 60_000 }).then((got) => {
      acquired = got;
      return got;
    });
    await sleep(300);
    expect(acquired).toBeUndefined();
    const releasedAt = Date.now();
    await lease?.release();
    const got = await settlesWithin(waiting, 2_000, "acquireLease after the release");
    expect(got.held).toBe(true);
    expect(Date.now() - releasedAt).toBeLessThan(2_000);
    expect((await a.listLeases(name))[0]?.owner).toBe(b.instanceId);
  });

  check(
    "rejects acquireLease when its signal aborts, and then never takes the lease",
    async ({ a, b, c }) => {
      const name = uniqueNames().lease("aborted");
      const lease = await a.tryAcquireLease(name, { ttlMs: 60_000 });
      const controller = new AbortController();
      const waiting = rejectionOf(b.acquireLease(name, { signal: controller.signal }));
      await sleep(100);
      const reason = new Error("the caller gave up");
      controller.abort(reason);
      expect(await settlesWithin(waiting, 2_000, "the aborted acquireLease")).toBe(reason);
      const already = await rejectionOf(b.acquireLease(name, { signal: AbortSignal.abort() }));
      expect((already as { name?: string }).name).toBe("AbortError");
      await lease?.release();
      expect((await c.tryAcquireLease(name))?.held).toBe(true);
    },
  );

  check("lists unexpired leases by prefix, in name order, with owners", async ({ a, b, c }) => {
    const names = uniqueNames();
    await b.tryAcquireLease(names.lease("channel:telegram:2"));
    await a.tryAcquireLease(names.lease("channel:telegram:1"));
    const gone = await c.tryAcquireLease(names.lease("channel:slack:1"));
    await a.tryAcquireLease(names.lease("session:main"));
    await gone?.release();
    const listed = await c.listLeases(names.lease("channel:"));
    expect(listed.map(({ name, owner }) => ({ name, owner }))).toEqual([
      { name: names.lease("channel:telegram:1"), owner: a.instanceId },
      { name: names.lease("channel:telegram:2"), owner: b.instanceId },
    ]);
    expect((await c.listLeases(names.lease(""))).length).toBe(3);
    expect(await c.listLeases(names.lease("nothing:"))).toEqual([]);
    // A prefix is literal text, not a pattern.
    expect(await c.listLeases(names.lease("channel:%"))).toEqual([]);
    expect(await c.listLeases(names.lease("channel_"))).toEqual([]);
  });

  check("refuses bad lease names and lifetimes with INVALID_STORAGE_REQUEST", async ({ a }) => {
    for (const attempt of [
      a.tryAcquireLease(""),
      a.tryAcquireLease("x".repeat(513)),
      a.tryAcquireLease("ok", { ttlMs: 0 }),
      a.tryAcquireLease("ok", { ttlMs: 1.5 }),
      a.acquireLease(""),
      a.listLeases("x".repeat(513)),
    ]) {
      expectSessionErrorCode(await rejectionOf(attempt), "INVALID_STORAGE_REQUEST");
    }
    expect((await a.tryAcquireLease(`${uniqueNames().lease("")}${"x".repeat(400)}`))?.held).toBe(true);
  });
}
