import type { ClusterSummary } from "@openclaw/protocol";

/** One row of the Overview's instance table, as text. */
export interface InstanceRow {
  instance: string;
  address: string;
  version: string;
  host: string;
  started: string;
  lastSeen: string;
  state: string;
}

export const INSTANCE_COLUMNS: ReadonlyArray<[keyof InstanceRow, string]> = [
  ["instance", "Instance"],
  ["address", "Address"],
  ["version", "Version"],
  ["host", "Host"],
  ["started", "Started"],
  ["lastSeen", "Last seen"],
  ["state", "State"],
];

/**
 * The instances of a cluster (several gateways sharing one PostgreSQL store), the answering one first, then the
 * live ones, then those that stopped answering. Ids are shortened to their first block, as they are only told apart.
 */
export function instanceRows(cluster: ClusterSummary, now: number): InstanceRow[] {
  const order = (alive: boolean, self: boolean) => (self ? 0 : alive ? 1 : 2);
  return [...cluster.instances]
    .sort((a, b) => order(a.alive, a.self) - order(b.alive, b.self) || a.startedAt - b.startedAt)
    .map((member) => ({
      instance: member.instanceId.split("-")[0] ?? member.instanceId,
      address: member.address ?? "",
      version: member.version,
      host: `${member.hostname} (pid ${member.pid})`,
      started: new Date(member.startedAt).toISOString().replace("T", " ").slice(0, 19),
      lastSeen: `${Math.max(0, Math.round((now - member.lastSeenAt) / 1000))} s ago`,
      state: member.self ? "this one" : member.alive ? "alive" : "not answering",
    }));
}

/** The Overview's "Storage" line for a cluster: the shared store's state and how many instances are alive. */
export function clusterFact(cluster: ClusterSummary): string {
  const alive = cluster.instances.filter((member) => member.alive).length;
  const store = cluster.storage === "ok" ? "PostgreSQL reachable" : "PostgreSQL unreachable: writes refused";
  return `${alive} of ${cluster.instances.length} instance(s) alive; ${store}`;
}
