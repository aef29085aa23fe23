import type { ClusterSummary } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { clusterFact, instanceRows } from "./overview-instances.js";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

const cluster: ClusterSummary = {
  instanceId: "bbbb-2",
  storage: "ok",
  instances: [
    {
      instanceId: "aaaa-1",
      address: "10.0.0.1:18789",
      version: "0.9.0",
      hostname: "gw-a",
      pid: 11,
      startedAt: NOW - 60_000,
      lastSeenAt: NOW - 20_000,
      alive: false,
      self: false,
    },
    {
      instanceId: "cccc-3",
      address: "10.0.0.3:18789",
      version: "0.9.0",
      hostname: "gw-c",
      pid: 13,
      startedAt: NOW - 50_000,
      lastSeenAt: NOW - 1_000,
      alive: true,
      self: false,
    },
    {
      instanceId: "bbbb-2",
      version: "0.9.0",
      hostname: "gw-b",
      pid: 12,
      startedAt: NOW - 40_000,
      lastSeenAt: NOW,
      alive: true,
      self: true,
    },
  ],
};

describe("instanceRows", () => {
  it("lists the answering instance first, then live ones, then those not answering", () => {
    const rows = instanceRows(cluster, NOW);
    expect(rows.map((row) => [row.instance, row.state])).toEqual([
      ["bbbb", "this one"],
      ["cccc", "alive"],
      ["aaaa", "not answering"],
    ]);
    expect(rows[2]).toMatchObject({
      address: "10.0.0.1:18789",
      host: "gw-a (pid 11)",
      started: "2026-12-07 11:59:00",
      lastSeen: "20 s ago",
    });
    expect(rows[0]?.address).toBe("");
  });
});

describe("clusterFact", () => {
  it("counts live instances and names the store's state", () => {
    expect(clusterFact(cluster)).toBe("2 of 3 instance(s) alive; PostgreSQL reachable");
    expect(clusterFact({ ...cluster, storage: "unavailable" })).toBe(
      "2 of 3 instance(s) alive; PostgreSQL unreachable: writes refused",
    );
  });
});
