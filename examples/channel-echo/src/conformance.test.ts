import { runChannelConformance } from "@openclaw/plugin-sdk/testing";
import { createEchoChannelPlugin, type EchoOutboundMessage } from "./index.js";

const plugin = createEchoChannelPlugin();

function urlOf(accountId: string): string {
  const url = plugin.serverUrl(accountId);
  if (url === undefined) throw new Error(`echo account "${accountId}" is not running`);
  return url;
}

runChannelConformance(plugin, async () => ({
  accountConfig: { port: 0 },
  async injectDirectMessage({ text, senderId, senderName }) {
    const response = await fetch(`${urlOf("default")}/inbound`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: senderId, text, name: senderName }),
    });
    if (response.status !== 202) throw new Error(`POST /inbound answered ${response.status}`);
  },
  async sentTexts(to) {
    const response = await fetch(`${urlOf("default")}/outbound?to=${encodeURIComponent(to)}`);
    const { messages } = (await response.json()) as { messages: EchoOutboundMessage[] };
    return messages.map((message) => message.text);
  },
  // Each account starts and stops its own server, so there is nothing else to close.
  async close() {},
}));
