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
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pollUntil } from "./e2e-wait-support.js";
import { type GatewayServer, startGatewayServer } from "./index.js";

const TOKEN = "e".repeat(64);
const ALICE = { id: 1001, first_name: "Alice", username: "alice" };
const BOB = { id: 1002, first_name: "Bob" };
const DM_ALICE = { id: 1001, type: "private" as const };
const DM_BOB = { id: 1002, type: "private" as const };
const GROUP = { id: -100500, type: "supergroup" as const, title: "Team" };

let stateDir: string;
let model: FakeModelServer;
let telegram: FakeTelegramServer;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-telegram-e2e-"));
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

async function start(telegramSection: Record<string, unknown> = {}): Promise<GatewayClient> {
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
    channels: {
      telegram: {
        botToken: telegram.token,
        apiRoot: telegram.apiRoot,
        pollTimeoutSeconds: 1,
        ...telegramSection,
      },
    },
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  gateway = await startGatewayServer(0, {
    stateDir,
    env: {},
    auth: { mode: "token", token: TOKEN },
    channelBackoff: { initialMs: 50, maxMs: 400 },
  });
  client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  await waitForAccount((account) => account.connected === true);
  return client;
}

type AccountSnapshot = { connected?: boolean; running?: boolean; lastError?: string | null };

async function telegramAccount(): Promise<AccountSnapshot | undefined> {
  const status = await client?.request("channels.status", {});
  return status?.channelAccounts.telegram?.[0] as AccountSnapshot | undefined;
}

/** Polls `channels.status` (what an operator would do) until the account matches. */
async function waitForAccount(predicate: (account: AccountSnapshot) => boolean): Promise<AccountSnapshot> {
  const account = await pollUntil("the telegram account matching", telegramAccount, (seen) =>
    Boolean(seen && predicate(seen)),
  );
  return account as AccountSnapshot;
}

const sentTo = (chatId: number) => (sent: { method: string; chatId: string }) =>
  sent.method === "sendMessage" && sent.chatId === String(chatId);

describe("Telegram end to end", () => {
  it("pairs an unknown sender before anything reaches the agent, then answers after approval", async () => {
    const operator = await start();
    model.setDefaultReply({ text: "Hello Alice, how can I help?" });
    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "hi there" });
    const [pairing] = await telegram.waitForSent(sentTo(DM_ALICE.id));
    const code = /Pairing code: ([A-Z0-9]+)/.exec(pairing?.text ?? "")?.[1];
    expect(code).toBeDefined();
    expect(model.requests).toHaveLength(0);

    const pending = await operator.request("channels.pairing.list", { channel: "telegram" });
    expect(pending.requests).toEqual([expect.objectContaining({ requestId: code, senderId: "1001" })]);
    await operator.request("channels.pairing.approve", { channel: "telegram", requestId: code ?? "" });

    telegram.sendMessage({ chat: DM_ALICE, from: ALICE, text: "hi again" });
    const replies = await telegram.waitForSent(
      (sent) => sentTo(DM_ALICE.id)(sent) && (sent.text ?? "").includes("how can I help"),
    );
    expect(replies[0]?.text).toContain("Hello Alice");
    expect(model.requests.at(-1)?.body.messages.at(-1)).toMatchObject({ role: "user", content: "hi again" });
    expect(telegram.sent.some((sent) => sent.method === "sendChatAction" && sent.chatId === "1001")).toBe(
      true,
    );
  });

  it("delivers a long answer in chunks within Telegram's 4096 characters", async () => {
    await start({ allowFrom: [String(BOB.id)] });
    const paragraph = `${"word ".repeat(150).trim()}.`;
    const long = Array.from({ length: 8 }, () => paragraph).join("\n\n");
    model.setDefaultReply({ text: long });
    telegram.sendMessage({ chat: DM_BOB, from: BOB, text: "tell me everything" });
    const chunks = await telegram.waitForSent(sentTo(DM_BOB.id), { count: 2 });
    for (const chunk of chunks) expect((chunk.text ?? "").length).toBeLessThanOrEqual(4096);
    // Sent as MarkdownV2, so "." arrives escaped; the words themselves must all arrive, in order.
    const all = telegram.sent.filter(sentTo(DM_BOB.id)).map((sent) => (sent.text ?? "").replaceAll("\\", ""));
    expect(all.join("").replace(/\s+/g, "")).toBe(long.replace(/\s+/g, ""));
  });

  it("ignores a group message without a mention and answers one with it", async () => {
    await start({ groupPolicy: "open", groups: { "*": { requireMention: true } } });
    model.setDefaultReply({ text: "group answer" });
    telegram.sendMessage({ chat: GROUP, from: ALICE, text: "just chatting" });
    const mention = telegram.mentionText("what time is it?");
    telegram.sendMessage({ chat: GROUP, from: ALICE, text: mention.text, entities: mention.entities });
    const [reply] = await telegram.waitForSent(sentTo(GROUP.id));
    expect(reply?.text).toBe("group answer");
    expect(model.requests).toHaveLength(1);
    expect(JSON.stringify(model.requests[0]?.body.messages)).not.toContain("just chatting");
  });

  it("restarts a crashed adapter with backoff and shows the error meanwhile", async () => {
    await start();
    telegram.failNext("getUpdates", { status: 500, description: "Internal Server Error", times: 3 });
    const failed = await waitForAccount((account) => typeof account.lastError === "string");
    expect(failed.lastError).toMatch(/500|Internal Server Error/);
    await waitForAccount((account) => account.connected === true && account.running === true);
  });

  it("sends to a peer directly with the send method, once per idempotency key", async () => {
    const operator = await start();
    const params = {
      to: "1001",
      message: "Reminder: stand-up at 10",
      channel: "telegram",
      idempotencyKey: "send-1",
    };
    const first = await operator.request("send", params);
    const again = await operator.request("send", params);
    expect(again.messageIds).toEqual(first.messageIds);
    const delivered = await telegram.waitForSent(sentTo(DM_ALICE.id));
    expect(delivered.map((sent) => (sent.text ?? "").replaceAll("\\", ""))).toEqual([
      "Reminder: stand-up at 10",
    ]);
    expect(telegram.sent.filter(sentTo(DM_ALICE.id))).toHaveLength(1);
  });

  it("stops polling at once on channels.stop instead of waiting out the long poll", async () => {
    // A 30 s long poll, so a stop that waits for it to expire is told apart from one that aborts it, with room
    // to spare for a loaded machine (a fixed "within 1 s" with a 1 s poll proved neither and was flaky).
    const operator = await start({ pollTimeoutSeconds: 30 });
    await telegram.waitForActivePolls(1);
    const started = performance.now();
    await operator.request("channels.stop", { channel: "telegram" });
    await telegram.waitForActivePolls(0);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect((await telegramAccount())?.running).toBe(false);
  });
});
