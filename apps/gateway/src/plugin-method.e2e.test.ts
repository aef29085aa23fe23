import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GatewayClient } from "@openclaw/client";
import { afterEach, beforeEach, expect, it } from "vitest";
import { pollUntil } from "./e2e-wait-support.js";
import { type GatewayServer, startGatewayServer } from "./index.js";

/** The example plugin, loaded by path as a user's `plugins.load.paths` entry: its channel and its `echo.stats`. */
const ECHO_PLUGIN_DIR = fileURLToPath(new URL("../../../examples/channel-echo", import.meta.url));
const TOKEN = "e".repeat(64);

let stateDir: string;
let gateway: GatewayServer | undefined;
const clients: GatewayClient[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

async function connect(scopes?: string[]): Promise<GatewayClient> {
  if (!gateway) throw new Error("start the gateway first");
  const client = new GatewayClient({ url: gateway.url, token: TOKEN, ...(scopes ? { scopes } : {}) });
  clients.push(client);
  await client.connect();
  return client;
}

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-plugin-method-"));
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await gateway?.close();
  gateway = undefined;
  await rm(stateDir, { recursive: true, force: true });
});

it("serves a plugin's own method: listed in hello-ok, answered, params parsed and its scope enforced", async () => {
  const echoPort = await freePort();
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      plugins: { load: { paths: [ECHO_PLUGIN_DIR] } },
      channels: { echo: { port: echoPort, dmPolicy: "open", allowFrom: ["*"] } },
    }),
  );
  gateway = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token: TOKEN } });
  const operator = await connect();
  expect(operator.hello?.features.methods).toContain("echo.stats");

  await pollUntil(
    "the echo channel connecting",
    async () => (await operator.request("channels.status", {})).channelAccounts.echo?.[0],
    (account) => account?.connected === true,
  );
  const inbound = await fetch(`http://127.0.0.1:${echoPort}/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: "u1", text: "count me" }),
  });
  expect(inbound.ok).toBe(true);
  // The plugin's handler answers from the plugin's own state (the channel counted the message it received).
  const stats = (await operator.request("echo.stats", {})) as {
    accounts: { accountId: string; running: boolean; received: number; sent: number }[];
  };
  expect(stats.accounts).toHaveLength(1);
  expect(stats.accounts[0]).toMatchObject({ accountId: "default", running: true, received: 1 });

  // Params go through the method's zod schema before its handler runs.
  await expect(operator.request("echo.stats", { accountId: "" })).rejects.toMatchObject({
    code: "INVALID_REQUEST",
    details: { code: "INVALID_PARAMS" },
  });

  // echo.stats needs operator.read: a connection holding only operator.pairing is refused, naming the scope.
  const pairingOnly = await connect(["operator.pairing"]);
  expect(pairingOnly.hello?.features.methods).toContain("echo.stats");
  await expect(pairingOnly.request("echo.stats", {})).rejects.toMatchObject({
    code: "FORBIDDEN",
    details: { code: "MISSING_SCOPE", missingScope: "operator.read" },
  });
});
