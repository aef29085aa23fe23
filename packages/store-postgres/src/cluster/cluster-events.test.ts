import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ResolvedPostgresStorageOptions } from "../postgres-storage-options.js";
import type { ClusterConnection } from "./cluster-connection.js";
import { ClusterEvents, COALESCE_MS } from "./cluster-events.js";
import { clusterStatements } from "./cluster-statements.js";

/** The statements ClusterEvents hands its connection (a NOTIFY batch each), answered at once. */
function recordingConnection() {
  const batches: number[][] = [];
  const connection = {
    isClosed: false,
    async untilClosed(_text: string, values: unknown[]) {
      const texts = values[1] as string[];
      batches.push(texts.map((text) => (JSON.parse(text) as { p: { i: number } }).p.i));
      return { rows: [] };
    },
  };
  return { connection: connection as unknown as ClusterConnection, batches };
}

function clusterEvents(connection: ClusterConnection): ClusterEvents {
  // Only the listener (not started here) connects with these.
  const options = { url: "postgres://127.0.0.1/test", schema: "s" } as ResolvedPostgresStorageOptions;
  return new ClusterEvents(
    connection,
    clusterStatements('"s"'),
    { options, location: "test", instanceId: "a" },
    "openclaw_s",
    () => {},
  );
}

describe("cluster events publishing", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends the first event at once and gathers the ones after it into one batch", async () => {
    const { connection, batches } = recordingConnection();
    const events = clusterEvents(connection);
    events.publish("chat", { i: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1]]);
    events.publish("chat", { i: 2 });
    await vi.advanceTimersByTimeAsync(COALESCE_MS / 2);
    events.publish("chat", { i: 3 });
    expect(batches).toEqual([[1]]);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(batches).toEqual([[1], [2, 3]]);
    // Quiet for longer than the window: the next goes out at once again.
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    events.publish("chat", { i: 4 });
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it("sends a waiting batch as soon as flush is called, without the window", async () => {
    const { connection, batches } = recordingConnection();
    const events = clusterEvents(connection);
    events.publish("chat", { i: 1 });
    events.publish("chat", { i: 2 });
    await vi.advanceTimersByTimeAsync(0);
    events.publish("chat", { i: 3 });
    // No timer is advanced: flush alone brings the third event out.
    await events.flush();
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it("does not hold back a full batch", async () => {
    const { connection, batches } = recordingConnection();
    const events = clusterEvents(connection);
    for (let i = 0; i < 450; i += 1) events.publish("burst", { i });
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.map((batch) => batch.length)).toEqual([200, 200]);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(batches.flat()).toEqual(Array.from({ length: 450 }, (_, i) => i));
  });
});
