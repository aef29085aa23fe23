import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChannelAccountContext } from "@openclaw/plugin-sdk";
import { startPlatformOutage } from "@openclaw/testing";
import { makeWASocket } from "baileys";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { WhatsAppAccountHandle } from "./whatsapp-account.js";
import { type WhatsAppConfig, WhatsAppConfigSchema } from "./whatsapp-config.js";
import { createWhatsAppPlugin } from "./whatsapp-plugin.js";

// The one place real Baileys runs: its socket against loopback endpoints that refuse it (a closed port, an
// endpoint that drops every WebSocket upgrade). That proves the default socket, our logger adapter, the auth state
// wiring and the give-up path; the protocol past the handshake cannot be served locally (see README).
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

interface Observed {
  statuses: { connected?: boolean; lastError?: string | null }[];
  errors: string[];
}

function accountContext(observed: Observed): ChannelAccountContext<WhatsAppConfig> {
  const silent = () => undefined;
  return {
    accountId: "default",
    // reconnect.* is for connections that were up: a start that cannot connect must not wait for it.
    config: WhatsAppConfigSchema.parse({ authDir: join(root, "auth"), reconnect: { maxAttempts: 6 } }),
    logger: { debug: silent, info: silent, warn: silent, error: (message) => observed.errors.push(message) },
    signal: new AbortController().signal,
    onInbound: silent,
    setStatus: (patch) => observed.statuses.push(patch),
  };
}

function pluginAt(url: string) {
  return createWhatsAppPlugin({ makeSocket: (config) => makeWASocket({ ...config, waWebSocketUrl: url }) });
}

it("real Baileys: a start whose upgrade is dropped is reported at the first failure, for the gateway to retry", async () => {
  const { port } = server.address() as AddressInfo;
  const observed: Observed = { statuses: [], errors: [] };
  const started = Date.now();
  const starting = pluginAt(`ws://127.0.0.1:${port}/ws/chat`).startAccount(
    accountContext(observed),
  ) as Promise<WhatsAppAccountHandle>;
  await expect(starting).rejects.toMatchObject({ code: "WHATSAPP_CONNECTION_FAILED" });
  // Seconds, not the old retry schedule (1 s, 2 s, 4 s ... before a word); loose, as the CI machine is shared and
  // the start imports Baileys first (seconds under load); the single upgrade below proves no retry.
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(upgrades).toBe(1);
  expect(observed.statuses.at(-1)).toEqual({
    connected: false,
    lastError: expect.stringMatching(/^cannot connect to WhatsApp .*the gateway retries with backoff$/),
  });
});

// Before, the start retried reconnect.maxAttempts times (1 s, 2 s, 4 s ... 30 s apart) before a word of it.
it("real Baileys: a closed port surfaces within seconds as lastError and an error log line", async () => {
  const outage = await startPlatformOutage({ target: "http://127.0.0.1:9", mode: "refused" });
  try {
    const observed: Observed = { statuses: [], errors: [] };
    const started = Date.now();
    const starting = pluginAt(`ws://127.0.0.1:${outage.port}/ws/chat`).startAccount(accountContext(observed));
    await expect(starting).rejects.toThrow(
      /cannot connect to WhatsApp \(WebSocket Error \(connect ECONNREFUSED/,
    );
    // Seconds, not the old retry schedule (1 s, 2 s, 4 s ... 30 s apart before a word); loose, as the CI machine is
    // shared and the start imports Baileys first (seconds under load).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(observed.statuses).toEqual([
      { connected: false, lastError: expect.stringContaining("ECONNREFUSED") },
    ]);
    expect(observed.errors).toEqual([expect.stringContaining("ECONNREFUSED")]);
  } finally {
    await outage.close();
  }
});
