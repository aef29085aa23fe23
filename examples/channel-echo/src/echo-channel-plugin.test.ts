import type { InboundMessage } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { createEchoChannelPlugin } from "./echo-channel-plugin.js";

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

async function startEcho() {
  const plugin = createEchoChannelPlugin();
  const received: InboundMessage[] = [];
  const handle = await plugin.startAccount({
    accountId: "default",
    config: plugin.configSchema.parse({ dmPolicy: "open" }),
    logger: silentLogger,
    signal: new AbortController().signal,
    onInbound: (message) => {
      received.push(message);
    },
    setStatus() {},
  });
  const url = plugin.serverUrl("default");
  if (url === undefined) throw new Error("expected the echo server to be running");
  return { plugin, received, handle, url };
}

describe("echo channel", () => {
  it("turns POST /inbound into a DM and serves sent texts at GET /outbound", async () => {
    const { plugin, received, handle, url } = await startEcho();
    try {
      const posted = await fetch(`${url}/inbound`, {
        method: "POST",
        body: JSON.stringify({ from: "ada", text: "hello", name: "Ada" }),
      });
      await plugin.sendText({ accountId: "default", to: "ada", text: "hello back" });
      const outbound = await (await fetch(`${url}/outbound?to=ada`)).json();

      expect(posted.status).toBe(202);
      expect(received).toMatchObject([{ channel: "echo", chatKind: "dm", peer: { id: "ada", name: "Ada" } }]);
      expect(outbound).toMatchObject({ messages: [{ messageId: "out-1", text: "hello back" }] });
    } finally {
      await handle.stop();
    }
  });

  it("answers a bad body with 400 and an unknown route with 404", async () => {
    const { handle, url } = await startEcho();
    try {
      const bad = await fetch(`${url}/inbound`, { method: "POST", body: "{not json" });
      const missingTo = await fetch(`${url}/outbound`);
      const unknown = await fetch(`${url}/nowhere`);

      expect([bad.status, missingTo.status, unknown.status]).toEqual([400, 400, 404]);
      expect(await bad.json()).toEqual({
        error: 'POST /inbound needs a JSON body {"from": "<id>", "text": "..."}',
      });
    } finally {
      await handle.stop();
    }
  });

  it("refuses to send for an account that is not running, and its probe says so", async () => {
    const plugin = createEchoChannelPlugin();

    await expect(plugin.sendText({ accountId: "work", to: "ada", text: "hi" })).rejects.toThrow(
      'echo account "work" is not running',
    );
    await expect(plugin.probe?.({ accountId: "work", timeoutMs: 100 })).resolves.toEqual({
      ok: false,
      detail: 'account "work" is not running',
    });
  });
});
