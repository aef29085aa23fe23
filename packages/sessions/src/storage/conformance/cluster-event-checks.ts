import { expect } from "vitest";
import { CLUSTER_LIMITS } from "../cluster-port.js";
import {
  type ClusterInstances,
  eventually,
  expectSessionErrorCode,
  thrownBy,
  uniqueNames,
} from "./cluster-fixture.js";

type Check = (name: string, body: (cluster: ClusterInstances) => Promise<void>) => void;

interface Received {
  payload: unknown;
  origin: string;
}

function collect(into: Received[]) {
  return (payload: unknown, origin: string) => {
    into.push({ payload, origin });
  };
}

/** Events between instances: order, no self-delivery, topics, sizes, validation. */
export function registerClusterEventChecks(check: Check): void {
  check(
    "delivers in publish order to every other subscriber, never to the publisher",
    async ({ a, b, c }) => {
      const topic = uniqueNames().topic("chat");
      const atA: Received[] = [];
      const atB: Received[] = [];
      const atC: Received[] = [];
      a.subscribe(topic, collect(atA));
      b.subscribe(topic, collect(atB));
      c.subscribe(topic, collect(atC));
      const count = 300;
      for (let i = 0; i < count; i += 1) a.publish(topic, { i, text: `message ${i}` });
      await a.flush();
      await eventually("b and c to receive every message", () => atB.length >= count && atC.length >= count);
      for (const received of [atB, atC]) {
        expect(received.map(({ payload }) => (payload as { i: number }).i)).toEqual(
          Array.from({ length: count }, (_, i) => i),
        );
        expect(new Set(received.map(({ origin }) => origin))).toEqual(new Set([a.instanceId]));
      }
      // b publishes after a's messages arrived: once a has b's message, a's own would have come before it.
      b.publish(topic, { from: "b" });
      await eventually("a to receive b's message", () => atA.length >= 1);
      expect(atA).toEqual([{ payload: { from: "b" }, origin: b.instanceId }]);
      expect(atB.length).toBe(count);
    },
  );

  check("keeps each publisher's order when several publish at once", async ({ a, b, c }) => {
    const topic = uniqueNames().topic("interleaved");
    const atC: Received[] = [];
    c.subscribe(topic, collect(atC));
    for (let i = 0; i < 100; i += 1) {
      a.publish(topic, { i });
      b.publish(topic, { i });
    }
    await Promise.all([a.flush(), b.flush()]);
    await eventually("c to receive 200 messages", () => atC.length >= 200);
    for (const origin of [a.instanceId, b.instanceId]) {
      const sequence = atC.filter((m) => m.origin === origin).map((m) => (m.payload as { i: number }).i);
      expect(sequence).toEqual(Array.from({ length: 100 }, (_, i) => i));
    }
  });

  check(
    "delivers what a holder published before release ahead of what the next holder publishes",
    async ({ a, b, c }) => {
      const names = uniqueNames();
      const topic = names.topic("session");
      const atC: Received[] = [];
      c.subscribe(topic, collect(atC));
      const lease = await a.tryAcquireLease(names.lease("session"), { ttlMs: 60_000 });
      const next = b.acquireLease(names.lease("session"), { ttlMs: 60_000 });
      for (let i = 0; i < 1_000; i += 1) a.publish(topic, { run: 1, i });
      await lease?.release();
      await next;
      b.publish(topic, { run: 2, i: 0 });
      await eventually("both runs' events at c", () => atC.length >= 1_001);
      expect(atC.map(({ payload }) => payload)).toEqual([
        ...Array.from({ length: 1_000 }, (_, i) => ({ run: 1, i })),
        { run: 2, i: 0 },
      ]);
    },
  );

  check("delivers only the subscribed topic, and nothing after unsubscribe", async ({ a, b }) => {
    const names = uniqueNames();
    const wanted: Received[] = [];
    const other: Received[] = [];
    const gone: Received[] = [];
    b.subscribe(names.topic("wanted"), collect(wanted));
    b.subscribe(names.topic("other"), collect(other));
    const unsubscribe = b.subscribe(names.topic("wanted"), collect(gone));
    unsubscribe();
    unsubscribe();
    a.publish(names.topic("wanted"), 1);
    a.publish(names.topic("unheard"), 2);
    a.publish(names.topic("other"), 3);
    await a.flush();
    await eventually("both subscribed topics to arrive", () => wanted.length === 1 && other.length === 1);
    expect(wanted[0]?.payload).toBe(1);
    expect(other[0]?.payload).toBe(3);
    expect(gone).toEqual([]);
  });

  check("carries any JSON payload intact, up to the size limit (large ones too)", async ({ a, b }) => {
    const topic = uniqueNames().topic("sizes");
    const atB: Received[] = [];
    b.subscribe(topic, collect(atB));
    const atLimit = "x".repeat(CLUSTER_LIMITS.payloadBytes - 2);
    const payloads: unknown[] = [
      null,
      0,
      "text ✓ 🦞",
      [1, "two", { three: [3] }],
      { nested: { deep: true, list: [null, 1.5, "ü"] } },
      "é".repeat(4_100), // 8200 bytes of UTF-8 in 4100 characters: over a NOTIFY-sized payload
      { blob: "y".repeat(200_000) },
      atLimit,
      "after the large ones",
    ];
    for (const payload of payloads) a.publish(topic, payload);
    await a.flush();
    await eventually("every payload to arrive", () => atB.length >= payloads.length, 15_000);
    expect(atB.map(({ payload }) => payload)).toEqual(payloads);
  });

  check("refuses what breaks the limits: topics, sizes, non-JSON payloads", async ({ a }) => {
    const topic = uniqueNames().topic("limits");
    for (const bad of ["", "Upper", "1starts-with-digit", "has space", "a".repeat(129), "ünicode"]) {
      expectSessionErrorCode(
        thrownBy(() => a.publish(bad, 1)),
        "INVALID_STORAGE_REQUEST",
      );
      expectSessionErrorCode(
        thrownBy(() => a.subscribe(bad, () => {})),
        "INVALID_STORAGE_REQUEST",
      );
    }
    expect(thrownBy(() => a.publish("a".repeat(128), 1))).toBeUndefined();
    expect(thrownBy(() => a.publish("a.b_c:d-9", 1))).toBeUndefined();
    expect(thrownBy(() => a.publish(topic, "x".repeat(CLUSTER_LIMITS.payloadBytes - 1)))).toBeInstanceOf(
      RangeError,
    );
    expect(thrownBy(() => a.publish(topic, "é".repeat(CLUSTER_LIMITS.payloadBytes / 2)))).toBeInstanceOf(
      RangeError,
    );
    expect(thrownBy(() => a.publish(topic, 10n))).toBeInstanceOf(RangeError);
    expect(thrownBy(() => a.publish(topic, undefined))).toBeInstanceOf(RangeError);
    await a.flush();
  });

  check("keeps delivering to other listeners when one throws", async ({ a, b }) => {
    const topic = uniqueNames().topic("throwing");
    const atB: Received[] = [];
    b.subscribe(topic, () => {
      throw new Error("a broken listener");
    });
    b.subscribe(topic, collect(atB));
    a.publish(topic, 1);
    a.publish(topic, 2);
    await eventually("both messages to reach the good listener", () => atB.length >= 2);
    expect(atB.map(({ payload }) => payload)).toEqual([1, 2]);
  });
}
