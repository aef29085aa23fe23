import {
  type NodePairRequest,
  NodePairRequestSchema,
  type PairedNode,
  PairedNodeSchema,
} from "@openclaw/protocol";
import { z } from "zod";
import {
  importOnce,
  type MirrorWarnings,
  type StateTables,
  TableMirror,
  tableKey,
} from "../state/table-mirror.js";
import {
  createNodePairingStore,
  type NodePairingStore,
  newNodePairRequest,
  pairedNodeFrom,
  requestNotFound,
  sameSurface,
  within,
} from "./node-pairing-store.js";

export const NODE_PAIRING_TABLE = "nodes.pairing";

// One table, two kinds of row: a pending request (at most one per node) and an approved node.
const NodePairingRowSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pending"), request: NodePairRequestSchema }),
  z.object({ kind: z.literal("paired"), node: PairedNodeSchema }),
]);
type NodePairingRow = z.infer<typeof NodePairingRowSchema>;

const pendingKey = (nodeId: string) => tableKey("pending", nodeId);
const pairedKey = (nodeId: string) => tableKey("paired", nodeId);

/** A node pairing store kept in a storage table: `flush()` waits until every change so far is durable. */
export interface TableNodePairingStore extends NodePairingStore {
  flush(): Promise<void>;
  /** Takes in approvals another process wrote to the same table. */
  refresh(): Promise<void>;
}

export interface TableNodePairingStoreOptions {
  storage: StateTables;
  /** Where `nodes/pairing.json` is imported from, once. */
  stateDir?: string;
  now?: () => number;
  logger?: MirrorWarnings;
}

/**
 * Node capability approvals in the `nodes.pairing` table, with the file store's rules: a pending request never
 * expires on its own; it stays until approved, rejected, or superseded by the node declaring another surface.
 */
export async function openTableNodePairingStore(
  options: TableNodePairingStoreOptions,
): Promise<TableNodePairingStore> {
  const now = options.now ?? Date.now;
  const stateDir = options.stateDir;
  if (stateDir !== undefined) {
    await importOnce(options.storage, "nodes.pairing", () =>
      importNodePairingFile(options.storage, stateDir),
    );
  }
  const rows = await TableMirror.open(
    options.storage,
    NODE_PAIRING_TABLE,
    NodePairingRowSchema,
    options.logger,
  );
  const pending = (): NodePairRequest[] =>
    rows
      .values("pending/")
      .flatMap((row) => (row.kind === "pending" ? [row.request] : []))
      .sort((a, b) => a.requestedAtMs - b.requestedAtMs);
  const paired = (): PairedNode[] =>
    rows
      .values("paired/")
      .flatMap((row) => (row.kind === "paired" ? [row.node] : []))
      .sort((a, b) => a.approvedAtMs - b.approvedAtMs);
  const pendingById = (requestId: string): NodePairRequest => {
    const request = pending().find((entry) => entry.requestId === requestId);
    if (!request) throw requestNotFound(requestId);
    return request;
  };

  return {
    path: `${options.storage.location} (table ${NODE_PAIRING_TABLE})`,
    observeConnect(surface) {
      const row = rows.get(pairedKey(surface.nodeId));
      if (row?.kind === "paired" && within(surface, row.node)) return { status: "approved", node: row.node };
      const existing = rows.get(pendingKey(surface.nodeId));
      if (existing?.kind === "pending" && sameSurface(existing.request, surface)) {
        return { status: "pending", request: existing.request, created: false };
      }
      const request = newNodePairRequest(surface, now());
      rows.set(pendingKey(surface.nodeId), { kind: "pending", request });
      return { status: "pending", request, created: true };
    },
    list() {
      return { pending: pending(), paired: paired() };
    },
    approve(requestId) {
      const request = pendingById(requestId);
      const node = pairedNodeFrom(request, now());
      rows.delete(pendingKey(request.nodeId));
      rows.set(pairedKey(node.nodeId), { kind: "paired", node });
      return node;
    },
    reject(requestId) {
      const request = pendingById(requestId);
      rows.delete(pendingKey(request.nodeId));
      return request;
    },
    remove(nodeId) {
      return rows.delete(pairedKey(nodeId));
    },
    flush: () => rows.flush(),
    refresh: () => rows.refresh(),
  };
}

async function importNodePairingFile(
  storage: StateTables,
  stateDir: string,
): Promise<{ source: string; rows: number }> {
  const file = createNodePairingStore({ stateDir });
  const table = storage.table<NodePairingRow>(NODE_PAIRING_TABLE);
  const { pending, paired } = file.list();
  for (const request of pending) await table.put(pendingKey(request.nodeId), { kind: "pending", request });
  for (const node of paired) await table.put(pairedKey(node.nodeId), { kind: "paired", node });
  return { source: file.path, rows: pending.length + paired.length };
}
