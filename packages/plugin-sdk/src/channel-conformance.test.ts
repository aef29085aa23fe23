import { describe, expect, it } from "vitest";
import {
  ConformanceError,
  type ConformanceHarnessFactory,
  checkAbort,
  checkDirectMessage,
  checkMaxLengthText,
  checkPluginShape,
  checkProbe,
  checkStart,
  checkStop,
} from "./channel-conformance.js";
import type { ChannelPlugin } from "./channel-plugin.js";
import {
  createMemoryPlugin,
  type MemoryPlatform,
  type MemoryPluginFlaws,
  memoryHarness,
} from "./memory-channel.test-support.js";

const options = { timeoutMs: 500 };

function setup(flaws: MemoryPluginFlaws) {
  const platforms = new Map<string, MemoryPlatform>();
  return {
    plugin: createMemoryPlugin(platforms, flaws) as ChannelPlugin,
    harness: memoryHarness(platforms) as ConformanceHarnessFactory,
    platforms,
  };
}

describe("conformance checks on broken plugins", () => {
  it("name a plugin that never reports connected", async () => {
    const { plugin, harness, platforms } = setup({ neverConnected: true });

    await expect(checkStart(plugin, harness, options)).rejects.toThrow(
      /never reported setStatus\(\{ connected: true \}\)/,
    );
    expect(platforms.size).toBe(0);
  });

  it("name a plugin whose schema rejects the access-policy keys", async () => {
    const { plugin, harness } = setup({ strictSchema: true });

    await expect(checkPluginShape(plugin, harness)).rejects.toThrow(/use z\.looseObject/);
  });

  it("report validateChannelPlugin's message for a malformed plugin", async () => {
    const { plugin, harness } = setup({});

    await expect(checkPluginShape({ ...plugin, id: "Bad Id" }, harness)).rejects.toThrow(
      /id must be lowercase kebab-case/,
    );
  });

  it("list the wrong fields of a DM", async () => {
    const { plugin, harness } = setup({ wrongChatKind: true });

    const failure = checkDirectMessage(plugin, harness, options);

    await expect(failure).rejects.toBeInstanceOf(ConformanceError);
    await expect(failure).rejects.toThrow(/chatKind should be "dm" but is "group"/);
  });

  it("show what the platform received when a text was altered", async () => {
    const { plugin, harness } = setup({ truncates: true });

    await expect(checkMaxLengthText(plugin, harness, options)).rejects.toThrow(
      /exactly one message to "424242" with the 300-character text sent, got \["conformance/,
    );
  });

  it("catch a message delivered after stop()", async () => {
    const { plugin, harness } = setup({ keepsReceivingAfterStop: true });

    await expect(checkStop(plugin, harness, options)).rejects.toThrow(
      /onInbound was called after stop\(\) resolved/,
    );
  });

  it("catch a plugin that ignores the abort signal", async () => {
    const { plugin, harness } = setup({ ignoresAbort: true });

    await expect(checkAbort(plugin, harness, options)).rejects.toThrow(/after ctx\.signal was aborted/);
  });

  it("catch a stop() slower than 1 s", async () => {
    const { plugin, harness } = setup({ slowStop: true });

    await expect(checkStop(plugin, harness, options)).rejects.toThrow(/did not resolve within 1000 ms/);
  });

  it("report the detail of a failing probe", async () => {
    const { plugin, harness } = setup({ failingProbe: true });

    await expect(checkProbe(plugin, harness, options)).rejects.toThrow(/token revoked/);
  });
});
