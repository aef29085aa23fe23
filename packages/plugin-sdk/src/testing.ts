import { describe, it } from "vitest";
import {
  type ClosableConformanceHarness,
  type ConformanceHarness,
  type ConformanceHarnessFactory,
  type ConformanceOptions,
  checkAbort,
  checkDirectMessage,
  checkGroupMessages,
  checkMaxLengthText,
  checkPluginShape,
  checkProbe,
  checkSendText,
  checkStart,
  checkStop,
  checkTyping,
} from "./channel-conformance.js";
import { checkAbortWhileStarting, checkOutageSurfaces } from "./channel-conformance-outage.js";
import type { ChannelPlugin } from "./channel-plugin.js";

export {
  type ClosableConformanceHarness,
  CONFORMANCE_GROUP_ID,
  CONFORMANCE_SENDER_ID,
  ConformanceError,
  type ConformanceHarness,
  type ConformanceHarnessFactory,
  type ConformanceOptions,
  QUIET_WINDOW_MS,
  STOP_DEADLINE_MS,
} from "./channel-conformance.js";
export type { ConformanceOutage, ConformanceOutageMode } from "./channel-conformance-outage.js";
export {
  createGatewayMethodTestContext,
  type GatewayMethodLogLevel,
  invokeGatewayMethod,
  type RecordingGatewayMethodContext,
} from "./gateway-method-testing.js";

/**
 * Registers the channel plugin conformance suite as vitest `describe`/`it` blocks. Call it at the top level of a
 * test file in the adapter's own package. `createHarness` runs once per check: start the platform fake there and
 * return a harness that drives it and a `close()` that stops it.
 */
export function runChannelConformance<Config>(
  plugin: ChannelPlugin<Config>,
  createHarness: () => Promise<ConformanceHarness<Config> & { close(): Promise<void> }>,
  options: ConformanceOptions = {},
): void {
  const anyPlugin = plugin as ChannelPlugin;
  const factory =
    createHarness as ConformanceHarnessFactory<unknown> as () => Promise<ClosableConformanceHarness>;
  const timeout = (options.timeoutMs ?? 5000) * 4 + 2000;
  const capabilities = anyPlugin.capabilities ?? {};
  const id = typeof anyPlugin.id === "string" ? anyPlugin.id : "(no id)";

  describe(`channel plugin "${id}" conformance`, () => {
    it(
      "is a valid plugin whose configSchema accepts the account config and the access-policy keys",
      () => checkPluginShape(anyPlugin, factory),
      timeout,
    );
    it(
      "starts an account and reports setStatus({ connected: true })",
      () => checkStart(anyPlugin, factory, options),
      timeout,
    );
    it(
      "delivers an injected DM to onInbound as a valid InboundMessage",
      () => checkDirectMessage(anyPlugin, factory, options),
      timeout,
    );
    if (capabilities.groups === true) {
      it(
        "delivers group messages with chatKind group, chatId and mentionsBot",
        async (context) => {
          const skipped = await checkGroupMessages(anyPlugin, factory, options);
          if (skipped !== undefined) context.skip(skipped);
        },
        timeout,
      );
    }
    it(
      "sendText delivers exactly the text to the DM peer and returns a messageId",
      () => checkSendText(anyPlugin, factory, options),
      timeout,
    );
    it(
      "sendText accepts a text of exactly capabilities.maxTextLength",
      () => checkMaxLengthText(anyPlugin, factory, options),
      timeout,
    );
    if (typeof anyPlugin.sendTyping === "function" && capabilities.typing === true) {
      it("sendTyping resolves", () => checkTyping(anyPlugin, factory, options), timeout);
    }
    if (typeof anyPlugin.probe === "function") {
      it(
        "probe resolves { ok: true } for a working account",
        () => checkProbe(anyPlugin, factory, options),
        timeout,
      );
    }
    it(
      "stop() resolves within 1 s and no message reaches onInbound after it",
      () => checkStop(anyPlugin, factory, options),
      timeout,
    );
    it("aborting ctx.signal stops the account too", () => checkAbort(anyPlugin, factory, options), timeout);
    for (const mode of ["refused", "http-500"] as const) {
      it(
        `with the platform down (${mode}) the start fails visibly within timeoutMs, and starts again once it is back`,
        async (context) => {
          const skipped = await checkOutageSurfaces(anyPlugin, factory, options, mode);
          if (skipped !== undefined) context.skip(skipped);
        },
        timeout,
      );
    }
    it(
      "with the platform not answering, aborting ctx.signal ends the start within 1 s",
      async (context) => {
        const skipped = await checkAbortWhileStarting(anyPlugin, factory, options);
        if (skipped !== undefined) context.skip(skipped);
      },
      timeout,
    );
  });
}
