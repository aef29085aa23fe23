import {
  type ClusterCoordinator,
  createMemoryStorage,
  createMemoryStorageData,
  type MemoryStorageData,
} from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { type ClusterNodePairingStore, clusterNodePairingStore } from "./node-pairing-cluster-sync.js";
import type { NodeSurface } from "./node-pairing-store.js";
import { openTableNodePairingStore } from "./node-pairing-table-store.js";

const logger = createLogger({ level: "silent", sinks: [] });
let data: MemoryStorageData;
let opened: Array<{ store: ClusterNodePairingStore; cluster: ClusterCoordinator }>;

beforeEach(() => {
  data = createMemoryStorageData();
  opened = [];
});

afterEach(async () => {
  for (const { store, cluster } of opened) {
    store.close();
    await cluster.close();
  }
});

async function instance(name: string): Promise<ClusterNodePairingStore> {
  const storage = createMemoryStorage({ data });
  const cluster = await storage.openCluster?.({ instanceId: name });
  if (!cluster) throw new Error("the memory storage opens no cluster");
  const store = clusterNodePairingStore(await openTableNodePairingStore({ storage }), { cluster, logger });
  opened.push({ store, cluster });
  return store;
}

const surface: NodeSurface = { nodeId: "mac-1", displayName: "Studio Mac", caps: ["camera"], commands: [] };

describe("node pairing shared by two instances", () => {
  it("approves through B a node that asked on A, and A then lets it in; a removal on B reaches A", async () => {
    const a = await instance("a");
    const b = await instance("b");
    const asked = a.observeConnect(surface);
    expect(asked).toMatchObject({ status: "pending", created: true });
    await a.flush();
    await b.flush();
    const [pending] = b.list().pending;
    expect(pending?.nodeId).toBe("mac-1");

    const node = b.approve(pending?.requestId ?? "");
    await b.flush();
    await a.flush();
    expect(a.observeConnect(surface)).toEqual({ status: "approved", node });
    expect(a.list().pending).toEqual([]);

    expect(b.remove("mac-1")).toBe(true);
    await b.flush();
    await a.flush();
    expect(a.list().paired).toEqual([]);
  });
});
