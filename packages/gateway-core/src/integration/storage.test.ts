import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createMemoryStorage, type SessionStorage, type StorageDriver } from "@openclaw/sessions";
import { sqliteStorageDriver } from "@openclaw/store-sqlite";
import { describe, expect, it } from "vitest";
import { PluginRegistry } from "../channels/index.js";
import { GatewayStartError } from "../runtime/gateway-start-error.js";
import { callChecked, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

/** A driver over the memory storage that remembers what it opened and with which options. */
function memoryDriver(id = "memory") {
  const opened: { options: Record<string, unknown>; storage: SessionStorage; closed: boolean }[] = [];
  const driver: StorageDriver = {
    id,
    async open(options) {
      const storage = createMemoryStorage();
      const record = { options, storage, closed: false };
      const close = storage.close.bind(storage);
      storage.close = async () => {
        record.closed = true;
        await close();
      };
      opened.push(record);
      return storage;
    },
  };
  return { driver, opened };
}

function registryWith(...drivers: StorageDriver[]): PluginRegistry {
  const registry = new PluginRegistry();
  for (const driver of drivers) registry.registerStorageDriver(driver);
  return registry;
}

describe("storage", () => {
  it("serves sessions from an injected storage instance", async () => {
    const storage = createMemoryStorage();
    const gateway = await env.start({ storage });
    const { client } = await env.connect(gateway);
    await callChecked(client, "sessions.patch", { key: "agent:main:main", label: "Inbox" });
    const row = await storage.getSession("agent:main:main");
    expect(row?.entry).toMatchObject({ label: "Inbox" });
    expect(gateway.server.runtime.storage).toBe(storage);
  });

  it("opens the config's storage.driver through the registry with its options, and closes it on close", async () => {
    const { driver, opened } = memoryDriver();
    const gateway = await env.start({
      plugins: registryWith(driver),
      config: { storage: { driver: "memory", url: "mem://one", poolSize: 3 } },
    });
    expect(opened.map((each) => each.options)).toEqual([{ url: "mem://one", poolSize: 3 }]);
    const { client } = await env.connect(gateway);
    await callChecked(client, "sessions.patch", { key: "agent:main:main", label: "Via driver" });
    expect((await opened[0]?.storage.getSession("agent:main:main"))?.entry).toMatchObject({
      label: "Via driver",
    });
    await gateway.server.close();
    expect(opened[0]?.closed).toBe(true);
  });

  it("fails the start with a typed error naming storage.driver and the registered drivers", async () => {
    const { driver } = memoryDriver();
    const start = env.start({ plugins: registryWith(driver), config: { storage: { driver: "mongo" } } });
    await expect(start).rejects.toBeInstanceOf(GatewayStartError);
    await expect(start).rejects.toMatchObject({
      code: "STORAGE_DRIVER_UNKNOWN",
      message: expect.stringMatching(/storage\.driver is "mongo".*memory, file/),
    });
  });

  it("imports the legacy sessions.json + JSONL layout once into a new storage, with a log line", async () => {
    const stateDir = await env.makeStateDir();
    const legacy = await env.start({ stateDir });
    const { client } = await env.connect(legacy);
    await callChecked(client, "sessions.patch", { key: "agent:main:main", label: "Old" });
    await legacy.server.runtime.sessions.appendTranscript("agent:main:main", {
      role: "user",
      text: "hi",
      ts: 1,
    });
    await legacy.server.close();

    const storage = createMemoryStorage();
    const migrated = await env.start({ stateDir, storage });
    expect((await storage.getSession("agent:main:main"))?.entry).toMatchObject({ label: "Old" });
    expect(await migrated.server.runtime.sessions.readTranscript("agent:main:main")).toEqual([
      expect.objectContaining({ role: "user", text: "hi" }),
    ]);
    const log = await readFile(migrated.server.logFile, "utf8");
    expect(log).toMatch(/legacy sessions imported.*"sessions":1.*"transcripts":1/);
    // The originals stay where they were.
    await access(join(stateDir, "agents", "main", "sessions", "sessions.json"));
  });

  it("keeps sessions in SQLite across a restart when storage.driver is sqlite", async () => {
    const stateDir = await env.makeStateDir();
    const plugins = () => registryWith(sqliteStorageDriver);
    const first = await env.start({
      stateDir,
      plugins: plugins(),
      config: { storage: { driver: "sqlite" } },
    });
    expect(first.server.runtime.storage?.driver).toBe("sqlite");
    const { client } = await env.connect(first);
    await callChecked(client, "sessions.patch", { key: "agent:main:main", label: "Durable" });
    await first.server.close();

    const second = await env.start({ stateDir, plugins: plugins(), config: { storage: {} } });
    expect(second.server.runtime.storage?.driver).toBe("sqlite");
    expect(await second.server.runtime.sessions.get("agent:main:main")).toMatchObject({ label: "Durable" });
  });

  it("keeps pairing, node pairing, the exec allowlist and cron in the storage's tables", async () => {
    const storage = createMemoryStorage();
    const gateway = await env.start({ storage });
    const { runtime } = gateway.server;
    runtime.pairing.request({ channel: "telegram", accountId: "default", senderId: "42" });
    const { client } = await env.connect(gateway);
    await client.call("cron.add", {
      name: "digest",
      schedule: { kind: "cron", expr: "0 8 * * *", tz: "UTC" },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "write the digest" },
    });
    await gateway.server.close();
    // Closing flushed every table store before the storage went away.
    expect(await storage.table("pairing.requests").list()).toHaveLength(1);
    expect(await storage.table("cron.jobs").list()).toHaveLength(1);
  });

  it("falls back to the file layout when no storage is named and the default driver cannot run here", async () => {
    const { driver, opened } = memoryDriver("sqlite");
    const plugins = registryWith({ ...driver, unavailableReason: async () => "node:sqlite is missing" });
    const gateway = await env.start({ plugins });
    expect(opened).toEqual([]);
    expect(gateway.server.runtime.storage).toBeUndefined();
    const log = await readFile(gateway.server.logFile, "utf8");
    expect(log).toMatch(/default storage driver unavailable.*node:sqlite is missing/);
    // Named in the config, the same driver is opened as asked (its own error would then stop the start).
    const named = await env.start({
      plugins: registryWith(driver),
      config: { storage: { driver: "sqlite" } },
    });
    expect(named.server.runtime.storage?.driver).toBe("memory");
  });
});
