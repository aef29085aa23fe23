import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import { createManualCronClock, type ManualCronClock } from "@openclaw/gateway-core";
import {
  type FakeModelServer,
  type FakeTelegramServer,
  startFakeModelServer,
  startFakeTelegramServer,
} from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollUntil } from "./e2e-wait-support.js";
import { type GatewayServer, startGatewayServer } from "./index.js";

const TOKEN = "c".repeat(64);
const PEER = "1001";
const at = (minute: number, second = 0) => Date.UTC(2026, 2, 1, 8, minute, second);

let stateDir: string;
let model: FakeModelServer;
let telegram: FakeTelegramServer;
let clock: ManualCronClock;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-cron-e2e-"));
  model = await startFakeModelServer();
  telegram = await startFakeTelegramServer();
  clock = createManualCronClock(at(0, 30));
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          apiKey: "k",
          api: "openai-completions",
          models: [{ id: "instant" }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    channels: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 } },
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
});

afterEach(async () => {
  await stop();
  await telegram.close();
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** Starts (or restarts) the gateway on the same state dir and clock, and waits for Telegram to be connected. */
async function start(): Promise<GatewayClient> {
  gateway = await startGatewayServer(0, {
    stateDir,
    env: {},
    auth: { mode: "token", token: TOKEN },
    channelBackoff: { initialMs: 50, maxMs: 400 },
    cron: { clock, catchUpDelayMs: 1_000 },
  });
  client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  const operator = client;
  await pollUntil(
    "telegram connecting",
    async () => (await operator.request("channels.status", {})).channelAccounts.telegram?.[0],
    (account) => (account as { connected?: boolean } | undefined)?.connected === true,
  );
  return operator;
}

async function stop(): Promise<void> {
  await client?.close();
  client = undefined;
  await gateway?.close({ reason: "restart" });
  gateway = undefined;
}

const toPeer = (sent: { method: string; chatId: string }) =>
  sent.method === "sendMessage" && sent.chatId === PEER;
const delivered = () => telegram.sent.filter(toPeer);

/** Polls `cron.runs` (as an operator would) until the job has `count` history entries. */
async function waitForRuns(operator: GatewayClient, jobId: string, count: number) {
  const runs = await pollUntil(
    `cron.runs reaching ${count} entries`,
    () => operator.request("cron.runs", { id: jobId, sortDir: "asc", limit: 50 }),
    (seen) => seen.total >= count,
  );
  return runs.entries;
}

describe("cron end to end", () => {
  it("runs a one-minute job exactly once per tick across restarts and delivers each answer to a Telegram peer", async () => {
    let operator = await start();
    model.setDefaultReply({ text: "Digest ready, all green" });
    const job = await operator.request("cron.add", {
      name: "Minute digest",
      schedule: { kind: "cron", expr: "* * * * *", tz: "UTC" },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "Write the digest" },
      delivery: { mode: "announce", channel: "telegram", to: PEER },
    });
    expect(job.nextRunAtMs).toBe(at(1));

    // Tick 1.
    clock.set(at(1));
    await telegram.waitForSent(toPeer);
    await waitForRuns(operator, job.id, 1);
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]?.body.messages.at(-1)).toMatchObject({
      role: "user",
      content: "Write the digest",
    });
    expect((delivered()[0]?.text ?? "").replaceAll("\\", "")).toBe("Digest ready, all green");

    // Restart within the same minute: tick 1 was claimed on disk and is not run again.
    await stop();
    operator = await start();
    clock.set(at(1, 45));
    const [listed] = (await operator.request("cron.list", {})).jobs;
    expect(listed).toMatchObject({
      id: job.id,
      nextRunAtMs: at(2),
      lastRunStatus: "ok",
      lastDeliveryStatus: "delivered",
    });

    // Tick 2.
    clock.set(at(2));
    await telegram.waitForSent(toPeer, { count: 2 });
    await waitForRuns(operator, job.id, 2);
    expect(model.requests).toHaveLength(2);

    // Down from 08:02 to 08:05:10: ticks 3, 4 and 5 were missed. One catch-up run, a second after start.
    await stop();
    clock.set(at(5, 10));
    operator = await start();
    expect(delivered()).toHaveLength(2);
    clock.set(at(5, 11));
    await telegram.waitForSent(toPeer, { count: 3 });
    const entries = await waitForRuns(operator, job.id, 4);
    expect(entries.map((entry) => [entry.status, entry.deliveryStatus])).toEqual([
      ["ok", "delivered"],
      ["ok", "delivered"],
      ["skipped", undefined],
      ["ok", "delivered"],
    ]);
    expect(entries[2]?.summary).toContain("2 older missed runs");

    // Tick 6 is a normal tick again.
    clock.set(at(6));
    await telegram.waitForSent(toPeer, { count: 4 });
    await waitForRuns(operator, job.id, 5);
    expect(model.requests).toHaveLength(4);
    expect(delivered()).toHaveLength(4);
  });
});
