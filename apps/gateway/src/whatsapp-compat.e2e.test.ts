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
 * An OpenClaw config lists WhatsApp senders as E.164 numbers; the adapter reports the bare digits of the jid.
 * Driven through the real adapter and gateway with the fake Baileys socket, as in whatsapp.e2e.test.ts.
 */
const TOKEN = "c".repeat(64);
let stateDir: string;
let model: FakeModelServer;
let gateway: GatewayServer | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-whatsapp-compat-e2e-"));
  model = await startFakeModelServer();
});

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

it("lets an allowFrom E.164 number through and still offers another number a pairing code", async () => {
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
          dmPolicy: "pairing",
          allowFrom: ["+1 555-555-0123"],
        },
      },
    }),
  );
  model.setDefaultReply({ text: "hello from the agent" });

  const sockets = createFakeWhatsAppSocketFactory();
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
  const socket = await sockets.socket(0);
  socket.open();
  await expect
    .poll(async () => (await client.request("channels.status", {})).channelAccounts.whatsapp?.[0]?.connected)
    .toBe(true);

  socket.receiveText({ from: "15555550123@s.whatsapp.net", text: "hi", pushName: "Listed" });
  await expect
    .poll(() => socket.sent.filter((sent) => sent.jid.startsWith("15555550123")).map((sent) => sent.text))
    .toContain("hello from the agent");

  socket.receiveText({ from: "15555550999@s.whatsapp.net", text: "hi", pushName: "Stranger" });
  await expect
    .poll(() =>
      socket.sent
        .filter((sent) => sent.jid.startsWith("15555550999"))
        .some((sent) => /pairing code/i.test(sent.text ?? "")),
    )
    .toBe(true);
  expect(
    socket.sent.filter((sent) => sent.jid.startsWith("15555550999")).map((sent) => sent.text),
  ).not.toContain("hello from the agent");
  await client.close();
});
