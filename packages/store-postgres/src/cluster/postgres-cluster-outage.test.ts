import type { ClusterCoordinator, SessionStorage } from "@openclaw/sessions";
import { afterAll, expect, it } from "vitest";
import { createPostgresStorage } from "../create-postgres-storage.js";
import { isPostgresStorageError } from "../postgres-storage-error.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName } from "../test-database.js";
import { startTcpProxy } from "./tcp-proxy.test-support.js";

const schema = testSchemaName("cluster_outage");
const target = new URL(TEST_DATABASE_URL);
const opened: Array<{ close(): Promise<void> }> = [];

afterAll(async () => {
  for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
  await dropSchemas(schema);
});

async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function openThrough(url: string, instanceId: string): Promise<[SessionStorage, ClusterCoordinator]> {
  const storage = await createPostgresStorage({ url, schema, connectTimeoutMs: 1_000 });
  opened.push(storage);
  const coordinator = await storage.openCluster?.({ instanceId });
  if (!coordinator) throw new Error("the postgres storage offers no openCluster");
  opened.push(coordinator);
  return [storage, coordinator];
}

it("goes unavailable when the server is cut away, loses its leases at expiry, and recovers", async () => {
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  opened.push(proxy);
  const proxied = new URL(TEST_DATABASE_URL);
  proxied.port = String(proxy.port);
  const [, cut] = await openThrough(proxied.toString(), "behind-proxy");
  const [, direct] = await openThrough(TEST_DATABASE_URL, "direct");
  const changes: boolean[] = [];
  cut.onAvailabilityChange((available) => changes.push(available));
  await cut.join({ version: "1", hostname: "h", pid: 1, startedAt: 1 });
  const lease = await cut.tryAcquireLease("account:one", { ttlMs: 1_500 });
  let lostAt = 0;
  lease?.onLost(() => {
    lostAt = Date.now();
  });

  const cutAt = Date.now();
  await proxy.cut();
  const error = await cut.claimOnce("while-cut").then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isPostgresStorageError(error, "STORAGE_UNREACHABLE"), String(error)).toBe(true);
  expect(cut.available).toBe(false);
  expect(changes).toEqual([false]);
  // No renewal can get through: the holder gives the lease up by its expiry, and another instance takes it.
  await eventually("the lease to be lost", () => lostAt > 0);
  expect(lostAt - cutAt).toBeLessThan(1_500 + 500);
  expect(lease?.held).toBe(false);
  await eventually("the direct instance to take the lease", async () =>
    Boolean(await direct.tryAcquireLease("account:one")),
  );

  await proxy.restore();
  await eventually("a call to get through again", async () =>
    cut.claimOnce("after-restore").then(
      () => true,
      () => false,
    ),
  );
  expect(cut.available).toBe(true);
  expect(changes).toEqual([false, true]);
  const atCut: unknown[] = [];
  cut.subscribe("after", (payload) => atCut.push(payload));
  await eventually("the listener to hear again", () => {
    direct.publish("after", "ping");
    return atCut.length > 0;
  });

  await proxy.cut();
  const closeStarted = Date.now();
  await cut.close();
  expect(Date.now() - closeStarted).toBeLessThan(4_000);
  await proxy.restore();
}, 40_000);
