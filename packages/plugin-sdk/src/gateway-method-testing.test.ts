import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineGatewayMethod, type GatewayMethod } from "./gateway-method.js";
import { createGatewayMethodTestContext, invokeGatewayMethod } from "./gateway-method-testing.js";

const counter = defineGatewayMethod({
  name: "counter.add",
  scope: "operator.write",
  params: z.object({ by: z.int().min(1) }),
  result: z.object({ total: z.int() }),
  handler: ({ by }, context) => {
    context.logger.info("counter added", { by });
    context.emit("counter.changed", { by });
    return { total: by };
  },
});

describe("invokeGatewayMethod", () => {
  it("parses params, runs the handler and checks the result", async () => {
    const context = createGatewayMethodTestContext(counter.name);
    expect(await invokeGatewayMethod(counter, { by: 2 }, context)).toEqual({ total: 2 });
    expect(context.events).toEqual([{ event: "counter.changed", payload: { by: 2 } }]);
    expect(context.logs).toEqual([{ level: "info", event: "counter added", fields: { by: 2 } }]);
  });

  it("refuses bad params before the handler runs", async () => {
    await expect(invokeGatewayMethod(counter, { by: 0 })).rejects.toThrow(
      /^invalid params for counter.add: by /,
    );
  });

  it("refuses a result its schema does not accept", async () => {
    const lying: GatewayMethod = { ...counter, handler: () => ({ total: "two" }) };
    await expect(invokeGatewayMethod(lying, { by: 1 })).rejects.toThrow(
      /^counter.add returned a result its result schema refuses: total /,
    );
  });
});

describe("createGatewayMethodTestContext", () => {
  it("applies the gateway's rules to emit", () => {
    const context = createGatewayMethodTestContext("counter.add", { scopes: ["operator.read"] });
    expect(context.scopes).toEqual(["operator.read"]);
    expect(() => context.emit("chat", {})).toThrow('a plugin event must be named "counter.<name>"');
    expect(() => context.emit("counter.big", { n: 1n })).toThrow(/BigInt/);
    expect(context.events).toEqual([]);
  });
});
