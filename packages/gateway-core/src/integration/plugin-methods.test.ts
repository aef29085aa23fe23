import { readFile } from "node:fs/promises";
import { defineGatewayMethod, type GatewayMethodContext } from "@openclaw/plugin-sdk";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PluginRegistry } from "../channels/index.js";
import { useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

/** A plugin with one write method that records what its handler was given and emits events. */
function notesPlugin() {
  const seen: GatewayMethodContext[] = [];
  const registry = new PluginRegistry();
  registry.registerMethod(
    defineGatewayMethod({
      name: "notes.add",
      scope: "operator.write",
      params: z.object({ text: z.string().min(1), event: z.string().optional() }),
      result: z.object({ stored: z.string() }),
      handler: ({ text, event }, context) => {
        seen.push(context);
        context.emit(event ?? "notes.added", { text });
        return { stored: text };
      },
    }),
  );
  registry.registerMethod(
    defineGatewayMethod({
      name: "notes.broken",
      scope: "operator.read",
      params: z.object({}),
      result: z.object({ count: z.number() }),
      handler: () => ({ count: "many" }) as unknown as { count: number },
    }),
  );
  return { registry, seen };
}

describe("plugin methods", () => {
  it("hands the handler the narrow context of the request and broadcasts its events in its namespace", async () => {
    const { registry, seen } = notesPlugin();
    const gateway = await env.start({ plugins: registry });
    const { client: writer, hello } = await env.connect(gateway);
    expect(hello.features.methods).toEqual(expect.arrayContaining(["notes.add", "notes.broken"]));
    const { client: reader } = await env.connect(gateway, { scopes: ["operator.read"] });

    await expect(writer.call("notes.add", { text: "milk" })).resolves.toEqual({ stored: "milk" });
    const event = await reader.waitForEvent("notes.added");
    expect(event.payload).toEqual({ text: "milk" });

    const context = seen[0];
    expect(Object.keys(context ?? {}).sort()).toEqual(
      ["clientAddress", "connId", "emit", "logger", "scopes", "signal"].sort(),
    );
    expect(context?.clientAddress).toBe("127.0.0.1");
    expect(context?.scopes).toContain("operator.write");
    expect(context?.signal?.aborted).toBe(false);
    writer.close();
    await writer.waitForClose();
    await expect.poll(() => context?.signal?.aborted).toBe(true);
  });

  it("refuses a missing scope, bad params, an event outside the namespace and a result that breaks its schema", async () => {
    const { registry } = notesPlugin();
    const gateway = await env.start({ plugins: registry, validateResults: true });
    const { client: reader } = await env.connect(gateway, { scopes: ["operator.read"] });
    await expect(reader.callError("notes.add", { text: "x" })).resolves.toMatchObject({
      code: "FORBIDDEN",
      details: { code: "MISSING_SCOPE", missingScope: "operator.write" },
    });

    const { client: writer } = await env.connect(gateway);
    await expect(writer.callError("notes.add", { text: "" })).resolves.toMatchObject({
      code: "INVALID_REQUEST",
      details: { code: "INVALID_PARAMS" },
    });
    const foreign = await writer.callError("notes.add", { text: "x", event: "chat" });
    expect(foreign.message).toMatch(/notes\./);
    // With result validation on (tests), an answer that breaks the method's own result schema is caught.
    const broken = await writer.callError("notes.broken", {});
    expect(broken.message).toMatch(/internal error/);
    await expect
      .poll(() => readFile(gateway.server.logFile, "utf8"))
      .toMatch(/result of notes\.broken breaks its contract/);
  });
});
