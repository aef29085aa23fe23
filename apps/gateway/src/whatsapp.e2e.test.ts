import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWhatsAppPlugin } from "@openclaw/channel-whatsapp";
import { GatewayClient } from "@openclaw/client";
import { PluginRegistry } from "@openclaw/gateway-core";
import {
  createFakeWhatsAppSocketFactory,
  type FakeModelServer,
  startFakeModelServer,
} from "@openclaw/testing";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type GatewayServer, startGatewayServer } from "./index.js";

/*
 * WhatsApp's wire protocol cannot be faked on loopback, so this drives the real adapter and the real gateway with a
 * fake Baileys socket (the seam the adapter's README describes); auth state is written to real files.
 */
const TOKEN = "b".repeat(64);
let stateDir: string;
let model: FakeModelServer;
let gateway: GatewayServer | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-whatsapp-e2e-"));
  model = await startFakeModelServer();
});

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function startGateway(sockets: ReturnType<typeof createFakeWhatsAppSocketFactory>) {
  const plugins = new PluginRegistry();
  plugins.registerChannel(createWhatsAppPlugin({ makeSocket: sockets.makeSocket }));
  gateway = await startGatewayServer(0, {
    stateDir,
    env: {},
    auth: { mode: "token", token: TOKEN },
    plugins,
  });
  const client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  return client;
}

async function account(client: GatewayClient) {
  return (await client.request("channels.status", {})).channelAccounts.whatsapp?.[0];
}

it("links by QR, answers a DM through the gateway, and opens from the saved auth state after a restart", async () => {
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
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
      channels: {
        whatsapp: {
          authDir: join(stateDir, "credentials", "whatsapp", "default"),
          allowFrom: ["15557654321"],
        },
      },
    }),
  );
  model.setDefaultReply({ text: "hi from the agent" });

  const firstSockets = createFakeWhatsAppSocketFactory();
  const client = await startGateway(firstSockets);
  const socket = await firstSockets.socket(0);
  await expect.poll(() => socket.qrs.length).toBeGreaterThan(0);
  expect((await account(client))?.connected).toBe(false);
  socket.open();
  await expect.poll(async () => (await account(client))?.connected).toBe(true);

  socket.receiveText({ from: "15557654321@s.whatsapp.net", text: "hello there", pushName: "Dana" });
  await expect.poll(() => socket.sent.map((sent) => sent.text)).toContain("hi from the agent");
  expect(socket.presence.some((presence) => presence.type === "composing")).toBe(true);
  await client.close();
  await gateway?.close();

  // A fresh gateway on the same state dir links from the files on disk: no QR code this time.
  const secondSockets = createFakeWhatsAppSocketFactory();
  const again = await startGateway(secondSockets);
  const reopened = await secondSockets.socket(0);
  await expect.poll(async () => (await account(again))?.connected).toBe(true);
  expect(reopened.qrs).toEqual([]);
  await again.close();
});
