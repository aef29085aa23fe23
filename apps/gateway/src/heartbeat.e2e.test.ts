import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
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
import { E2E_WAIT_MS, pollUntil } from "./e2e-wait-support.js";
import { type GatewayServer, startGatewayServer } from "./index.js";

const TOKEN = "h".repeat(64);
const PEER = "1001";
const MINUTE = 60_000;

let stateDir: string;
let workspace: string;
let model: FakeModelServer;
let telegram: FakeTelegramServer;
let clock: ManualCronClock;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-heartbeat-e2e-"));
  workspace = join(stateDir, "workspace");
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, "HEARTBEAT.md"), "# Checklist\n- Tell me when the backup finishes.\n");
  model = await startFakeModelServer();
  telegram = await startFakeTelegramServer();
  clock = createManualCronClock(Date.UTC(2026, 11, 7, 12, 0, 0));
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
    agents: {
      defaults: {
        model: { primary: "fake/instant" },
        workspace,
        heartbeat: { every: "30m", target: "telegram", to: PEER },
      },
    },
    channels: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 } },
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  gateway = await startGatewayServer(0, {
    stateDir,
    env: {},
    auth: { mode: "token", token: TOKEN },
    cron: { clock, catchUpDelayMs: 60 * MINUTE },
  });
  client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
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

interface HeartbeatEvent {
  status: string;
  reason?: string;
  channel?: string;
  to?: string;
  preview?: string;
}

/** Collects `heartbeat` events; `next(n)` waits until the n-th has arrived. */
function heartbeatEvents(operator: GatewayClient) {
  const seen: HeartbeatEvent[] = [];
  const waiters: { count: number; resolve: (event: HeartbeatEvent) => void }[] = [];
  operator.on("heartbeat", (payload) => {
    seen.push(payload as HeartbeatEvent);
    for (const waiter of waiters.filter((w) => w.count <= seen.length)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(seen[waiter.count - 1] as HeartbeatEvent);
    }
  });
  return {
    seen,
    /** Resolves on the event that makes `count`; the bound only turns a missing event into a clear failure. */
    next(count: number): Promise<HeartbeatEvent> {
      if (seen.length >= count) return Promise.resolve(seen[count - 1] as HeartbeatEvent);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`only ${seen.length} of ${count} heartbeat events arrived in ${E2E_WAIT_MS} ms`));
        }, E2E_WAIT_MS);
        const waiter = {
          count,
          resolve: (event: HeartbeatEvent) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        waiters.push(waiter);
      });
    },
  };
}

const toPeer = (sent: { method: string; chatId: string }) =>
  sent.method === "sendMessage" && sent.chatId === PEER;

describe("heartbeat end to end", () => {
  it("runs on schedule with HEARTBEAT.md, keeps HEARTBEAT_OK quiet, delivers an alert and honours next-heartbeat cron events", async () => {
    const operator = client as GatewayClient;
    const events = heartbeatEvents(operator);

    const health = await operator.request("health", {});
    expect(health.agents).toEqual([
      expect.objectContaining({
        agentId: "main",
        isDefault: true,
        heartbeat: expect.objectContaining({
          enabled: true,
          every: "30m",
          everyMs: 30 * MINUTE,
          target: "telegram",
        }),
      }),
    ]);

    // First tick: nothing to report.
    model.setDefaultReply({ text: "HEARTBEAT_OK" });
    clock.advance(30 * MINUTE);
    expect(await events.next(1)).toMatchObject({ status: "ok-token" });
    expect(model.requests).toHaveLength(1);
    const system = JSON.stringify(model.requests[0]?.body.messages[0]);
    expect(system).toContain("Tell me when the backup finishes.");
    expect(telegram.sent.filter(toPeer)).toHaveLength(0);
    expect(await operator.request("last-heartbeat", {})).toMatchObject({
      status: "ok-token",
      agentId: "main",
    });

    // A main-session system event with wakeMode next-heartbeat waits for the next heartbeat instead of a turn.
    const job = await operator.request("cron.add", {
      name: "Backup watcher",
      schedule: { kind: "every", everyMs: 24 * 60 * MINUTE },
      sessionTarget: "main",
      wakeMode: "next-heartbeat",
      payload: { kind: "systemEvent", text: "Backup finished: 42 GB" },
    });
    await operator.request("cron.run", { id: job.id, mode: "force" });
    const runs = await pollUntil(
      "the cron run being recorded",
      () => operator.request("cron.runs", { id: job.id, limit: 5 }),
      (seen) => seen.total >= 1,
    );
    expect(runs.entries[0]).toMatchObject({
      status: "ok",
      summary: "queued for the agent's next heartbeat",
    });
    expect(model.requests).toHaveLength(1);

    // Second tick: the event is in the prompt and the answer reaches the Telegram peer.
    model.setDefaultReply({ text: "The backup finished (42 GB)." });
    clock.advance(30 * MINUTE);
    expect(await events.next(2)).toMatchObject({ status: "sent", channel: "telegram", to: PEER });
    await telegram.waitForSent(toPeer);
    const [sent] = telegram.sent.filter(toPeer);
    // Telegram's MarkdownV2 escapes the parentheses and the full stop.
    expect((sent?.text ?? "").replaceAll("\\", "")).toBe("The backup finished (42 GB).");
    expect(JSON.stringify(model.requests[1]?.body.messages.at(-1))).toContain("Backup finished: 42 GB");

    // Paused: the next tick is skipped without a model call.
    expect(await operator.request("set-heartbeats", { enabled: false })).toEqual({
      ok: true,
      enabled: false,
    });
    clock.advance(30 * MINUTE);
    expect(await events.next(3)).toMatchObject({ status: "skipped", reason: "disabled" });
    expect(model.requests).toHaveLength(2);
  });
});
