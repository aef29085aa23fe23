import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discordPlugin } from "@openclaw/channel-discord";
import { slackPlugin } from "@openclaw/channel-slack";
import { telegramPlugin } from "@openclaw/channel-telegram";
import { createWhatsAppPlugin } from "@openclaw/channel-whatsapp";
import { GatewayClient } from "@openclaw/client";
import { PluginRegistry } from "@openclaw/gateway-core";
import {
  createFakeWhatsAppSocketFactory,
  startFakeDiscordServer,
  startFakeSlackServer,
  startFakeTelegramServer,
} from "@openclaw/testing";
import { expect, it } from "vitest";
import { startGatewayServer } from "./index.js";

it("runs all four first-party channels side by side and probes each in channels.status", async () => {
  const stateDir = await mkdtemp(join(tmpdir(), "openclaw-all-channels-"));
  const [telegram, slack, discord] = await Promise.all([
    startFakeTelegramServer(),
    startFakeSlackServer(),
    startFakeDiscordServer(),
  ]);
  const sockets = createFakeWhatsAppSocketFactory({
    linkedAs: { id: "15550001111:7@s.whatsapp.net", name: "Bot" },
  });
  const plugins = new PluginRegistry();
  plugins.registerChannel(telegramPlugin);
  plugins.registerChannel(slackPlugin);
  plugins.registerChannel(discordPlugin);
  plugins.registerChannel(createWhatsAppPlugin({ makeSocket: sockets.makeSocket }));
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      channels: {
        telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 },
        slack: { botToken: slack.botToken, appToken: slack.appToken, apiUrl: slack.apiUrl },
        discord: { token: discord.token, apiBaseUrl: discord.apiBase },
        whatsapp: { authDir: join(stateDir, "credentials", "whatsapp", "default") },
      },
    }),
  );
  const token = "c".repeat(64);
  const gateway = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token }, plugins });
  const client = new GatewayClient({ url: gateway.url, token });
  try {
    await client.connect();
    const channels = ["telegram", "slack", "discord", "whatsapp"];
    await expect
      .poll(async () => {
        const status = await client.request("channels.status", {});
        return channels.filter((id) => status.channelAccounts[id]?.[0]?.connected);
      })
      .toEqual(channels);
    const probed = await client.request("channels.status", { probe: true, timeoutMs: 15_000 });
    expect(probed.channelOrder).toEqual(channels);
    for (const id of channels) {
      const probe = (probed.channelAccounts[id]?.[0] as { probe?: { ok: boolean } } | undefined)?.probe;
      expect(probe, `${id} was probed`).toMatchObject({ ok: true });
    }
  } finally {
    await client.close();
    await gateway.close();
    await Promise.all([telegram.close(), slack.close(), discord.close()]);
    await rm(stateDir, { recursive: true, force: true });
  }
});
