import { describe, expect, it } from "vitest";
import {
  ConformanceError,
  checkAbort,
  checkDirectMessage,
  checkMaxLengthText,
  checkPluginShape,
  checkProbe,
  checkStart,
  checkStop,
} from "./channel-conformance.js";
import { memorySetup } from "./memory-channel.test-support.js";

// Budgets for each check's waits: a conforming step finishes at once, so this mostly bounds how long a check on a
// broken plugin waits before it names the flaw; 500 ms made the steps before the flaw fail on a loaded CI machine.
const options = { timeoutMs: 3_000 };

describe("conformance checks on broken plugins", () => {
  it("name a plugin that never reports connected", async () => {
    const { plugin, harness, platforms } = memorySetup({ neverConnected: true });

    await expect(checkStart(plugin, harness, options)).rejects.toThrow(
      /never reported setStatus\(\{ connected: true \}\)/,
    );
    expect(platforms.size).toBe(0);
  });

  it("name a plugin whose schema rejects the access-policy keys", async () => {
    const { plugin, harness } = memorySetup({ strictSchema: true });

    await expect(checkPluginShape(plugin, harness)).rejects.toThrow(/use z\.looseObject/);
  });

  it("report validateChannelPlugin's message for a malformed plugin", async () => {
    const { plugin, harness } = memorySetup({});

    await expect(checkPluginShape({ ...plugin, id: "Bad Id" }, harness)).rejects.toThrow(
      /id must be lowercase kebab-case/,
    );
  });

  it("list the wrong fields of a DM", async () => {
    const { plugin, harness } = memorySetup({ wrongChatKind: true });

    const failure = checkDirectMessage(plugin, harness, options);

    await expect(failure).rejects.toBeInstanceOf(ConformanceError);
    await expect(failure).rejects.toThrow(/chatKind should be "dm" but is "group"/);
  });

  it("show what the platform received when a text was altered", async () => {
    const { plugin, harness } = memorySetup({ truncates: true });

    await expect(checkMaxLengthText(plugin, harness, options)).rejects.toThrow(
      /exactly one message to "424242" with the 300-character text sent, got \["conformance/,
    );
  });

  it("catch a message delivered after stop()", async () => {
    const { plugin, harness } = memorySetup({ keepsReceivingAfterStop: true });

    await expect(checkStop(plugin, harness, options)).rejects.toThrow(
      /onInbound was called after stop\(\) resolved/,
    );
  });

  it("catch a plugin that ignores the abort signal", async () => {
    const { plugin, harness } = memorySetup({ ignoresAbort: true });

    await expect(checkAbort(plugin, harness, options)).rejects.toThrow(/after ctx\.signal was aborted/);
  });

  it("catch a stop() slower than 1 s", async () => {
    const { plugin, harness } = memorySetup({ slowStop: true });

    await expect(checkStop(plugin, harness, options)).rejects.toThrow(/did not resolve within 1000 ms/);
  });

  it("report the detail of a failing probe", async () => {
    const { plugin, harness } = memorySetup({ failingProbe: true });

    await expect(checkProbe(plugin, harness, options)).rejects.toThrow(/token revoked/);
  });
});
