import { validateChannelPlugin, validateGatewayMethods } from "@openclaw/plugin-sdk";
import { createGatewayMethodTestContext, invokeGatewayMethod } from "@openclaw/plugin-sdk/testing";
import { describe, expect, it } from "vitest";
import { createEchoChannelPlugin } from "./echo-channel-plugin.js";
import { createEchoStatsMethod } from "./echo-stats-method.js";
import echoPlugin from "./index.js";

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

async function startAccount(channel: ReturnType<typeof createEchoChannelPlugin>, accountId: string) {
  return channel.startAccount({
    accountId,
    config: channel.configSchema.parse({}),
    logger: silentLogger,
    signal: new AbortController().signal,
    onInbound() {},
    setStatus() {},
  });
}

async function postInbound(
  channel: ReturnType<typeof createEchoChannelPlugin>,
  accountId: string,
  from: string,
  text: string,
): Promise<void> {
  const url = channel.serverUrl(accountId);
  if (url === undefined) throw new Error(`echo account "${accountId}" is not running`);
  const response = await fetch(`${url}/inbound`, { method: "POST", body: JSON.stringify({ from, text }) });
  expect(response.status).toBe(202);
}

describe("echo.stats", () => {
  it("counts what each account received and sent, per account and for one account", async () => {
    const channel = createEchoChannelPlugin();
    const method = createEchoStatsMethod(channel);
    const first = await startAccount(channel, "default");
    const second = await startAccount(channel, "second");
    try {
      await postInbound(channel, "default", "ada", "hi");
      await postInbound(channel, "default", "bob", "hey");
      await postInbound(channel, "second", "cy", "yo");
      await channel.sendText({ accountId: "default", to: "ada", text: "hi" });
      const context = createGatewayMethodTestContext(method.name, { scopes: ["operator.read"] });

      expect(await invokeGatewayMethod(method, {}, context)).toEqual({
        accounts: [
          { accountId: "default", running: true, received: 2, sent: 1 },
          { accountId: "second", running: true, received: 1, sent: 0 },
        ],
      });
      expect(await invokeGatewayMethod(method, { accountId: "second" }, context)).toEqual({
        accounts: [{ accountId: "second", running: true, received: 1, sent: 0 }],
      });
      expect(context.events).toEqual([]);
    } finally {
      await first.stop();
      await second.stop();
    }
    expect(await invokeGatewayMethod(method, { accountId: "default" })).toEqual({
      accounts: [{ accountId: "default", running: false, received: 2, sent: 1 }],
    });
  });

  it("answers zeros for an account that never ran and refuses an empty accountId", async () => {
    const method = createEchoStatsMethod(createEchoChannelPlugin());
    expect(await invokeGatewayMethod(method, {})).toEqual({ accounts: [] });
    expect(await invokeGatewayMethod(method, { accountId: "nope" })).toEqual({
      accounts: [{ accountId: "nope", running: false, received: 0, sent: 0 }],
    });
    await expect(invokeGatewayMethod(method, { accountId: "" })).rejects.toThrow(
      /^invalid params for echo.stats: accountId /,
    );
  });
});

describe("the module's default export", () => {
  it("is a bundle of the echo channel and its echo.stats method, as the gateway loads it", () => {
    const [channel] = echoPlugin.channels;
    expect(validateChannelPlugin(channel).id).toBe("echo");
    expect(validateGatewayMethods(echoPlugin.methods, 'plugin "echo"').map((method) => method.name)).toEqual([
      "echo.stats",
    ]);
    expect(echoPlugin.methods[0]).toMatchObject({ apiVersion: 1, scope: "operator.read" });
  });
});
