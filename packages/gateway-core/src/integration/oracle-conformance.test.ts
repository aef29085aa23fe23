import { readFileSync } from "node:fs";
import {
  CLI_COMPAT_CONTRACTS,
  CONTROL_UI_COMPAT_CONTRACTS,
  METHOD_CONTRACTS,
  type MethodName,
  MISC_COMPAT_CONTRACTS,
  SESSIONS_COMPAT_CONTRACTS,
} from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { callChecked, checkMethodParams, type RawClient, useIntegrationEnv } from "./harness.js";
import {
  expectOracle,
  hasOracleDefinition,
  oracleErrors,
  oracleMethodScope,
  pascalMethodName,
} from "./oracle.js";

const env = useIntegrationEnv();

/** The scope OpenClaw 2026.9.6 requires per method, read from its dist (see the fixture's `source`). */
const RELEASE_METHOD_SCOPES = (
  JSON.parse(
    readFileSync(new URL("./__fixtures__/openclaw-2026.9.6-method-scopes.json", import.meta.url), "utf8"),
  ) as { methods: Record<string, string> }
).methods;

/**
 * The methods served for OpenClaw's own clients (Control UI, CLI, TUI): many are newer than the published schema,
 * which has no params for them, and they are toured by the tests that drive those clients and by their families'
 * own tests; the tour below covers every other method.
 */
const COMPAT_METHODS = new Set([
  ...Object.keys(CONTROL_UI_COMPAT_CONTRACTS),
  ...Object.keys(CLI_COMPAT_CONTRACTS),
  ...Object.keys(SESSIONS_COMPAT_CONTRACTS),
  ...Object.keys(MISC_COMPAT_CONTRACTS),
]);

/** Methods whose scope the oracle calls "dynamic": it depends on the fields of the call. */
const DYNAMIC_SCOPE = new Set([
  // 2026.9.6: operator.write, more for system.run; here system.run passes the exec approval gate instead.
  "node.invoke",
  "sessions.patch",
  "sessions.delete",
  "agent",
  "channels.pairing.approve",
  // 2026.9.6: operator.write, operator.admin for an incognito session, an exec node or tool overrides.
  "sessions.create",
]);

describe("the oracle itself", () => {
  it("rejects what it should, so a green run means something", () => {
    expect(oracleErrors("HelloOk", { type: "hello-ok" })).not.toEqual([]);
    expect(oracleErrors("ResponseFrame", { type: "res", id: "1", ok: true, extra: 1 })).not.toEqual([]);
    expect(oracleErrors("SessionsPreviewParams", { keys: "x" })).not.toEqual([]);
    expect(oracleErrors("Snapshot/properties/health", { ok: false })).not.toEqual([]);
    expect(oracleErrors("TickEvent", { ts: 1 })).toEqual([]);
  });

  it("defines params for every served method that has them in OpenClaw", () => {
    const withoutParams = Object.keys(METHOD_CONTRACTS).filter(
      (method) => !COMPAT_METHODS.has(method) && !hasOracleDefinition(`${pascalMethodName(method)}Params`),
    );
    // OpenClaw publishes no params schema for these; exec.approval.list takes none, and the heartbeat methods are
    // its older system methods, served without published schemas.
    expect(withoutParams.sort()).toEqual([
      "exec.approval.list",
      "health",
      "last-heartbeat",
      "set-heartbeats",
      "status",
      "system-presence",
    ]);
  });
});

describe("method scopes match the oracle's methods map", () => {
  it.each(Object.keys(METHOD_CONTRACTS))("%s", (method) => {
    // Methods newer than the published schema (2026.9.1) are checked against 2026.9.6's own scope table.
    const oracleScope = oracleMethodScope(method) ?? RELEASE_METHOD_SCOPES[method];
    expect(
      oracleScope,
      `${method} is in neither OpenClaw's published nor its 2026.9.6 methods map`,
    ).toBeDefined();
    const ours = METHOD_CONTRACTS[method as MethodName].scope;
    if (oracleScope === "dynamic") {
      expect(DYNAMIC_SCOPE.has(method)).toBe(true);
      expect(["operator.write", "operator.admin", "operator.pairing"]).toContain(ours);
      return;
    }
    expect(ours).toBe(oracleScope);
  });
});

/** One realistic call of every served method, each checked against the oracle by `callChecked`. */
async function exerciseEveryMethod(client: RawClient): Promise<Set<string>> {
  const called = new Set<string>();
  const call = async <M extends MethodName>(method: M, params: Parameters<typeof callChecked<M>>[2]) => {
    called.add(method);
    return callChecked(client, method, params);
  };
  await call("health", {});
  await call("last-heartbeat", {});
  await call("set-heartbeats", { enabled: true });
  await call("status", {});
  await call("system-presence", {});
  await call("channels.status", { probe: false, timeoutMs: 1_000 });
  await call("logs.tail", { limit: 50, maxBytes: 10_000 });

  const config = await call("config.get", {});
  await call("config.schema", {});
  const set = await call("config.set", {
    raw: JSON.stringify({ gateway: { controlUi: { allowedOrigins: ["https://ui.example"] } } }),
    baseHash: config.hash,
  });
  const patched = await call("config.patch", {
    raw: JSON.stringify({ session: { mainKey: "main" } }),
    baseHash: set.hash,
    note: "oracle run",
  });
  await call("config.apply", {
    raw: JSON.stringify({ session: { mainKey: "main" } }),
    baseHash: patched.hash,
    restartDelayMs: 0,
  });

  const key = "agent:main:oracle";
  await call("sessions.patch", { key, label: "Oracle", pinned: true });
  await call("sessions.list", { includeGlobal: true, limit: 50 });
  await call("sessions.preview", { keys: [key], limit: 5, maxChars: 100 });
  await call("sessions.resolve", { label: "Oracle" });
  await call("sessions.reset", { key, reason: "new" });
  await call("sessions.compact", { key, maxLines: 10 });
  await call("sessions.delete", { key, deleteTranscript: true });

  await call("agents.list", {});
  const created = await call("agents.create", { name: "Oracle Agent", model: "anthropic/claude-sonnet-4-5" });
  await call("agents.update", { agentId: created.agentId, emoji: "🧪", model: null });
  await call("agents.files.set", { agentId: created.agentId, name: "SOUL.md", content: "Calm.\n" });
  await call("agents.files.list", { agentId: created.agentId });
  await call("agents.files.get", { agentId: created.agentId, name: "SOUL.md" });
  await call("agents.delete", { agentId: created.agentId, deleteFiles: true });

  // No provider is configured here: the runs fail fast, which is enough to exercise every chat method's shape.
  const sent = await call("chat.send", {
    sessionKey: "agent:main:main",
    message: "hello",
    idempotencyKey: "oracle-1",
  });
  await call("agent.wait", { runId: sent.runId, timeoutMs: 20_000 });
  const started = await call("agent", { message: "hello", idempotencyKey: "oracle-2", agentId: "main" });
  await call("agent.wait", { runId: started.runId, timeoutMs: 20_000 });
  await call("chat.history", { sessionKey: "agent:main:main", limit: 10 });
  await call("chat.abort", { sessionKey: "agent:main:main" });
  await call("models.list", {});

  await call("skills.status", {});
  await call("skills.update", { skillKey: "weather", enabled: false, env: { WEATHER_UNITS: "metric" } });
  await call("tools.catalog", { includePlugins: true });
  await call("tools.effective", { sessionKey: "agent:main:main" });

  // Exec approvals and node pairing: nobody answers this approval, so it times out as a deny.
  await call("exec.approval.request", { command: "echo oracle", timeoutMs: 20 });
  await call("exec.approval.list", {});
  await call("node.pair.list", {});
  await call("node.pair.remove", { nodeId: "nope" });
  // Devices and nodes: none is paired here (the node tests in src/nodes/ drive a real node through these).
  await call("device.pair.list", {});
  await call("device.pair.remove", { deviceId: "nope" });
  await call("node.list", {});
  for (const [method, params, code] of [
    ["exec.approval.resolve", { id: "nope", decision: "deny" }, "APPROVAL_NOT_FOUND"],
    ["exec.approval.get", { id: "nope" }, "APPROVAL_NOT_FOUND"],
    ["node.pair.approve", { requestId: "nope" }, "INVALID_REQUEST"],
    ["node.pair.reject", { requestId: "nope" }, "INVALID_REQUEST"],
    ["device.pair.approve", { requestId: "nope" }, "INVALID_REQUEST"],
    ["device.pair.reject", { requestId: "nope" }, "INVALID_REQUEST"],
    ["device.pair.rename", { deviceId: "nope", label: "x" }, "INVALID_REQUEST"],
    ["device.token.rotate", { deviceId: "nope", role: "node" }, "INVALID_REQUEST"],
    ["device.token.revoke", { deviceId: "nope", role: "node" }, "INVALID_REQUEST"],
    ["node.describe", { nodeId: "nope" }, "INVALID_REQUEST"],
    ["node.rename", { nodeId: "nope", displayName: "x" }, "INVALID_REQUEST"],
    ["node.invoke", { nodeId: "nope", command: "echo", idempotencyKey: "k" }, "UNAVAILABLE"],
    // What only a node may call: an operator is refused, whatever its scopes.
    ["node.invoke.result", { id: "x", nodeId: "nope", ok: true }, "FORBIDDEN"],
    ["node.invoke.progress", { invokeId: "x", nodeId: "nope", seq: 0, chunk: "" }, "FORBIDDEN"],
    ["node.event", { event: "x" }, "FORBIDDEN"],
  ] as const) {
    called.add(method);
    checkMethodParams(method, params);
    expect((await client.callError(method, params)).code).toBe(code);
  }

  // A job that never comes due during the tour; every result is checked as the oracle's CronJob / CronRunLogEntry.
  const job = await call("cron.add", {
    name: "Oracle job",
    schedule: { kind: "cron", expr: "0 9 * * 1-5", tz: "Europe/Vienna" },
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message: "summarize", timeoutSeconds: 60 },
    delivery: { mode: "none" },
  });
  expectOracle("CronJob", job);
  const updated = await call("cron.update", { id: job.id, patch: { description: "oracle", enabled: false } });
  expectOracle("CronJob", updated);
  const listed = await call("cron.list", { includeDisabled: true, limit: 10, sortBy: "name" });
  for (const row of listed.jobs) expectOracle("CronJob", row);
  await call("cron.status", {});
  const run = await call("cron.run", { jobId: job.id, mode: "force" });
  await call("agent.wait", { runId: "runId" in run ? run.runId : "", timeoutMs: 20_000 });
  // The history line is written just after the run ends.
  await expect
    .poll(async () => ((await client.call("cron.runs", { id: job.id })) as { total: number }).total)
    .toBe(1);
  const runs = await call("cron.runs", { id: job.id, limit: 5 });
  for (const entry of runs.entries) expectOracle("CronRunLogEntry", entry);
  await call("cron.remove", { id: job.id });
  const missing = await client.callError("cron.remove", { id: job.id });
  expectOracle("CronJobNotFoundErrorDetails", missing.details);

  // No channel is registered in this gateway: these answer with clear errors, which are frames the oracle checks too.
  await call("channels.status", { probe: true, timeoutMs: 500 });
  await call("channels.pairing.list", { channel: "telegram" });
  for (const [method, params] of [
    ["channels.start", { channel: "telegram" }],
    ["channels.stop", { channel: "telegram", accountId: "default" }],
    ["channels.logout", { channel: "telegram" }],
    ["channels.pairing.approve", { channel: "telegram", accountId: "default", requestId: "NOPE2345" }],
    ["send", { to: "12345", message: "hello", channel: "telegram", idempotencyKey: "oracle-send" }],
    // Linking by QR code needs a configured channel that supports it (WhatsApp): none is here.
    ["web.login.start", { accountId: "default", force: false, timeoutMs: 1_000, verbose: false }],
    [
      "web.login.wait",
      { accountId: "default", timeoutMs: 1_000, currentQrDataUrl: "data:image/png;base64,iVBORw0KGgo=" },
    ],
    // ClawHub installs are OpenClaw's hosted registry, which this gateway does not reach: a clear refusal.
    ["skills.install", { source: "clawhub", slug: "weather" }],
  ] as const) {
    called.add(method);
    checkMethodParams(method, params);
    const error = await client.callError(method, params);
    expect(error.code).toBe("INVALID_REQUEST");
  }
  return called;
}

describe("every served method conforms to the oracle", () => {
  it("params and results of a full tour validate, and the tour covers features.methods", async () => {
    const gateway = await env.start();
    const { client, hello } = await env.connect(gateway);
    const called = await exerciseEveryMethod(client);
    const served = hello.features.methods.filter(
      (method) => !COMPAT_METHODS.has(method) || called.has(method),
    );
    expect([...called].sort()).toEqual(served.sort());
  });
});
