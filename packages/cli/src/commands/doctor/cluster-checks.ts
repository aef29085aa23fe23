import { randomUUID } from "node:crypto";
import type { GatewayStorageHandle } from "@openclaw/gateway";
import { check, type DoctorCheck } from "./doctor-check.js";

/** Leases and liveness use the store's clock, but logs, cron and tokens use each host's: a drift this big warns. */
const SKEW_WARN_MS = 1000;
/** Past this, token expiry and cron slots disagree between instances. */
const SKEW_ERROR_MS = 10_000;

/**
 * For a store several gateways share (PostgreSQL): this host's clock against the store's, the schema version
 * against the one this gateway expects, and which instances are registered. Opens the cluster port without joining.
 */
export async function checkCluster(storage: GatewayStorageHandle["storage"]): Promise<DoctorCheck[]> {
  if (!storage.openCluster) return [];
  const cluster = await storage.openCluster({ instanceId: `doctor-${randomUUID()}` });
  try {
    const [skew, schema, members] = await Promise.all([
      cluster.clockSkewMs(),
      cluster.schemaVersion(),
      cluster.members(),
    ]);
    return [clockCheck(skew), schemaCheck(schema), membersCheck(members)];
  } catch (error) {
    return [
      check(
        "cluster",
        "error",
        `cluster checks failed: ${(error as Error).message}`,
        "check that the database in storage.url is reachable from this host",
      ),
    ];
  } finally {
    await cluster.close();
  }
}

function clockCheck(skewMs: number): DoctorCheck {
  const rounded = Math.round(skewMs);
  const message = `clock: this host is ${Math.abs(rounded)} ms ${rounded >= 0 ? "ahead of" : "behind"} the database`;
  const fix =
    "keep every gateway host and the database host in sync with NTP (e.g. `timedatectl set-ntp true`)";
  const size = Math.abs(rounded);
  if (size >= SKEW_ERROR_MS) return check("cluster.clock", "error", message, fix);
  if (size >= SKEW_WARN_MS) return check("cluster.clock", "warn", message, fix);
  return check("cluster.clock", "ok", message);
}

function schemaCheck(schema: { current: number; expected: number }): DoctorCheck {
  const message = `schema: version ${schema.current} in the database, this gateway expects ${schema.expected}`;
  if (schema.current > schema.expected) {
    return check(
      "cluster.schema",
      "error",
      `${message}: a newer gateway migrated it`,
      "upgrade this gateway to the version the other instances run (`npm i openclaw@latest`)",
    );
  }
  if (schema.current < schema.expected) {
    return check(
      "cluster.schema",
      "warn",
      `${message}: the next start of this gateway migrates it`,
      "start the upgraded instances one at a time (the README's rolling restart)",
    );
  }
  return check("cluster.schema", "ok", message);
}

function membersCheck(
  members: ReadonlyArray<{ instanceId: string; address?: string; version: string; alive: boolean }>,
): DoctorCheck {
  const alive = members.filter((member) => member.alive);
  if (members.length === 0)
    return check("cluster.members", "ok", "cluster: no gateway instance is running on this store");
  const list = alive.map((member) => `${member.address ?? member.instanceId} (${member.version})`).join(", ");
  const versions = new Set(alive.map((member) => member.version));
  const message = `cluster: ${alive.length} instance(s) alive${list ? `: ${list}` : ""}`;
  if (versions.size > 1) {
    return check(
      "cluster.members",
      "warn",
      `${message}; versions differ`,
      "finish the rolling upgrade so every instance runs one version",
    );
  }
  return check("cluster.members", "ok", message);
}
