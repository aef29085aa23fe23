import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import { createMemoryStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GatewayServer, startGatewayServer } from "./index.js";

const TOKEN = "s".repeat(64);
const auth = { mode: "token" as const, token: TOKEN };
const POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

let stateDir: string;
const servers: GatewayServer[] = [];
const clients: GatewayClient[] = [];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-storage-"));
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await rm(stateDir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startGatewayServer>[1] = {}) {
  const server = await startGatewayServer(0, { stateDir, auth, env: {}, ...options });
  servers.push(server);
  const client = new GatewayClient({ url: server.url, token: TOKEN });
  clients.push(client);
  await client.connect();
  return { server, client };
}

async function stop(server: GatewayServer, client: GatewayClient) {
  await client.close();
  await server.close();
  servers.splice(servers.indexOf(server), 1);
  clients.splice(clients.indexOf(client), 1);
}

describe("storage through startGatewayServer", () => {
  it("serves sessions from an injected storage instance, and leaves closing it to its owner", async () => {
    const storage = createMemoryStorage();
    const { server, client } = await start({ storage });
    await client.request("sessions.patch", { key: "agent:main:injected", label: "Injected" });
    expect((await storage.getSession("agent:main:injected"))?.entry.label).toBe("Injected");
    const listed = await client.request("sessions.list", {});
    expect(listed.path).toBe(storage.location);
    await stop(server, client);
    expect(await storage.countSessions()).toBe(1);
    await storage.close();
  });

  it("keeps sessions in SQLite under the state dir by default, across a restart", async () => {
    const first = await start();
    await first.client.request("sessions.patch", { key: "agent:main:kept", label: "Kept" });
    expect((await first.client.request("sessions.list", {})).path).toBe(
      join(stateDir, "state", "gateway.sqlite"),
    );
    await stop(first.server, first.client);
    const second = await start();
    const { sessions } = await second.client.request("sessions.list", {});
    expect(sessions.map((row) => row.label)).toEqual(["Kept"]);
  });

  it("uses PostgreSQL when the config names it, in its own schema, across a restart", async () => {
    const schema = `gw_e2e_${randomBytes(6).toString("hex")}`;
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({ storage: { driver: "postgres", url: POSTGRES_URL, schema } }),
    );
    try {
      const first = await start();
      await first.client.request("sessions.patch", { key: "agent:main:shared", label: "Shared" });
      const listed = await first.client.request("sessions.list", {});
      expect(listed.path).toBe("postgres://postgres@127.0.0.1:5432/test");
      await stop(first.server, first.client);
      const second = await start();
      const { sessions } = await second.client.request("sessions.list", {});
      expect(sessions.map((row) => row.label)).toEqual(["Shared"]);
      const count = execFileSync("psql", [POSTGRES_URL, "-tAc", `select count(*) from "${schema}".sessions`]);
      expect(count.toString().trim()).toBe("1");
    } finally {
      execFileSync("psql", [POSTGRES_URL, "-qc", `drop schema if exists "${schema}" cascade`]);
    }
  });

  it("refuses to start with a driver nobody registered, naming storage.driver", async () => {
    await writeFile(join(stateDir, "openclaw.json"), JSON.stringify({ storage: { driver: "mongo" } }));
    await expect(startGatewayServer(0, { stateDir, auth, env: {} })).rejects.toMatchObject({
      code: "STORAGE_DRIVER_UNKNOWN",
      message: expect.stringContaining("storage.driver"),
    });
  });
});
