import { ConfigSchemaResultSchema } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { buildConfigJsonSchema, CONFIG_SCHEMA_VERSION } from "./config-json-schema.js";
import { summarizeConfigForLog } from "./config-summary.js";
import { listConfiguredAgents } from "./configured-agents.js";
import { parseConfigText } from "./parse-config-text.js";

interface Node {
  type?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, Node>;
  additionalProperties?: unknown;
  anyOf?: Node[];
}

describe("buildConfigJsonSchema", () => {
  const result = buildConfigJsonSchema({ now: new Date("2026-01-02T03:04:05.000Z") });
  const schema = result.schema as Node;
  const gateway = schema.properties?.gateway as Node;

  it("matches the config.schema result contract", () => {
    expect(ConfigSchemaResultSchema.safeParse(result).success).toBe(true);
    expect(result.version).toBe(CONFIG_SCHEMA_VERSION);
    expect(result.generatedAt).toBe("2026-01-02T03:04:05.000Z");
    expect(buildConfigJsonSchema({ version: "0.4.0" }).version).toBe("0.4.0");
  });

  it("describes the gateway section with defaults, enums and open objects", () => {
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toEqual({});
    expect(gateway.properties?.port).toMatchObject({
      type: "integer",
      minimum: 1,
      maximum: 65535,
      default: 18789,
    });
    expect(gateway.properties?.bind?.enum).toEqual(["loopback", "lan", "tailnet", "auto", "custom"]);
    const auth = gateway.properties?.auth as Node;
    expect(auth.properties?.rateLimit?.properties?.maxAttempts?.default).toBe(10);
    expect(auth.properties?.token?.anyOf?.map((branch) => branch.type)).toEqual(["string", "object"]);
    const http = gateway.properties?.http as Node;
    expect(http.properties?.endpoints?.properties?.responses?.properties?.maxBodyBytes?.default).toBe(
      20 * 1024 * 1024,
    );
  });

  it("marks secrets sensitive and ranks common settings before advanced ones", () => {
    const hints = result.uiHints;
    expect(hints["gateway.auth.token"]).toMatchObject({
      sensitive: true,
      advanced: false,
      label: "Gateway token",
    });
    expect(hints["gateway.auth.password"]?.sensitive).toBe(true);
    expect(hints["gateway.port"]).toMatchObject({ label: "Port", group: "Gateway", advanced: false });
    expect(hints["gateway.port"]?.help).toContain("OPENCLAW_GATEWAY_PORT");
    expect(hints["gateway.auth.rateLimit.lockoutMs"]?.advanced).toBe(true);
    expect(hints["gateway.controlUi.basePath"]?.placeholder).toBe("/openclaw");
    expect(hints["agents.list[].id"]).toMatchObject({ group: "Agents", advanced: false });
    expect(hints["agents.entries.*.workspace"]).toBeDefined();
    expect(hints["gateway.port"]?.sensitive).toBeUndefined();
    const orders = Object.values(hints).map((hint) => hint.order ?? -1);
    expect(new Set(orders).size).toBe(orders.length);
    expect(hints.gateway?.order).toBe(0);
  });
});

describe("listConfiguredAgents and summarizeConfigForLog", () => {
  it("reads the keyed roster when present, else the list", () => {
    const keyed = parseConfigText(
      '{ agents: { entries: { home: { name: "Home" } }, list: [{ id: "old" }] } }',
      "/c",
    );
    expect(listConfiguredAgents(keyed.config)).toEqual([{ id: "home", name: "Home" }]);
    const listed = parseConfigText('{ agents: { list: [{ id: "main" }] } }', "/c");
    expect(listConfiguredAgents(listed.config)).toEqual([{ id: "main" }]);
    expect(listConfiguredAgents(parseConfigText("{}", "/c").config)).toEqual([]);
  });

  it("summarises without any secret", () => {
    const { config } = parseConfigText(
      `{ gateway: { auth: { mode: "password", password: "hunter2", token: "\${GW}" } }, agents: { list: [{ id: "main" }] } }`,
      "/c",
    );
    const summary = summarizeConfigForLog(config);
    expect(summary).toMatchObject({
      port: 18789,
      authMode: "password",
      password: "set",
      token: "env-reference",
      agents: ["main"],
    });
    expect(JSON.stringify(summary)).not.toContain("hunter2");
  });
});
