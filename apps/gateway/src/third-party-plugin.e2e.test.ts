import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GatewayClient } from "@openclaw/client";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterEach, beforeEach, expect, it } from "vitest";
import { pollUntil } from "./e2e-wait-support.js";
import { type GatewayServer, startGatewayServer } from "./index.js";

/**
 * The example third-party plugin, loaded by path exactly as a user's `plugins.load.paths` entry would be (it is a
 * devDependency only so that the build runs before this test).
 */
const ECHO_PLUGIN_DIR = fileURLToPath(new URL("../../../examples/channel-echo", import.meta.url));
const TOKEN = "f".repeat(64);

let stateDir: string;
let model: FakeModelServer;
let gateway: GatewayServer | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-plugin-e2e-"));
  model = await startFakeModelServer();
});

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

it("loads a third-party channel from plugins.load.paths and answers through it", async () => {
  const echoPort = await freePort();
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      plugins: {
        load: { paths: [ECHO_PLUGIN_DIR] },
        entries: { "openclaw-plugin-that-is-not-installed": {} },
      },
      models: {
        providers: {
          fake: {
            baseUrl: model.baseUrlFor("openai-completions"),
            api: "openai-completions",
            models: [{ id: "m" }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/m" } } },
      channels: { echo: { port: echoPort, dmPolicy: "open", allowFrom: ["*"] } },
    }),
  );
  model.setDefaultReply({ text: "echo says hi" });
  gateway = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token: TOKEN } });
  const client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  try {
    await pollUntil(
      "the echo channel connecting",
      async () => (await client.request("channels.status", {})).channelAccounts.echo?.[0],
      (account) => account?.connected === true,
    );
    const inbound = await fetch(`http://127.0.0.1:${echoPort}/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: "u1", text: "hello echo" }),
    });
    expect(inbound.ok).toBe(true);
    const replies = await pollUntil(
      "a reply reaching the echo platform",
      async () => {
        const body = (await (await fetch(`http://127.0.0.1:${echoPort}/outbound?to=u1`)).json()) as {
          messages: { text: string }[];
        };
        return body.messages;
      },
      (messages) => messages.length > 0,
    );
    expect(replies[0]?.text).toBe("echo says hi");
  } finally {
    await client.close();
  }
  // The missing npm plugin is reported in the log with what to do, and did not stop anything else.
  const { readFile } = await import("node:fs/promises");
  const log = await readFile(gateway.logFile, "utf8");
  expect(log).toContain("openclaw-plugin-that-is-not-installed");
  expect(log).toMatch(/npm i openclaw-plugin-that-is-not-installed/);
});
