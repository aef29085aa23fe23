import { describe, expect, it } from "vitest";
import {
  assertPluginEventName,
  gatewayMethodNameProblem,
  gatewayMethodNamespace,
  RESERVED_METHOD_NAMESPACES,
} from "./gateway-method-name.js";
import { PluginError } from "./plugin-error.js";

describe("gatewayMethodNameProblem", () => {
  it("accepts namespaced lowerCamel names", () => {
    for (const name of ["echo.stats", "acmeChat.rooms.list", "a1.b2"])
      expect(gatewayMethodNameProblem(name)).toBe(undefined);
  });

  it("reserves the namespaces of core methods and events", () => {
    for (const namespace of [
      "sessions",
      "chat",
      "agent",
      "agents",
      "cron",
      "exec",
      "node",
      "tick",
      "presence",
    ]) {
      expect(RESERVED_METHOD_NAMESPACES.has(namespace)).toBe(true);
    }
    expect(RESERVED_METHOD_NAMESPACES.has("echo")).toBe(false);
  });
});

describe("assertPluginEventName", () => {
  it("accepts an event in the method's namespace", () => {
    expect(gatewayMethodNamespace("echo.stats")).toBe("echo");
    expect(() => assertPluginEventName("echo.stats", "echo.messageEchoed")).not.toThrow();
    expect(() => assertPluginEventName("acmeChat.rooms.list", "acmeChat.rooms.changed")).not.toThrow();
  });

  it("refuses an event outside it, naming the prefix to use", () => {
    for (const event of ["chat", "other.changed", "echo", "echo.", "echoes.changed", "echo.Bad name"]) {
      let thrown: unknown;
      try {
        assertPluginEventName("echo.stats", event);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(PluginError);
      expect((thrown as PluginError).code).toBe("PLUGIN_METHOD_INVALID");
      expect((thrown as PluginError).message).toContain('a plugin event must be named "echo.<name>"');
    }
  });
});
