import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import {
  type FakeModelServer,
  type FakeTelegramServer,
  startFakeModelServer,
  startFakeTelegramServer,
} from "@openclaw/testing";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollUntil } from "./e2e-wait-support.js";
import { type GatewayServer, startGatewayServer } from "./index.js";

const TOKEN = "p".repeat(64);
const ALICE = { id: 3001, first_name: "Alice", username: "alice" };
const DM_ALICE = { id: 3001, type: "private" as const };
/** US dollars per million tokens, as `models.providers.*.models[].cost` sets them. */
const PRICE = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

let stateDir: string;
let model: FakeModelServer;
let telegram: FakeTelegramServer;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-prometheus-e2e-"));
  model = await startFakeModelServer();
  telegram = await startFakeTelegramServer();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await gateway?.close();
  gateway = undefined;
  await telegram.close();
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function start(extra: Record<string, unknown>): Promise<string> {
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          apiKey: "k",
          api: "openai-completions",
          models: [{ id: "instant", cost: PRICE }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    ...extra,
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  gateway = await startGatewayServer(0, {
    stateDir,
    env: {},
    auth: { mode: "token", token: TOKEN },
    channelBackoff: { initialMs: 50, maxMs: 400 },
  });
  return `${gateway.url.replace(/^ws/, "http")}/api/diagnostics/prometheus`;
}

interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
}

async function scrape(url: string, token?: string): Promise<Scrape> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    text: await response.text(),
  };
}

interface Sample {
  labels?: Record<string, string>;
  value?: string;
}

/**
 * The sum of a counter's or gauge's samples whose labels include `match`, read with a real parser (it cannot read
 * labelled histograms: their counts are checked through prom-client's own API in the exporter's tests).
 */
function total(text: string, name: string, match: Record<string, string> = {}): number {
  const family = (parsePrometheusTextFormat(text) as { name: string; metrics: Sample[] }[]).find(
    (candidate) => candidate.name === name,
  );
  let sum = 0;
  for (const sample of family?.metrics ?? []) {
    if (!Object.entries(match).every(([key, value]) => sample.labels?.[key] === value)) continue;
    sum += Number(sample.value ?? 0);
  }
  return sum;
}

const delta = (before: Scrape, after: Scrape, name: string, match: Record<string, string> = {}) =>
  total(after.text, name, match) - total(before.text, name, match);

describe("Prometheus metrics end to end", () => {
  it("counts one Telegram turn (a tool call, then the answer) exactly, with bounded labels only", async () => {
    // OpenClaw's way of turning the route on: its plugin's entry.
    const url = await start({
      plugins: { entries: { "diagnostics-prometheus": { enabled: true } } },
      channels: {
        telegram: {
          botToken: telegram.token,
          apiRoot: telegram.apiRoot,
          pollTimeoutSeconds: 1,
          allowFrom: [String(ALICE.id)],
        },
      },
    });
    client = new GatewayClient({ url: gateway?.url ?? "", token: TOKEN });
    await client.connect();
    await pollUntil(
      "the telegram account connected",
      () => client?.request("channels.status", {}),
      (status) =>
        (status?.channelAccounts.telegram?.[0] as { connected?: boolean } | undefined)?.connected === true,
    );

    const before = await scrape(url, TOKEN);
    expect(before.status).toBe(200);
    expect(before.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(total(before.text, "openclaw_channel_connected", { channel: "telegram" })).toBe(1);
    expect(
      total(before.text, "openclaw_gateway_rpc_requests_total", { method: "channels.status" }),
    ).toBeGreaterThan(0);

    model.enqueue(
      {
        toolCalls: [{ id: "call_note", name: "write", arguments: { path: "note.txt", content: "oat milk" } }],
        usage: { inputTokens: 50, outputTokens: 7 },
      },
      { text: "Noted: oat milk.", usage: { inputTokens: 80, outputTokens: 12 } },
    );
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "remember oat milk" });
    // One refused HTTP credential between the scrapes.
    expect((await scrape(url, "wrong-token")).status).toBe(401);
    await telegram.waitForSent(
      (sent) => sent.method === "sendMessage" && (sent.text ?? "").includes("oat milk"),
    );
    // The delivery is counted once the Bot API answered the send; the run once its transcript is written.
    const after = await pollUntil(
      "the delivery and the run counted",
      () => scrape(url, TOKEN),
      (seen) =>
        delta(before, seen, "openclaw_message_delivery_total") === 1 &&
        delta(before, seen, "openclaw_run_completed_total") === 1,
    );

    const run = { channel: "telegram", outcome: "ok", provider: "fake", model: "instant", trigger: "user" };
    expect(delta(before, after, "openclaw_run_completed_total", run)).toBe(1);
    expect(
      delta(before, after, "openclaw_session_turn_created_total", {
        agent: "main",
        channel: "telegram",
        trigger: "user",
      }),
    ).toBe(1);
    expect(
      delta(before, after, "openclaw_model_call_total", {
        provider: "fake",
        model: "instant",
        outcome: "ok",
      }),
    ).toBe(2);
    expect(delta(before, after, "openclaw_model_call_total")).toBe(2);
    expect(delta(before, after, "openclaw_tool_execution_total", { tool: "write", outcome: "ok" })).toBe(1);
    expect(delta(before, after, "openclaw_tool_execution_total")).toBe(1);
    const tokens = { channel: "telegram", provider: "fake", model: "instant", agent: "main" };
    expect(delta(before, after, "openclaw_model_tokens_total", { ...tokens, token_type: "input" })).toBe(130);
    expect(delta(before, after, "openclaw_model_tokens_total", { ...tokens, token_type: "output" })).toBe(19);
    expect(delta(before, after, "openclaw_model_cost_usd_total", tokens)).toBeCloseTo(
      (130 * PRICE.input + 19 * PRICE.output) / 1e6,
      12,
    );
    expect(
      delta(before, after, "openclaw_message_received_total", { channel: "telegram", outcome: "accepted" }),
    ).toBe(1);
    expect(
      delta(before, after, "openclaw_message_delivery_total", { channel: "telegram", outcome: "ok" }),
    ).toBe(1);
    expect(
      delta(before, after, "openclaw_gateway_auth_failures_total", {
        surface: "http",
        outcome: "auth_failed",
      }),
    ).toBe(1);
    expect(total(after.text, "openclaw_gateway_connections_open", { role: "operator" })).toBe(1);
    expect(total(after.text, "openclaw_prometheus_series_dropped_total")).toBe(0);

    // No session key, chat id, user id or message text ever becomes a label.
    const labelValues = [...after.text.matchAll(/="([^"]*)"/g)].map((match) => match[1]);
    for (const value of labelValues) {
      expect(value).not.toMatch(/^agent:|3001|oat milk/);
    }
  });

  it("answers 401 without the gateway credential and 403 when it lacks operator.read", async () => {
    const url = await start({
      diagnostics: { prometheus: { enabled: true } },
      gateway: { auth: { scopes: ["operator.approvals"] } },
    });
    const anonymous = await scrape(url);
    expect(anonymous.status).toBe(401);
    expect((await scrape(url, "wrong-token")).status).toBe(401);
    const unscoped = await scrape(url, TOKEN);
    expect(unscoped.status).toBe(403);
    expect(JSON.parse(unscoped.text).error.message).toBe("missing scope: operator.read");
  });

  it("serves no route while diagnostics are off, even with the plugin entry enabled", async () => {
    const url = await start({
      diagnostics: { enabled: false },
      plugins: { entries: { "diagnostics-prometheus": { enabled: true } } },
    });
    expect((await scrape(url, TOKEN)).status).toBe(404);
  });
});
