import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineGatewayMethod } from "./gateway-method.js";
import { createMemoryPlugin } from "./memory-channel.test-support.js";
import { definePluginBundle } from "./plugin-bundle.js";

const stats = defineGatewayMethod({
  name: "memory.stats",
  scope: "operator.read",
  params: z.object({}),
  handler: () => ({ sent: 0 }),
});

describe("definePluginBundle", () => {
  it("returns the bundle when its channels and methods are valid", () => {
    const bundle = { channels: [createMemoryPlugin(new Map())], methods: [stats] };
    expect(definePluginBundle(bundle)).toBe(bundle);
  });

  it("refuses a bad method or a bad channel when the module loads", () => {
    expect(() => definePluginBundle({ methods: [stats, stats] })).toThrow(
      'plugin bundle exports gateway method "memory.stats" twice',
    );
    expect(() => definePluginBundle({ channels: [{ id: "Bad" } as never] })).toThrow(/channel plugin/);
  });
});
