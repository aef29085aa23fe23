import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChannelAccountContext } from "@openclaw/plugin-sdk";
import { makeWASocket } from "baileys";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { WhatsAppAccountHandle } from "./whatsapp-account.js";
import { type WhatsAppConfig, WhatsAppConfigSchema } from "./whatsapp-config.js";
import { createWhatsAppPlugin } from "./whatsapp-plugin.js";

// The one place real Baileys runs: its socket against a loopback endpoint that drops every WebSocket upgrade.
// That proves the default socket, our logger adapter and the auth state wiring, and the give-up path; the
// protocol past the handshake cannot be served locally (see README).
let server: Server;
let root: string;
let upgrades = 0;

beforeEach(async () => {
  upgrades = 0;
  root = await mkdtemp(join(tmpdir(), "openclaw-whatsapp-baileys-"));
  server = createServer((_request, response) => response.writeHead(404).end());
  server.on("upgrade", (_request, socket) => {
    upgrades += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

it("real Baileys: a connection that keeps failing is retried with backoff, then reported so the gateway restarts it", async () => {
  const { port } = server.address() as AddressInfo;
  const plugin = createWhatsAppPlugin({
    makeSocket: (config) => makeWASocket({ ...config, waWebSocketUrl: `ws://127.0.0.1:${port}/ws/chat` }),
  });
  const statuses: { connected?: boolean; lastError?: string | null }[] = [];
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const context: ChannelAccountContext<WhatsAppConfig> = {
    accountId: "default",
    config: WhatsAppConfigSchema.parse({
      authDir: join(root, "auth"),
      reconnect: { initialDelayMs: 1, maxAttempts: 2 },
    }),
    logger: silent,
    signal: new AbortController().signal,
    onInbound() {},
    setStatus(patch) {
      statuses.push(patch);
    },
  };
  const starting = plugin.startAccount(context) as Promise<WhatsAppAccountHandle>;
  await expect(starting).rejects.toMatchObject({ code: "WHATSAPP_CONNECTION_FAILED" });
  expect(upgrades).toBe(3);
  expect(statuses.at(-1)).toEqual({
    connected: false,
    lastError: expect.stringMatching(/WhatsApp connection failed 3 times in a row/),
  });
});
