import { describe, expect, it } from "vitest";
import { recordingLogger, useMemoryCluster } from "./cluster.test-support.js";
import {
  type ClusterTableSyncOptions,
  type MirroredTables,
  syncTablesAcrossCluster,
} from "./cluster-table-sync.js";

const TOPIC = "tables.changed";

/** A mirrored store whose writes fail while `durable` is false; it records what happened in `log`. */
class RecordingTables implements MirroredTables {
  durable = true;
  constructor(
    private readonly name: string,
    private readonly log: string[],
  ) {}
  async flush(): Promise<void> {
    this.log.push(`${this.name} flush`);
    if (!this.durable) throw new Error("disk full");
  }
  async refresh(): Promise<void> {
    this.log.push(`${this.name} refresh`);
  }
}

const openInstance = useMemoryCluster();

async function pair(options: Partial<ClusterTableSyncOptions> = {}) {
  const log: string[] = [];
  const { logger, records } = recordingLogger();
  const open = async (name: string) => {
    const { cluster, publishes } = await openInstance(name);
    const store = new RecordingTables(name, log);
    const sync = syncTablesAcrossCluster({ store, cluster, topic: TOPIC, what: "table", logger, ...options });
    return { store, sync, publishes };
  };
  return { log, records, a: await open("a"), b: await open("b") };
}

describe("syncTablesAcrossCluster", () => {
  it("announces a change once the store flushed it, and the other instance re-reads", async () => {
    const { log, a, b } = await pair();
    a.sync.changed();
    await a.sync.flush();
    await b.sync.flush();
    expect(log).toEqual(["a flush", "b refresh"]);
    expect(a.publishes).toEqual([{ topic: TOPIC, payload: {} }]);
    b.sync.close();
    a.sync.changed();
    await a.sync.flush();
    await b.sync.flush();
    expect(log).toEqual(["a flush", "b refresh", "a flush"]);
  });

  it("does not announce a change the store could not make durable, and logs why", async () => {
    const { records, a, b } = await pair();
    a.store.durable = false;
    a.sync.changed();
    await a.sync.flush();
    await b.sync.flush();
    expect(a.publishes).toEqual([]);
    expect(records.map((record) => record.msg)).toEqual([
      "table change not durable in the shared store; not announced",
    ]);
  });

  it("with announceUndurable, announces the payload anyway; the receiver sees it before its re-read", async () => {
    const { log, records, a, b } = await pair({
      announceUndurable: true,
      onAnnouncement: (payload) => log.push(`announcement ${JSON.stringify(payload)}`),
    });
    a.store.durable = false;
    a.sync.changed({ revoked: "token-1" });
    await a.sync.flush();
    await b.sync.flush();
    expect(log).toEqual(["a flush", 'announcement {"revoked":"token-1"}', "b refresh"]);
    expect(records.map((record) => record.msg)).toEqual(["table change not durable in the shared store"]);
  });

  it("logs an announcement the cluster refuses, and announces the next change", async () => {
    const { log, records, a, b } = await pair();
    a.sync.changed({ count: 1n });
    a.sync.changed();
    await a.sync.flush();
    await b.sync.flush();
    expect(records.map((record) => record.msg)).toEqual([
      "cannot announce a table change to the other instances",
    ]);
    expect(a.publishes).toEqual([{ topic: TOPIC, payload: {} }]);
    expect(log).toEqual(["a flush", "a flush", "b refresh"]);
  });
});
