import { access } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ConfigPaths, OpenClawConfig } from "@openclaw/gateway";
import { checkCluster } from "./cluster-checks.js";
import { check, type DoctorCheck } from "./doctor-check.js";

const STORAGE_FIX =
  "check the storage section of openclaw.json (storage.driver, storage.url / storage.path); see the README's Storage section";

/**
 * Which storage the gateway uses and whether it opens: the driver, where the data lives and how many sessions it
 * holds; for a store several gateways share, the cluster's clock, schema and members. An SQLite file that does not exist yet is reported, not created (the gateway creates it on first start).
 */
export async function checkStorage(
  paths: ConfigPaths,
  config: OpenClawConfig | undefined,
): Promise<DoctorCheck[]> {
  const section = (config as { storage?: { driver?: string; path?: string } } | undefined)?.storage;
  const driver = section?.driver ?? "sqlite";
  if (driver === "sqlite") {
    const file = section?.path
      ? resolve(paths.stateDir, section.path)
      : join(paths.stateDir, "state", "gateway.sqlite");
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      return [check("storage", "ok", `storage: sqlite at ${file} (created on the gateway's first start)`)];
    }
  }
  try {
    const { openGatewayStorage } = await import("@openclaw/gateway");
    const handle = await openGatewayStorage({ stateDir: paths.stateDir, configPath: paths.configPath });
    try {
      const count = await handle.storage.countSessions();
      return [
        check("storage", "ok", `storage: ${handle.driver} at ${handle.location}, ${count} session(s)`),
        ...(await checkCluster(handle.storage)),
      ];
    } finally {
      await handle.close();
    }
  } catch (error) {
    return [
      check(
        "storage",
        "error",
        `storage (${driver}) cannot be opened: ${(error as Error).message}`,
        STORAGE_FIX,
      ),
    ];
  }
}
