import { randomBytes } from "node:crypto";
import type { ClusterCoordinator, OpenClusterOptions, SessionStorage } from "@openclaw/sessions";
import { createPostgresStorage } from "../create-postgres-storage.js";
import { dropSchemas, TEST_DATABASE_URL, withTestClient } from "../test-database.js";

/**
 * Gateways of one test cluster: each instance has its own storage (its own pools, as separate processes would)
 * over one test schema. Storages are opened on first use and kept for the file; `cleanup` closes them and drops
 * the schema.
 */
export function testCluster(schema: string) {
  const storages: SessionStorage[] = [];
  const coordinators = new Set<ClusterCoordinator>();

  async function storage(index: number): Promise<SessionStorage> {
    while (storages.length <= index) {
      storages.push(await createPostgresStorage({ url: TEST_DATABASE_URL, schema, pool: { max: 2 } }));
    }
    return storages[index] as SessionStorage;
  }

  async function open(index: number, options: Partial<OpenClusterOptions> = {}): Promise<ClusterCoordinator> {
    const opened = await (await storage(index)).openCluster?.({
      instanceId: `test-${index}-${randomBytes(4).toString("hex")}`,
      ...options,
    });
    if (!opened) throw new Error("the postgres storage offers no openCluster");
    coordinators.add(opened);
    return opened;
  }

  return {
    open,
    /** Makes lease `name` look abandoned by its holder (server clock), as the conformance suite's hook. */
    async expireLease(name: string): Promise<void> {
      await withTestClient((c) =>
        c.query(
          `UPDATE "${schema}".cluster_leases SET expires_at = clock_timestamp() - interval '1 millisecond' WHERE name = $1`,
          [name],
        ),
      );
    },
    /** Ends every backend of this test schema's cluster connections whose application_name matches. */
    async terminate(applicationNameLike: string): Promise<number> {
      const result = await withTestClient((c) =>
        c.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1 AND pid <> pg_backend_pid()",
          [applicationNameLike],
        ),
      );
      return result.rowCount ?? 0;
    },
    async closeAll(): Promise<void> {
      await Promise.allSettled([...coordinators].map((c) => c.close()));
      coordinators.clear();
    },
    async cleanup(): Promise<void> {
      await Promise.allSettled([...coordinators].map((c) => c.close()));
      await Promise.allSettled(storages.map((s) => s.close()));
      await dropSchemas(schema);
    },
  };
}
