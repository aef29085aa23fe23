import type { ChannelPlugin, ChannelQrLogin } from "@openclaw/plugin-sdk";
import { ChannelError } from "../channels/channel-error.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { renderQrDataUrl } from "./web-login-qr.js";

/** How long `web.login.start` waits for the platform's first QR code when the caller gives no `timeoutMs`. */
export const WEB_LOGIN_START_TIMEOUT_MS = 30_000;
/** How long `web.login.wait` waits for a scan or a rotated QR code when the caller gives no `timeoutMs`. */
export const WEB_LOGIN_WAIT_TIMEOUT_MS = 60_000;
/** A wait holds a request open; past this the client should simply call again. */
const WEB_LOGIN_MAX_TIMEOUT_MS = 300_000;

interface QrChannel {
  channel: string;
  accountId: string;
  qrLogin: ChannelQrLogin;
}

interface RenderedQr {
  qr: string;
  dataUrl: string;
}

/** The last QR rendered per channel account, so a client's `currentQrDataUrl` maps back to the platform's payload. */
const renderedByRuntime = new WeakMap<GatewayRuntime, Map<string, RenderedQr>>();

function renderedQrs(runtime: GatewayRuntime): Map<string, RenderedQr> {
  let rendered = renderedByRuntime.get(runtime);
  if (rendered === undefined) {
    rendered = new Map();
    renderedByRuntime.set(runtime, rendered);
  }
  return rendered;
}

/**
 * The first configured channel (in registration order) whose plugin links by QR code. Only configured channels are
 * loaded: importing a platform library the gateway does not run would cost memory for nothing.
 */
async function pickQrChannel(runtime: GatewayRuntime, accountId: string | undefined): Promise<QrChannel> {
  const status = await runtime.channels.status();
  for (const channel of runtime.plugins.channelIds()) {
    const summary = status.channels[channel] as { configured?: boolean } | undefined;
    if (summary?.configured !== true) continue;
    let plugin: ChannelPlugin;
    try {
      plugin = await runtime.plugins.getChannel(channel);
    } catch {
      continue;
    }
    if (plugin.qrLogin === undefined) continue;
    const accounts = (status.channelAccounts[channel] ?? []).map((account) => account.accountId);
    const target = accountId ?? status.channelDefaultAccountId[channel] ?? accounts[0];
    if (target === undefined || !accounts.includes(target)) {
      throw new ChannelError(
        "CHANNEL_ACCOUNT_UNKNOWN",
        `channel "${channel}" has no account "${target ?? ""}": pick one of ${accounts.join(", ") || "(none)"} or add channels.${channel}.accounts.${target ?? "<id>"}`,
        { channel },
      );
    }
    return { channel, accountId: target, qrLogin: plugin.qrLogin };
  }
  throw new ChannelError(
    "CHANNEL_QR_LOGIN_UNAVAILABLE",
    "no channel that links by QR code is configured: add one (for example channels.whatsapp) to openclaw.json",
  );
}

async function renderQr(runtime: GatewayRuntime, key: string, qr: string): Promise<string> {
  const rendered = renderedQrs(runtime);
  const cached = rendered.get(key);
  if (cached?.qr === qr) return cached.dataUrl;
  const dataUrl = await renderQrDataUrl(qr);
  rendered.set(key, { qr, dataUrl });
  return dataUrl;
}

const clampTimeout = (timeoutMs: number | undefined, fallback: number): number =>
  Math.min(timeoutMs ?? fallback, WEB_LOGIN_MAX_TIMEOUT_MS);

export const webLoginMethods: Pick<MethodHandlers, "web.login.start" | "web.login.wait"> = {
  "web.login.start": async ({ accountId, force, timeoutMs }, { runtime }) => {
    const target = await pickQrChannel(runtime, accountId);
    const key = `${target.channel}\u0000${target.accountId}`;
    const state = await target.qrLogin.start({
      accountId: target.accountId,
      force: force === true,
      timeoutMs: clampTimeout(timeoutMs, WEB_LOGIN_START_TIMEOUT_MS),
      restartAccount: async () => {
        await runtime.channels.stopChannel(target.channel, target.accountId);
        await runtime.channels.startChannel(target.channel, target.accountId);
      },
    });
    runtime.logger.info("web login started", {
      channel: target.channel,
      accountId: target.accountId,
      linked: state.linked,
      qr: state.qr !== undefined,
    });
    if (state.qr === undefined || state.linked) return { message: state.message };
    return { qrDataUrl: await renderQr(runtime, key, state.qr), message: state.message };
  },

  "web.login.wait": async ({ accountId, timeoutMs, currentQrDataUrl }, { runtime }) => {
    const target = await pickQrChannel(runtime, accountId);
    const key = `${target.channel}\u0000${target.accountId}`;
    const shown = renderedQrs(runtime).get(key);
    // An unknown data URL (another gateway run rendered it) maps to no QR: the plugin then answers with its latest.
    const currentQr = shown !== undefined && shown.dataUrl === currentQrDataUrl ? shown.qr : undefined;
    const state = await target.qrLogin.wait({
      accountId: target.accountId,
      timeoutMs: clampTimeout(timeoutMs, WEB_LOGIN_WAIT_TIMEOUT_MS),
      ...(currentQr === undefined ? {} : { currentQr }),
    });
    if (state.linked) {
      renderedQrs(runtime).delete(key);
      runtime.logger.info("web login linked", { channel: target.channel, accountId: target.accountId });
      return { connected: true, message: state.message };
    }
    if (state.qr === undefined || state.qr === currentQr) return { connected: false, message: state.message };
    return { connected: false, message: state.message, qrDataUrl: await renderQr(runtime, key, state.qr) };
  },
};
