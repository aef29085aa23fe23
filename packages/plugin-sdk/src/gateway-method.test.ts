import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  defineGatewayMethod,
  GATEWAY_METHOD_API_VERSION,
  validateGatewayMethod,
  validateGatewayMethods,
} from "./gateway-method.js";
import type { GatewayMethodContext } from "./gateway-method-context.js";
import { PluginError } from "./plugin-error.js";

const validMethod = {
  name: "echo.stats",
  scope: "operator.read",
  description: "Messages echoed per account",
  params: z.object({ accountId: z.string().optional() }),
  result: z.object({ count: z.int() }),
  handler: () => ({ count: 0 }),
};

function failure(value: unknown, pluginLabel?: string): PluginError {
  try {
    validateGatewayMethod(value, pluginLabel);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return error as PluginError;
  }
  throw new Error("expected validateGatewayMethod to throw");
}

describe("validateGatewayMethod", () => {
  it("accepts a method without apiVersion and with the current one", () => {
    expect(validateGatewayMethod(validMethod)).toBe(validMethod);
    const versioned = { ...validMethod, apiVersion: GATEWAY_METHOD_API_VERSION };
    expect(validateGatewayMethod(versioned)).toBe(versioned);
  });

  it("refuses a name that is not dotted lowerCamel", () => {
    for (const name of ["stats", "Echo.stats", "echo.", "echo stats", "echo-chat.stats", "echo..stats", ""]) {
      const error = failure({ ...validMethod, name });
      expect(error.code).toBe("PLUGIN_METHOD_INVALID");
      expect(error.issues).toContainEqual({ path: "name", message: expect.stringContaining("lowerCamel") });
    }
    const long = failure({ ...validMethod, name: `echo.${"a".repeat(130)}` });
    expect(long.message).toContain("at most 128 characters");
  });

  it("refuses a core method's name and a core namespace, naming the way out", () => {
    const core = failure({ ...validMethod, name: "sessions.list" });
    expect(core.code).toBe("PLUGIN_METHOD_INVALID");
    expect(core.message).toBe(
      'gateway method "sessions.list" is invalid: name is a core gateway method: name the plugin\'s method under its own namespace, e.g. "myPlugin.list"',
    );
    const namespace = failure({ ...validMethod, name: "chat.summary" });
    expect(namespace.message).toContain('uses the core namespace "chat"');
    expect(failure({ ...validMethod, name: "exec.approval.forge" }).message).toContain(
      'core namespace "exec"',
    );
  });

  it("refuses an unknown scope, listing the operator scopes", () => {
    const error = failure({ ...validMethod, scope: "admin" });
    expect(error.code).toBe("PLUGIN_METHOD_INVALID");
    expect(error.issues).toEqual([
      {
        path: "scope",
        message:
          "must be one of operator.read, operator.write, operator.admin, operator.approvals, operator.pairing, operator.questions",
      },
    ]);
  });

  it("refuses params and result that are not zod schemas", () => {
    const params = failure({ ...validMethod, params: { accountId: "string" } });
    expect(params.issues).toEqual([
      { path: "params", message: "must be a zod schema (an object with safeParse), e.g. z.object({ ... })" },
    ]);
    expect(failure({ ...validMethod, params: undefined }).issues[0]?.path).toBe("params");
    expect(failure({ ...validMethod, result: "number" }).issues[0]?.path).toBe("result");
  });

  it("refuses a handler that is not a function", () => {
    const error = failure({ ...validMethod, handler: "stats" });
    expect(error.message).toBe(
      'gateway method "echo.stats" is invalid: handler must be a function (params, context) => result',
    );
  });

  it("lists every problem at once and names the plugin", () => {
    const error = failure({ name: "Stats", scope: "root", params: null }, 'plugin "acme"');
    expect(error.message).toMatch(/^plugin "acme": gateway method "Stats" is invalid: /);
    expect(error.issues.map((issue) => issue.path)).toEqual(["name", "scope", "params", "handler"]);
  });

  it("refuses a non-object and another API version with their own codes", () => {
    expect(failure(undefined).message).toContain(
      "must be an object: export the result of defineGatewayMethod",
    );
    const version = failure({ ...validMethod, apiVersion: 2 });
    expect(version.code).toBe("PLUGIN_API_VERSION");
    expect(version.message).toContain("implements method API version 2, but this gateway runs version 1");
  });
});

describe("validateGatewayMethods", () => {
  it("accepts an array of distinct methods", () => {
    expect(validateGatewayMethods([validMethod, { ...validMethod, name: "echo.reset" }])).toHaveLength(2);
  });

  it("refuses the name-to-handler map and duplicate names", () => {
    const map = () => validateGatewayMethods({ "echo.stats": validMethod }, 'plugin "echo"');
    expect(map).toThrow(
      /plugin "echo" methods must be an array .* found an object \(a map of names is not accepted\)/,
    );
    const twice = () => validateGatewayMethods([validMethod, validMethod], 'plugin "echo"');
    expect(twice).toThrow(
      'plugin "echo" exports gateway method "echo.stats" twice: remove or rename one of them',
    );
  });

  it("names the entry that is wrong", () => {
    expect(() =>
      validateGatewayMethods([validMethod, { ...validMethod, scope: "x" }], 'plugin "echo"'),
    ).toThrow(/^plugin "echo" methods\[1\]: gateway method "echo.stats" is invalid: scope must be one of/);
  });
});

describe("defineGatewayMethod", () => {
  it("sets apiVersion and types the handler from the schemas", async () => {
    const method = defineGatewayMethod({
      name: "echo.stats",
      scope: "operator.read",
      params: z.object({ accountId: z.string().optional() }),
      result: z.object({ accountIds: z.array(z.string()) }),
      handler: (params) => {
        expectTypeOf(params).toEqualTypeOf<{ accountId?: string | undefined }>();
        return { accountIds: params.accountId === undefined ? [] : [params.accountId] };
      },
    });
    expect(method.apiVersion).toBe(GATEWAY_METHOD_API_VERSION);
    const context = {} as GatewayMethodContext;
    expect(await method.handler({ accountId: "a" }, context)).toEqual({ accountIds: ["a"] });
    expectTypeOf(method.handler).returns.toEqualTypeOf<
      { accountIds: string[] } | Promise<{ accountIds: string[] }>
    >();
  });

  it("throws at definition time for a bad method", () => {
    expect(() =>
      defineGatewayMethod({ ...validMethod, name: "health", scope: "operator.read" } as never),
    ).toThrow(PluginError);
  });
});
