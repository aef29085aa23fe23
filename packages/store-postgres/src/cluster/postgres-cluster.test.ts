import type { ClusterCoordinator } from "@openclaw/sessions";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { testSchemaName, withTestClient } from "../test-database.js";
import { clusterApplicationName } from "./cluster-connection.js";
import { clusterStatements } from "./cluster-statements.js";
import { testCluster } from "./cluster-test-support.js";

const schema = testSchemaName("cluster");
const cluster = testCluster(schema);

afterEach(() => cluster.closeAll());
afterAll(() => cluster.cleanup());

async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function received(coordinator: ClusterCoordinator, topic: string): unknown[] {
  const payloads: unknown[] = [];
  coordinator.subscribe(topic, (payload) => payloads.push(payload));
  return payloads;
}

describe("postgres cluster", () => {
  it("reconnects its listener after the server ends that connection, and delivers what comes after", async () => {
    const [a, b] = await Promise.all([cluster.open(0), cluster.open(1)]);
    const atB = received(b, "chat");
    a.publish("chat", { before: true });
    await eventually("the first message", () => atB.length === 1);

    expect(await cluster.terminate(clusterApplicationName(schema, "listen", b.instanceId))).toBe(1);
    // Messages sent while b's listener is down are lost (at most once); probe until one gets through.
    let probes = 0;
    await eventually(
      "a probe after the reconnect",
      () => {
        if (atB.length > 1) return true;
        probes += 1;
        a.publish("chat", { probe: probes });
        return false;
      },
      15_000,
    );
    const from = atB.length;
    for (let i = 0; i < 100; i += 1) a.publish("chat", { i });
    await eventually("100 later messages", () => atB.length >= from + 100);
    expect(atB.slice(from)).toEqual(Array.from({ length: 100 }, (_, i) => ({ i })));
    expect(b.available).toBe(true);
  }, 30_000);

  it("keeps a lease whose holder's connections are all terminated, renewing over new ones", async () => {
    const [a, b] = await Promise.all([cluster.open(0), cluster.open(1)]);
    const name = "account:telegram:default";
    const lease = await a.tryAcquireLease(name, { ttlMs: 3_000 });
    const lost: string[] = [];
    lease?.onLost(() => lost.push("lost"));
    const everyConnectionOfA = `openclaw:${schema}:%:${a.instanceId}`.slice(0, 63);
    // Twice over more than two lifetimes of the lease: each renewal may meet a dead connection first.
    for (let round = 0; round < 2; round += 1) {
      expect(await cluster.terminate(everyConnectionOfA)).toBeGreaterThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(await b.tryAcquireLease(name, { ttlMs: 3_000 })).toBeUndefined();
    }
    expect(lease?.held).toBe(true);
    expect(lost).toEqual([]);
    expect((await b.listLeases(name))[0]?.owner).toBe(a.instanceId);
  }, 30_000);

  it("carries a 200 KB payload intact between small ones", async () => {
    const [a, b] = await Promise.all([cluster.open(0), cluster.open(1)]);
    const atB = received(b, "big");
    const blob = Array.from({ length: 200 * 1024 }, (_, i) => String.fromCharCode(32 + ((i * 7) % 95))).join(
      "",
    );
    const unicode = "🦞é✓".repeat(5_000);
    a.publish("big", "small before");
    a.publish("big", { blob, unicode });
    a.publish("big", "small after");
    await eventually("all three", () => atB.length === 3);
    expect(atB).toEqual(["small before", { blob, unicode }, "small after"]);
  });

  it("delivers 2000 small messages in order to two instances", async () => {
    const [a, b, c] = await Promise.all([cluster.open(0), cluster.open(1), cluster.open(2)]);
    const atB = received(b, "burst");
    const atC = received(c, "burst");
    for (let i = 0; i < 2_000; i += 1) a.publish("burst", { i, session: `agent:main:${i % 7}` });
    await a.flush();
    await eventually("2000 messages at b and c", () => atB.length >= 2_000 && atC.length >= 2_000);
    const expected = Array.from({ length: 2_000 }, (_, i) => ({ i, session: `agent:main:${i % 7}` }));
    expect(atB).toEqual(expected);
    expect(atC).toEqual(expected);
  });

  it("wakes a waiter on another instance within a few ms of the release (a notification, not the poll)", async () => {
    const [a, b] = await Promise.all([cluster.open(0), cluster.open(1)]);
    const delays: number[] = [];
    for (let trial = 0; trial < 7; trial += 1) {
      const name = `session:agent:main:${trial}`;
      const lease = await a.tryAcquireLease(name, { ttlMs: 60_000 });
      const waiting = b.acquireLease(name, { ttlMs: 60_000 });
      // Releases spread over one whole poll period: polling alone would wake these 0-250 ms later, median ~125.
      await new Promise((resolve) => setTimeout(resolve, 300 + 36 * trial));
      const releasedAt = performance.now();
      await lease?.release();
      const taken = await waiting;
      delays.push(performance.now() - releasedAt);
      await taken.release();
    }
    // Woken by the release notification it is a round trip or two.
    const median = [...delays].sort((x, y) => x - y)[3] ?? Number.POSITIVE_INFINITY;
    expect(median, `delays ${delays.map((d) => d.toFixed(1)).join(", ")} ms`).toBeLessThan(75);
  });

  it("reports a member unseen for three heartbeats (server clock) as not alive, and rejoins after its row was removed", async () => {
    const [a, b] = await Promise.all([cluster.open(0), cluster.open(1)]);
    await a.join({ version: "1", hostname: "a", pid: 1, startedAt: 1 });
    const s = `"${schema}"`;
    await withTestClient((c) =>
      c.query(
        `UPDATE ${s}.cluster_members SET last_seen = clock_timestamp() - interval '7 seconds' WHERE instance_id = $1`,
        [a.instanceId],
      ),
    );
    expect((await b.members()).find((m) => m.instanceId === a.instanceId)?.alive).toBe(false);
    await eventually("a's heartbeat", async () =>
      Boolean((await b.members()).find((m) => m.instanceId === a.instanceId)?.alive),
    );
    await withTestClient((c) =>
      c.query(`DELETE FROM ${s}.cluster_members WHERE instance_id = $1`, [a.instanceId]),
    );
    await eventually("a to register again", async () =>
      (await b.members()).some((m) => m.instanceId === a.instanceId && m.hostname === "a"),
    );
  });

  it("housekeeping deletes old event rows, claims and members, and keeps recent ones", async () => {
    const a = await cluster.open(0); // makes sure the schema exists
    await a.claimOnce("fresh-claim");
    const s = `"${schema}"`;
    const count = async (table: string) =>
      Number((await withTestClient((c) => c.query(`SELECT count(*) AS n FROM ${s}.${table}`))).rows[0].n);
    await withTestClient(async (c) => {
      await c.query(
        `INSERT INTO ${s}.cluster_events (payload, created_at) VALUES ('1', now() - interval '1 hour'), ('2', now())`,
      );
      await c.query(`INSERT INTO ${s}.cluster_claims VALUES ('old-claim', 'x', now() - interval '8 days')`);
      await c.query(`INSERT INTO ${s}.cluster_members VALUES ('gone', '{}', now() - interval '2 days')`);
    });
    const before = { events: await count("cluster_events"), claims: await count("cluster_claims") };
    await withTestClient((c) =>
      c.query(clusterStatements(s).cleanup, [10 * 60_000, 7 * 24 * 3_600_000, 24 * 3_600_000]),
    );
    expect(await count("cluster_events")).toBe(before.events - 1);
    expect(await count("cluster_claims")).toBe(before.claims - 1);
    expect(await a.claimOnce("fresh-claim")).toBe(false);
    expect(await a.claimOnce("old-claim")).toBe(true);
    const members = await withTestClient((c) => c.query(`SELECT instance_id FROM ${s}.cluster_members`));
    expect(members.rows.map((r) => r.instance_id)).not.toContain("gone");
  });
});
