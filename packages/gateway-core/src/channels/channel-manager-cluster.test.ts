import { ChannelsStatusResultSchema } from "@openclaw/protocol";
import { expireMemoryClusterLease } from "@openclaw/sessions";
import { describe, expect, it } from "vitest";
import type { ChannelAccountRuntimeSnapshot } from "./account-runtime.js";
import {
  clusterData,
  deliver,
  eventually,
  journalKeys,
  openInstance,
  sendsOf,
  startPair,
  startsOf,
  stopsOf,
  TEST_LEASE_RETRY_MS,
  type TestInstance,
} from "./channel-cluster.test-support.js";
import { chat, config, dm, logs } from "./channel-manager.test-support.js";

const LEASE = "channel:alpha:default";

/** The account as `channels.status` shows it (the protocol's loose snapshot, read with the cluster fields). */
async function accountOf(instance: TestInstance): Promise<ChannelAccountRuntimeSnapshot | undefined> {
  const status = await instance.manager.status();
  expect(ChannelsStatusResultSchema.parse(status)).toEqual(status);
  return status.channelAccounts.alpha?.[0] as ChannelAccountRuntimeSnapshot | undefined;
}

describe("ChannelManager in a cluster: account leases", () => {
  it("runs a polled account on one instance only; the other stands by and shows who owns it", async () => {
    config.channels = { alpha: { token: "t" } };
    const [a, b] = await startPair();
    expect(startsOf(a)).toBe(1);
    expect(startsOf(b)).toBe(0);
    expect(await accountOf(a)).toMatchObject({
      running: true,
      connected: true,
      ownership: "owner",
      owner: { instanceId: "instance-a" },
    });
    // The standby learns the owner from the lease table on its retries (status itself reads no store).
    await eventually(
      async () => (await accountOf(b))?.owner?.instanceId === "instance-a",
      "the standby to see the owner",
    );
    expect(await accountOf(b)).toMatchObject({ running: false, ownership: "standby", lastError: null });
    // Many retry periods later, still only one instance runs it.
    await new Promise((resolve) => setTimeout(resolve, TEST_LEASE_RETRY_MS * 5));
    expect(startsOf(b)).toBe(0);
  });

  it("hands the account over at once when its owner stops (a rolling restart)", async () => {
    config.channels = { alpha: { token: "t" } };
    const [a, b] = await startPair();
    await a.manager.stop();
    expect(stopsOf(a)).toBe(1);
    await eventually(() => startsOf(b) === 1, "the standby to start the account");
    expect(await accountOf(b)).toMatchObject({
      running: true,
      ownership: "owner",
      owner: { instanceId: "instance-b" },
    });
  });

  it("tells standbys of a release and of the new owner at once, without waiting for their next retry", async () => {
    config.channels = { alpha: { token: "t" } };
    const a = await openInstance("instance-a");
    const slow = { retryMs: 60_000 };
    const b = await openInstance("instance-b", slow);
    const c = await openInstance("instance-c", slow);
    await a.manager.start();
    await b.manager.start();
    await c.manager.start();
    await a.manager.stop();
    // b and c retry only every minute: the release announcement makes one of them try at once.
    await eventually(() => startsOf(b) + startsOf(c) === 1, "a standby to take the released account");
    const [owner, other] = startsOf(b) === 1 ? [b, c] : [c, b];
    await eventually(
      async () => (await accountOf(other))?.owner?.instanceId === owner.id,
      "the other standby to name the new owner",
    );
    expect(await accountOf(other)).toMatchObject({ ownership: "standby", running: false });
  });

  it("stops the account at once when the owner loses its lease, and the other instance takes it over", async () => {
    config.channels = { alpha: { token: "t" } };
    const [a, b] = await startPair();
    expect(expireMemoryClusterLease(clusterData, LEASE)).toBe(true);
    await eventually(() => startsOf(b) === 1, "the standby to take the account over");
    await eventually(() => stopsOf(a) === 1, "the old owner to stop polling");
    expect(await accountOf(a)).toMatchObject({ running: false, ownership: "standby" });
    // The old owner stands by now and takes the account back once the new owner goes.
    await b.manager.stop();
    await eventually(() => startsOf(a) === 2, "the first instance to take the account back");
  });

  it("keeps trying while the store is unreachable and takes the account once it answers", async () => {
    config.channels = { alpha: { token: "t" } };
    let reachable = false;
    const unreachable = () => Object.assign(new Error("store unreachable"), { code: "UNAVAILABLE" });
    const a = await openInstance("instance-a", {
      wrapCluster: (cluster) =>
        new Proxy(cluster, {
          get(target, key, receiver) {
            if (key === "tryAcquireLease" && !reachable) return () => Promise.reject(unreachable());
            const value = Reflect.get(target, key, receiver);
            return typeof value === "function" ? value.bind(target) : value;
          },
        }),
    });
    await a.manager.start();
    expect(await accountOf(a)).toMatchObject({ running: false, ownership: "standby" });
    await new Promise((resolve) => setTimeout(resolve, TEST_LEASE_RETRY_MS * 3));
    expect(startsOf(a)).toBe(0);
    expect(logs.filter((record) => record.msg.includes("lease could not be read"))).toHaveLength(1);
    reachable = true;
    await eventually(() => startsOf(a) === 1, "the start once the store answers");
  });

  it("sends through the owner when asked on a standby instance (send, cron and heartbeat deliveries)", async () => {
    config.channels = { alpha: { token: "t" } };
    const [a, b] = await startPair();
    const result = await b.manager.send({ channel: "alpha", to: "42", message: "from the standby" });
    expect(result).toMatchObject({ channel: "alpha", accountId: "default", to: "42", messageIds: ["out-1"] });
    expect(sendsOf(a).map((send) => send.text)).toEqual(["from the standby"]);
    expect(sendsOf(b)).toEqual([]);
    await expect(b.manager.send({ channel: "alpha", to: "42", message: "" })).rejects.toMatchObject({
      code: "CHANNEL_SEND_FAILED",
      message: expect.stringMatching(/nothing to send/),
    });
  });

  it("starts a webhook-mode account on every instance, without a lease", async () => {
    config.channels = { alpha: { token: "t", mode: "webhook" } };
    const [a, b] = await startPair();
    expect(startsOf(a)).toBe(1);
    expect(startsOf(b)).toBe(1);
    expect(await accountOf(a)).toMatchObject({ running: true, ownership: "shared", owner: null });
    expect(await a.cluster.listLeases("channel:")).toEqual([]);
  });

  it("follows config reloads: an added account is leased, a removed one's lease is released", async () => {
    config.channels = { alpha: { token: "t" } };
    const [a, b] = await startPair();
    config.channels = { alpha: { token: "t", accounts: { default: {}, second: {} } } };
    await a.manager.applyConfigChange("alpha");
    await b.manager.applyConfigChange("alpha");
    await eventually(
      async () => (await a.cluster.listLeases("channel:alpha:")).length === 2,
      "both accounts to be leased",
    );
    const running = () =>
      [a, b].flatMap((instance) => [...instance.fake.contexts.keys()].map((id) => `${instance.id}/${id}`));
    expect(startsOf(a) + startsOf(b)).toBeGreaterThanOrEqual(2);
    config.channels = { alpha: { token: "t", accounts: { second: {} } } };
    await a.manager.applyConfigChange("alpha");
    await b.manager.applyConfigChange("alpha");
    const leases = await a.cluster.listLeases("channel:alpha:");
    expect(leases.map((lease) => lease.name)).toEqual(["channel:alpha:second"]);
    expect(running().length).toBeGreaterThan(0);
  });
});

const OPEN = { token: "t", dmPolicy: "open", allowFrom: ["*"] };

describe("ChannelManager in a cluster: the inbound journal", () => {
  it("answers a message the stopped owner accepted but never answered exactly once, on the instance taking over", async () => {
    config.channels = { alpha: OPEN };
    chat.autoReply = undefined; // turns wait until the test finishes them
    const [a, b] = await startPair();
    const message = dm("alpha", "42", "what is the weather");
    await deliver(a, message);
    await chat.requests.waitFor((all) => all.length === 1, "the owner's turn");
    expect(await journalKeys(a.storage)).toHaveLength(1);

    await a.manager.stop(); // a rolling restart in mid-turn: the reply is never sent by a
    await eventually(() => startsOf(b) === 1, "the takeover");
    await chat.requests.waitFor((all) => all.length === 2, "the replayed turn");
    // The replay keeps the message's key (an answer the transcript holds is delivered as is) and asks the agent to
    // run a recorded message that never answered again on its recorded user entry, not as a second one.
    expect(chat.requests.list[1]?.idempotencyKey).toBe(chat.requests.list[0]?.idempotencyKey);
    expect(chat.requests.list.map((request) => request.resumeUnanswered)).toEqual([undefined, true]);
    // The platform redelivers the message (its cursor had not moved on): dropped while the entry exists.
    await deliver(b, message);
    expect(chat.requests.list).toHaveLength(2);

    chat.finish("run-1", { text: "late answer of the stopped owner" });
    chat.autoReply = (request) => ({ text: `answer: ${request.message}` });
    chat.finish("run-2", { text: "answer of the new owner" });
    await eventually(() => sendsOf(b).length === 1, "the reply");
    await b.manager.idle();
    await a.manager.idle();
    expect(sendsOf(a)).toEqual([]);
    expect(sendsOf(b).map((send) => send.text)).toEqual(["answer of the new owner"]);
    await eventually(async () => (await journalKeys(b.storage)).length === 0, "the entry to be deleted");

    // Once answered, the entry is gone: a later takeover replays nothing.
    await b.manager.stop();
    await a.manager.start();
    await eventually(() => startsOf(a) === 2, "the account back on the first instance");
    await a.manager.idle();
    expect(chat.requests.list).toHaveLength(2);
  });

  it("keeps a partitioned owner from answering: the instance taking its expired lease over answers once", async () => {
    config.channels = { alpha: OPEN };
    chat.autoReply = undefined;
    const [a, b] = await startPair();
    await deliver(a, dm("alpha", "42", "are you there"));
    await chat.requests.waitFor((all) => all.length === 1, "the owner's turn");
    expect(expireMemoryClusterLease(clusterData, LEASE)).toBe(true);
    await chat.requests.waitFor((all) => all.length === 2, "the replayed turn on the new owner");
    await eventually(() => stopsOf(a) === 1, "the old owner to stop the account");
    chat.finish("run-1", { text: "answer of the cut-off owner" });
    chat.finish("run-2", { text: "answer of the new owner" });
    await eventually(() => sendsOf(b).length === 1, "the reply");
    await a.manager.idle();
    await b.manager.idle();
    expect(sendsOf(a)).toEqual([]);
    expect(sendsOf(b).map((send) => send.text)).toEqual(["answer of the new owner"]);
    await eventually(async () => (await journalKeys(b.storage)).length === 0, "the entry to be deleted");
  });

  it("journals a message that reaches an owner's adapter after its lease was lost, for the next run to answer", async () => {
    config.channels = { alpha: OPEN };
    const [a, b] = await startPair();
    const oldContext = a.fake.contexts.get("default");
    expect(expireMemoryClusterLease(clusterData, LEASE)).toBe(true);
    await eventually(() => stopsOf(a) === 1, "the old owner to stand down");
    // The adapter was mid-batch: the message is not handled by the stood-down run, but not lost either.
    await oldContext?.onInbound(dm("alpha", "9", "sent during the handover"));
    expect(chat.requests.list).toHaveLength(0);
    expect(await journalKeys(a.storage)).toHaveLength(1);
    await b.manager.stop();
    await eventually(() => sendsOf(a).length === 1, "the message to be answered by the next run");
    expect(chat.requests.list.map((request) => request.message)).toEqual(["sent during the handover"]);
  });

  it("drops a second delivery of a message still being handled, and keeps no entry once answered", async () => {
    config.channels = { alpha: OPEN };
    chat.autoReply = undefined;
    const a = await openInstance("instance-a");
    await a.manager.start();
    const message = dm("alpha", "7", "hello");
    await deliver(a, message);
    await deliver(a, message);
    await chat.requests.waitFor((all) => all.length === 1, "the turn");
    chat.finish("run-1", { text: "hi" });
    await a.manager.idle();
    expect(chat.requests.list).toHaveLength(1);
    expect(sendsOf(a).map((send) => send.text)).toEqual(["hi"]);
    await eventually(async () => (await journalKeys(a.storage)).length === 0, "the entry to be deleted");
  });

  it("tells apart messages of two chats that carry the same message id (ids are per chat on Telegram)", async () => {
    config.channels = { alpha: OPEN };
    chat.autoReply = undefined;
    const a = await openInstance("instance-a");
    await a.manager.start();
    await deliver(a, dm("alpha", "7", "hello", { platformMessageId: "1" }));
    await deliver(a, dm("alpha", "8", "hello", { platformMessageId: "1" }));
    await chat.requests.waitFor((all) => all.length === 2, "a turn per chat");
    expect(await journalKeys(a.storage)).toHaveLength(2);
  });

  it("journals nothing for webhook-mode accounts or without a journal store", async () => {
    config.channels = { alpha: { ...OPEN, mode: "webhook" } };
    const a = await openInstance("instance-a");
    await a.manager.start();
    await deliver(a, dm("alpha", "7", "hello"));
    await a.manager.idle();
    expect(sendsOf(a)).toHaveLength(1);
    expect(await journalKeys(a.storage)).toEqual([]);
  });
});
