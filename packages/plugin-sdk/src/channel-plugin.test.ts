import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ChannelLogger,
  type ChannelPlugin,
  defineChannelPlugin,
  parseChannelAccountConfig,
  validateChannelPlugin,
} from "./channel-plugin.js";
import { CHANNEL_PLUGIN_API_VERSION, isCompatiblePluginApiVersion } from "./channel-plugin-api-version.js";
import type { InboundMessage } from "./inbound-message.js";
import { PluginError } from "./plugin-error.js";

/** An in-memory channel: `deliver` plays the platform sending a message to the bot. */
function createLoopbackPlugin() {
  const sent: { to: string; text: string }[] = [];
  let deliver: ((text: string) => Promise<void>) | undefined;
  const plugin = defineChannelPlugin({
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id: "loopback",
    meta: { label: "Loopback", description: "Messages that never leave the process" },
    configSchema: z.object({ botName: z.string().min(1), greeting: z.string().default("hi") }),
    capabilities: {
      dms: true,
      groups: false,
      threads: false,
      reactions: false,
      typing: false,
      media: false,
      edits: false,
      maxTextLength: 4096,
    },
    async startAccount(context) {
      context.setStatus({ connected: true, lastError: null });
      let counter = 0;
      deliver = async (text) => {
        counter += 1;
        await context.onInbound({
          channel: "loopback",
          accountId: context.accountId,
          peer: { id: "user-1" },
          chatKind: "dm",
          sender: { id: "user-1", name: context.config.botName },
          text,
          mentionsBot: true,
          timestamp: Date.now(),
          platformMessageId: String(counter),
        });
      };
      return {
        async stop() {
          deliver = undefined;
          context.setStatus({ connected: false });
        },
      };
    },
    async sendText({ to, text }) {
      sent.push({ to, text });
      return { messageId: `out-${sent.length}` };
    },
  });
  return { plugin, sent, deliver: (text: string) => deliver?.(text) };
}

const silentLogger: ChannelLogger = { debug() {}, info() {}, warn() {}, error() {} };

function validPlugin(): ChannelPlugin {
  return createLoopbackPlugin().plugin as ChannelPlugin;
}

function thrownPluginError(run: () => unknown): PluginError {
  try {
    run();
  } catch (error) {
    if (error instanceof PluginError) return error;
    throw error;
  }
  throw new Error("expected a PluginError to be thrown");
}

function pluginError(value: unknown): PluginError {
  return thrownPluginError(() => validateChannelPlugin(value));
}

describe("defineChannelPlugin", () => {
  it("returns the plugin it was given, and the contract runs end to end", async () => {
    const { plugin, sent, deliver } = createLoopbackPlugin();
    const config = parseChannelAccountConfig(plugin, "default", { botName: "claw" });
    const received: InboundMessage[] = [];
    const statuses: unknown[] = [];
    const controller = new AbortController();

    const handle = await plugin.startAccount({
      accountId: "default",
      config,
      logger: silentLogger,
      signal: controller.signal,
      onInbound: (message) => {
        received.push(message);
      },
      setStatus: (patch) => statuses.push(patch),
    });
    await deliver("hello");
    const { messageId } = await plugin.sendText({ accountId: "default", to: "user-1", text: "hello back" });
    await handle.stop();

    expect(config).toEqual({ botName: "claw", greeting: "hi" });
    expect(received.map((message) => [message.text, message.sender.name])).toEqual([["hello", "claw"]]);
    expect(messageId).toBe("out-1");
    expect(sent).toEqual([{ to: "user-1", text: "hello back" }]);
    expect(statuses).toEqual([{ connected: true, lastError: null }, { connected: false }]);
  });

  it("accepts kebab-case ids", () => {
    for (const id of ["telegram", "acme-chat", "x1", "a-b-c"]) {
      expect(defineChannelPlugin({ ...validPlugin(), id }).id).toBe(id);
    }
  });

  it("refuses a plugin built for another API version, saying how to fix it", () => {
    const error = pluginError({ ...validPlugin(), apiVersion: 2 });

    expect(error.code).toBe("PLUGIN_API_VERSION");
    expect(error.pluginId).toBe("loopback");
    expect(error.message).toContain('channel plugin "loopback" implements API version 2');
    expect(error.message).toContain("this gateway runs channel plugin API version 1");
    expect(error.message).toContain("CHANNEL_PLUGIN_API_VERSION");
    expect(() =>
      defineChannelPlugin({ ...validPlugin(), apiVersion: 2 } as unknown as ChannelPlugin),
    ).toThrow(PluginError);
  });

  it("refuses a plugin that declares no API version", () => {
    const { apiVersion: _apiVersion, ...withoutVersion } = validPlugin();

    const error = pluginError(withoutVersion);

    expect(error.code).toBe("PLUGIN_API_VERSION");
    expect(error.message).toContain("declares no apiVersion");
  });

  it.each([["Telegram"], ["acme chat"], ["tele:gram"], [""], ["-chat"], ["chat-"], ["a".repeat(65)]])(
    "refuses the id %j with a clear message",
    (id) => {
      const error = pluginError({ ...validPlugin(), id });

      expect(error.code).toBe("PLUGIN_INVALID");
      expect(error.issues.map((issue) => issue.path)).toEqual(["id"]);
      expect(error.message).toMatch(/id (must be lowercase kebab-case|must be at most 64 characters)/);
    },
  );

  it("refuses a non-string id", () => {
    const error = pluginError({ ...validPlugin(), id: 7 });

    expect(error.message).toBe("channel plugin is invalid: id must be a string");
  });

  it("lists every problem of a malformed plugin at once", () => {
    const { sendText: _sendText, ...plugin } = validPlugin();

    const error = pluginError({
      ...plugin,
      meta: { label: "" },
      configSchema: { parse: () => ({}) },
      capabilities: { ...plugin.capabilities, maxTextLength: 0 },
      probe: "yes",
    });

    expect(error.code).toBe("PLUGIN_INVALID");
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      "capabilities.maxTextLength",
      "configSchema",
      "meta.label",
      "probe",
      "sendText",
    ]);
    expect(error.message).toContain("sendText must be a function");
  });

  it("accepts the optional qrLogin capability and checks both of its functions", () => {
    const linked = { linked: true, message: "linked" };
    const withQr = { ...validPlugin(), qrLogin: { start: async () => linked, wait: async () => linked } };
    expect(validateChannelPlugin(withQr).qrLogin).toBe(withQr.qrLogin);

    const error = pluginError({ ...validPlugin(), qrLogin: { start: async () => linked } });
    expect(error.code).toBe("PLUGIN_INVALID");
    expect(error.issues.map((issue) => issue.path)).toEqual(["qrLogin.wait"]);
  });

  it("refuses a value that is not an object", () => {
    expect(pluginError(null).code).toBe("PLUGIN_INVALID");
    expect(pluginError("telegram").message).toContain("defineChannelPlugin");
  });
});

describe("isCompatiblePluginApiVersion", () => {
  it("accepts exactly this SDK's version", () => {
    expect(isCompatiblePluginApiVersion(CHANNEL_PLUGIN_API_VERSION)).toBe(true);
    expect(isCompatiblePluginApiVersion(2)).toBe(false);
    expect(isCompatiblePluginApiVersion(0)).toBe(false);
    expect(isCompatiblePluginApiVersion("1")).toBe(false);
    expect(isCompatiblePluginApiVersion(undefined)).toBe(false);
  });
});

describe("parseChannelAccountConfig", () => {
  it("names the channel, the account and the bad field", () => {
    const { plugin } = createLoopbackPlugin();

    expect(() => parseChannelAccountConfig(plugin, "work", { botName: 5 })).toThrow(
      /config of channel "loopback" account "work" is invalid: botName /,
    );
    const error = thrownPluginError(() => parseChannelAccountConfig(plugin, "work", {}));
    expect(error).toMatchObject({ code: "PLUGIN_CONFIG_INVALID", pluginId: "loopback" });
    expect(error.issues.map((issue) => issue.path)).toEqual(["botName"]);
  });
});
