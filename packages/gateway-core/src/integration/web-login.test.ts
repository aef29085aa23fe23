import { defineChannelPlugin, type QrLoginState } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PluginRegistry } from "../channels/plugin-registry.js";
import { callChecked, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A channel that pairs like WhatsApp Web: a QR code while unlinked, rotated on demand, linked by `scan()`. */
function createQrChannel() {
  let qr: string | undefined;
  let linked = false;
  let rotation = 0;
  const starts: string[] = [];
  const listeners = new Set<() => void>();
  const waitStarted: (() => void)[] = [];
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  const state = (message: string): QrLoginState =>
    linked ? { linked, message: "linked" } : { linked, message, ...(qr === undefined ? {} : { qr }) };

  const plugin = defineChannelPlugin({
    apiVersion: 1,
    id: "qr-chat",
    meta: { label: "QR Chat" },
    configSchema: z.object({}).loose(),
    capabilities: {
      dms: true,
      groups: false,
      threads: false,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 1000,
    },
    async startAccount(context) {
      starts.push(context.accountId);
      if (!linked) {
        rotation += 1;
        qr = `qr-chat-pairing-${rotation}`;
      }
      return { stop: async () => undefined };
    },
    async sendText() {
      return { messageId: "1" };
    },
    qrLogin: {
      async start({ force, restartAccount }) {
        if (force) linked = false;
        if (force || qr === undefined) await restartAccount();
        return state("scan the code");
      },
      async wait({ timeoutMs, currentQr }) {
        if (linked || qr !== currentQr) return state("a new code");
        return new Promise<QrLoginState>((resolve) => {
          const settle = (message: string) => {
            clearTimeout(timer);
            listeners.delete(onChange);
            resolve(state(message));
          };
          const onChange = () => settle("a new code");
          const timer = setTimeout(() => settle("scan the code"), timeoutMs);
          listeners.add(onChange);
          waitStarted.shift()?.();
        });
      },
    },
  });

  return {
    plugin,
    starts,
    /** Resolves when the next `wait` is parked waiting for a change. */
    nextWait: () => new Promise<void>((resolve) => waitStarted.push(resolve)),
    rotate() {
      rotation += 1;
      qr = `qr-chat-pairing-${rotation}`;
      changed();
    },
    scan() {
      linked = true;
      qr = undefined;
      changed();
    },
  };
}

async function startWithQrChannel() {
  const fake = createQrChannel();
  const plugins = new PluginRegistry();
  plugins.registerChannel(fake.plugin);
  const gateway = await env.start({ plugins, config: { channels: { "qr-chat": {} } } });
  const { client } = await env.connect(gateway);
  return { fake, client };
}

function pngOf(dataUrl: string): Buffer {
  expect(dataUrl.startsWith("data:image/png;base64,")).toBe(true);
  return Buffer.from(dataUrl.slice("data:image/png;base64,".length), "base64");
}

describe("web.login.*", () => {
  it("start renders the channel's QR code as a PNG data URL and wait reports the link", async () => {
    const { fake, client } = await startWithQrChannel();

    const started = await callChecked(client, "web.login.start", { timeoutMs: 5_000 });
    expect(started.message).toBe("scan the code");
    const first = started.qrDataUrl ?? "";
    expect(pngOf(first).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(first.length).toBeLessThanOrEqual(16_384);

    // Nothing changes: the wait times out with the same code, so no new image is sent.
    const idle = await callChecked(client, "web.login.wait", { timeoutMs: 0, currentQrDataUrl: first });
    expect(idle).toEqual({ connected: false, message: "scan the code" });

    // The platform rotates the code while the client waits: the wait ends with the new image.
    const parked = fake.nextWait();
    const rotating = callChecked(client, "web.login.wait", { timeoutMs: 10_000, currentQrDataUrl: first });
    await parked;
    fake.rotate();
    const rotated = await rotating;
    expect(rotated.connected).toBe(false);
    expect(rotated.qrDataUrl).toBeDefined();
    expect(rotated.qrDataUrl).not.toBe(first);

    const scanned = fake.nextWait();
    const linking = callChecked(client, "web.login.wait", {
      timeoutMs: 10_000,
      currentQrDataUrl: rotated.qrDataUrl ?? "",
    });
    await scanned;
    fake.scan();
    expect(await linking).toEqual({ connected: true, message: "linked" });

    // Already linked: start answers without a code.
    expect(await callChecked(client, "web.login.start", {})).toEqual({ message: "linked" });
  });

  it("force restarts the account through the gateway to offer a fresh code", async () => {
    const { fake, client } = await startWithQrChannel();
    const before = fake.starts.length;

    const forced = await callChecked(client, "web.login.start", { force: true, accountId: "default" });

    expect(fake.starts.length).toBe(before + 1);
    expect(pngOf(forced.qrDataUrl ?? "").subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it("refuses an account the QR channel does not have", async () => {
    const { client } = await startWithQrChannel();

    const error = await client.callError("web.login.wait", { accountId: "work" });

    expect(error.code).toBe("INVALID_REQUEST");
    expect(error.message).toContain('channel "qr-chat" has no account "work"');
    expect(error.details).toMatchObject({ code: "CHANNEL_ACCOUNT_UNKNOWN" });
  });

  it("answers a clear error when no configured channel links by QR code", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);

    const error = await client.callError("web.login.start", {});

    expect(error.code).toBe("INVALID_REQUEST");
    expect(error.message).toContain("no channel that links by QR code is configured");
    expect(error.details).toMatchObject({ code: "CHANNEL_QR_LOGIN_UNAVAILABLE" });
  });
});
