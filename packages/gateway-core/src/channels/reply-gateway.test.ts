import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { startMemoGateway } from "./memo-gateway.test-support.js";

const env = useIntegrationEnv();

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

/** The memo gateway (fake model, in-memory platform) with a workspace of its own for the MEDIA: upload. */
async function start(o: { channel?: Record<string, unknown>; config?: Record<string, unknown> } = {}) {
  const workspace = join(await env.makeStateDir(), "workspace");
  await mkdir(workspace, { recursive: true });
  const agents = { defaults: { model: { primary: "fake/fast" }, skipBootstrap: true, workspace } };
  return {
    ...(await startMemoGateway(env, { channel: o.channel, config: { agents, ...o.config } })),
    workspace,
  };
}

describe("replies through the gateway", () => {
  it("a streamed answer grows in one message by edits and ends as the final text", async () => {
    const { fake, platform, deliver, runtime } = await start({ channel: { streaming: "partial" } });
    const chunks = Array.from({ length: 40 }, (_, index) => `word${index} `);
    fake.enqueue({ chunks, chunkDelayMs: 75 });
    deliver({ text: "tell me a story" });
    await eventually(() => platform.of("edit").length >= 2, "the draft to be edited twice");
    await runtime.channels.idle();
    expect(platform.of("send")).toHaveLength(1);
    expect(platform.of("send")[0]?.replyTo).toBe("in-1");
    expect(platform.transcript()).toEqual([chunks.join("").trim()]);
  });

  it("a MEDIA: line uploads the workspace file and an ack reaction marks a mentioned group message", async () => {
    const { fake, platform, deliver, workspace, runtime } = await start({
      config: { messages: { ackReaction: "👀", ackReactionScope: "group-mentions" } },
      channel: { groupPolicy: "open" },
    });
    await writeFile(join(workspace, "chart.png"), PNG);
    fake.enqueue({ text: "Here is the chart.\nMEDIA: chart.png" });
    deliver({
      text: "@bot chart please",
      chatKind: "group",
      chatId: "g1",
      peer: { id: "g1" },
      mentionsBot: true,
    });
    await eventually(() => platform.of("media").length === 1, "the chart upload");
    await runtime.channels.idle();
    expect(platform.of("media")).toMatchObject([
      { kind: "image", mimeType: "image/png", fileName: "chart.png" },
    ]);
    expect(platform.of("send").map((call) => call.text)).toEqual(["Here is the chart."]);
    expect(platform.of("react")).toMatchObject([{ messageId: "in-1", emoji: "👀", remove: false }]);
  });
});
