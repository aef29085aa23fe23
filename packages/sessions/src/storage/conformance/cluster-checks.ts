import { afterAll, describe, expect, it } from "vitest";
import type { ClusterMemberInfo } from "../cluster-port.js";
import { registerClusterEventChecks } from "./cluster-event-checks.js";
import {
  type ClusterConformanceOptions,
  type ClusterInstances,
  expectSessionErrorCode,
  rejectionOf,
  uniqueNames,
} from "./cluster-fixture.js";
import { registerClusterLeaseChecks } from "./cluster-lease-checks.js";

export type { ClusterConformanceOptions, ClusterInstances } from "./cluster-fixture.js";

/**
 * Registers the cluster port's conformance suite (`cluster-port.ts`'s rules) as vitest blocks. Each check opens
 * three fresh instances through `open()` and closes them after; names are unique per check, so checks may share
 * one store. Call it at the top level of a test file in the storage's own package.
 */
export function clusterConformance(options: ClusterConformanceOptions): void {
  const timeoutMs = options.timeoutMs ?? 20_000;
  describe(`cluster "${options.name}" conformance`, () => {
    afterAll(async () => {
      await options.cleanup?.();
    });
    const check = (name: string, body: (cluster: ClusterInstances) => Promise<void>) =>
      it(
        name,
        async () => {
          const cluster = await options.open();
          try {
            await body(cluster);
          } finally {
            await cluster.close();
          }
        },
        timeoutMs,
      );
    describe("leases", () => registerClusterLeaseChecks(check));
    describe("events", () => registerClusterEventChecks(check));
    describe("claims, members, lifecycle", () => registerClusterStateChecks(check));
  });
}

const info = (pid: number): ClusterMemberInfo => ({
  address: `127.0.0.1:${18_000 + pid}`,
  version: "1.2.3",
  hostname: `host-${pid}`,
  pid,
  startedAt: 1_700_000_000_000 + pid,
});

function registerClusterStateChecks(
  check: (name: string, body: (cluster: ClusterInstances) => Promise<void>) => void,
): void {
  check("claimOnce answers true to exactly one caller cluster-wide", async ({ a, b, c }) => {
    const names = uniqueNames();
    const key = names.lease("cron:job-1:2026-12-07T21:00");
    const answers = await Promise.all([a, b, c, a, b, c].map((coordinator) => coordinator.claimOnce(key)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await a.claimOnce(key)).toBe(false);
    expect(await b.claimOnce(names.lease("cron:job-1:2026-12-07T21:05"))).toBe(true);
    for (const bad of ["", "k".repeat(513)]) {
      expectSessionErrorCode(await rejectionOf(a.claimOnce(bad)), "INVALID_STORAGE_REQUEST");
    }
  });

  check(
    "lists joined members as alive with what they told, and forgets one that closed",
    async ({ a, b, c }) => {
      await a.join(info(1));
      await b.join(info(2));
      await b.join(info(2)); // joining twice is an update, not a second member
      const storeNow = Date.now() - (await c.clockSkewMs());
      const members = (await c.members()).filter(
        (m) => m.instanceId === a.instanceId || m.instanceId === b.instanceId,
      );
      expect(members.map((m) => m.instanceId).sort()).toEqual([a.instanceId, b.instanceId].sort());
      for (const member of members) {
        expect(member.alive).toBe(true);
        expect(Number.isInteger(member.lastSeenAt), "lastSeenAt is whole epoch ms").toBe(true);
        expect(Math.abs(member.lastSeenAt - storeNow)).toBeLessThan(5_000);
        expect(member).toMatchObject(info(member.instanceId === a.instanceId ? 1 : 2));
      }
      expect((await c.members()).some((m) => m.instanceId === c.instanceId)).toBe(false);
      await b.close();
      const after = (await a.members()).map((m) => m.instanceId);
      expect(after).toContain(a.instanceId);
      expect(after).not.toContain(b.instanceId);
    },
  );

  check("refuses malformed member info with INVALID_STORAGE_REQUEST", async ({ a, b }) => {
    for (const bad of [
      { ...info(1), pid: -1 },
      { ...info(1), version: undefined },
      { ...info(1), hostname: "h".repeat(257) },
    ]) {
      expectSessionErrorCode(
        await rejectionOf(a.join(bad as unknown as ClusterMemberInfo)),
        "INVALID_STORAGE_REQUEST",
      );
    }
    expect((await b.members()).some((m) => m.instanceId === a.instanceId)).toBe(false);
  });

  check("close releases this instance's leases at once", async ({ a, b }) => {
    const name = uniqueNames().lease("closing");
    const lease = await a.tryAcquireLease(name, { ttlMs: 60_000 });
    const lost: string[] = [];
    lease?.onLost(() => lost.push("lost"));
    await a.close();
    expect(lease?.held).toBe(false);
    expect(lost).toEqual([]);
    expect((await b.tryAcquireLease(name))?.held).toBe(true);
  });

  check("fails calls after close with STORE_CLOSED; close twice is fine", async ({ a }) => {
    await a.close();
    await a.close();
    for (const call of [
      () => a.tryAcquireLease("x"),
      () => a.listLeases(""),
      () => a.claimOnce("x"),
      () => a.members(),
      () => a.join(info(3)),
      () => a.clockSkewMs(),
      () => a.schemaVersion(),
    ]) {
      expectSessionErrorCode(await rejectionOf(call()), "STORE_CLOSED");
    }
    expect(() => a.publish("after.close", 1)).not.toThrow();
  });

  check("reports availability, clock skew and schema version", async ({ a }) => {
    expect(a.available).toBe(true);
    const stop = a.onAvailabilityChange(() => {});
    expect(typeof stop).toBe("function");
    stop();
    expect(Math.abs(await a.clockSkewMs())).toBeLessThan(2_000);
    const version = await a.schemaVersion();
    expect(version.current).toBe(version.expected);
    expect(version.expected).toBeGreaterThan(0);
    expect(a.instanceId).not.toBe("");
  });
}
