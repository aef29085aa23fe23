import { expireMemoryClusterLease } from "@openclaw/sessions";
import { describe, expect, it } from "vitest";
import {
  clusterData,
  deliver,
  eventually,
  journalKeys,
  openInstance,
  sendsOf,
  startPair,
  startsOf,
} from "./channel-cluster.test-support.js";
import {
  chat,
  config,
  createManager,
  dm,
  events,
  fakeChannel,
  inject,
  logs,
  sends,
} from "./channel-manager.test-support.js";
import { PluginRegistry } from "./plugin-registry.js";

const OPEN = { token: "t", dmPolicy: "open", allowFrom: ["*"] };
/** Longer than any test waits: a drain that ends did so because its turns did, not because it timed out. */
const LONG_DRAIN_MS = 60_000;

describe("ChannelManager in a cluster: a graceful stop drains the account before its lease goes", () => {
  it("answers the running turn on the stopping instance, journals what arrives meanwhile for the next owner", async () => {
    config.channels = { alpha: OPEN };
    chat.autoReply = undefined;
    const [a, b] = await startPair({ drainMs: LONG_DRAIN_MS });
    await deliver(a, dm("alpha", "42", "first, answered here"));
    await chat.requests.waitFor((all) => all.length === 1, "the owner's turn");

    let stopped = false;
    const stopping = a.manager.stop().then(() => {
      stopped = true;
    });
    // Draining: a message reaching the adapter now is journaled, not run here; the lease stays with a.
    await deliver(a, dm("alpha", "43", "second, arrives while draining"));
    expect(chat.requests.list).toHaveLength(1);
    expect(await journalKeys(a.storage)).toHaveLength(2);
    expect(startsOf(b)).toBe(0);
    expect(stopped).toBe(false);

    // One with media is still answered here: a replay on the next owner could not fetch its media.
    const photo = { kind: "image" as const, download: async () => new Uint8Array([1]) };
    await deliver(a, dm("alpha", "44", "a photo, arrives while draining", { media: [photo] }));
    await chat.requests.waitFor((all) => all.length === 2, "the photo's turn on the draining owner");
    expect(stopped).toBe(false);

    // A running turn's own sends (the `message` tool) still go out while the account drains.
    await a.manager.send({ channel: "alpha", to: "42", message: "sent by a tool of the running turn" });

    chat.autoReply = (request) => ({ text: `answer: ${request.message}` });
    chat.finish("run-1", { text: "answer of the draining owner" });
    chat.finish("run-2", { text: "answer to the photo" });
    await stopping;
    expect(sendsOf(a).map((send) => send.text)).toEqual([
      "sent by a tool of the running turn",
      "answer of the draining owner",
      "answer to the photo",
    ]);

    // The next owner replays only the message nobody answered: each message got exactly one reply.
    await eventually(() => startsOf(b) === 1, "the takeover");
    await eventually(() => sendsOf(b).length === 1, "the journaled message's reply");
    await b.manager.idle();
    expect(chat.requests.list.map((request) => request.message)).toEqual([
      "first, answered here",
      "a photo, arrives while draining",
      "second, arrives while draining",
    ]);
    expect(sendsOf(b).map((send) => send.text)).toEqual(["answer: second, arrives while draining"]);
    expect(sendsOf(a)).toHaveLength(3);
    await eventually(async () => (await journalKeys(b.storage)).length === 0, "the entries to be deleted");
  });

  it("leaves a turn that outlives the drain to the next owner, which answers it once", async () => {
    config.channels = { alpha: OPEN };
    chat.autoReply = undefined;
    const [a, b] = await startPair({ drainMs: 50 });
    await deliver(a, dm("alpha", "42", "a long question"));
    await chat.requests.waitFor((all) => all.length === 1, "the owner's turn");
    await a.manager.stop();
    expect(logs.some((record) => record.msg.includes("drain timed out"))).toBe(true);
    expect(await journalKeys(a.storage)).toHaveLength(1);

    await chat.requests.waitFor((all) => all.length === 2, "the replayed turn on the next owner");
    expect(startsOf(b)).toBe(1);
    chat.finish("run-1", { text: "too late: the drain is over" });
    chat.finish("run-2", { text: "answer of the next owner" });
    await eventually(() => sendsOf(b).length === 1, "the reply");
    await a.manager.idle();
    expect(sendsOf(a)).toEqual([]);
    expect(sendsOf(b).map((send) => send.text)).toEqual(["answer of the next owner"]);
  });

  it("ends the drain at once when the lease is lost: the instance that took it answers instead", async () => {
    config.channels = { alpha: OPEN };
    chat.autoReply = undefined;
    const [a, b] = await startPair({ drainMs: LONG_DRAIN_MS });
    await deliver(a, dm("alpha", "42", "are you there"));
    await chat.requests.waitFor((all) => all.length === 1, "the owner's turn");
    const stopping = a.manager.stop();
    expect(expireMemoryClusterLease(clusterData, "channel:alpha:default")).toBe(true);
    await stopping; // long before LONG_DRAIN_MS: the test's own timeout would fail it otherwise
    await chat.requests.waitFor((all) => all.length === 2, "the replayed turn on the new owner");
    chat.finish("run-1", { text: "answer of the owner that lost its lease" });
    chat.finish("run-2", { text: "answer of the new owner" });
    await eventually(() => sendsOf(b).length === 1, "the reply");
    await a.manager.idle();
    expect(sendsOf(a)).toEqual([]);
    expect(sendsOf(b).map((send) => send.text)).toEqual(["answer of the new owner"]);
  });

  it("journals a message that reaches a stopped account's adapter late, and the next run answers it", async () => {
    config.channels = { alpha: OPEN };
    const a = await openInstance("instance-a");
    await a.manager.start();
    const stoppedContext = a.fake.contexts.get("default");
    await a.manager.stopChannel("alpha");
    // The adapter was mid-batch when stopped: neither answered by the stopped run nor lost.
    await stoppedContext?.onInbound(dm("alpha", "9", "sent during the stop"));
    expect(chat.requests.list).toHaveLength(0);
    expect(await journalKeys(a.storage)).toHaveLength(1);
    await a.manager.startChannel("alpha");
    await eventually(() => sendsOf(a).length === 1, "the next run's answer");
    expect(chat.requests.list.map((request) => request.message)).toEqual(["sent during the stop"]);
  });
});

function singleGateway(drainMs = LONG_DRAIN_MS) {
  const registry = new PluginRegistry();
  const alpha = fakeChannel("alpha", events);
  registry.registerChannel(alpha.plugin);
  config.channels = { alpha: OPEN };
  chat.autoReply = undefined;
  const manager = createManager(registry, { drainMs });
  const context = () => {
    const current = alpha.contexts.get("default");
    if (!current) throw new Error("alpha is not running");
    return current;
  };
  return { manager, alpha, context };
}

function stopsOfAlpha(): number {
  return events.list.filter((event) => event.kind === "stop").length;
}

describe("ChannelManager without a cluster: a graceful stop lets running turns answer", () => {
  it("delivers the running turn's reply before the adapter stops; a message arriving meanwhile is not started", async () => {
    const { manager, alpha, context } = singleGateway();
    await manager.start();
    inject(alpha, dm("alpha", "42", "a slow question"));
    await chat.requests.waitFor((all) => all.length === 1, "the turn");

    let stopped = false;
    const stopping = manager.stop().then(() => {
      stopped = true;
    });
    // Not started, and not confirmed to the adapter: its onInbound fails once the adapter's signal aborted.
    const refused = Promise.resolve(context().onInbound(dm("alpha", "43", "arrives while draining"))).then(
      () => "confirmed",
      (error: { code?: string }) => error.code,
    );
    // A running turn's own sends (the `message` tool) still go out while the account drains.
    await manager.send({ channel: "alpha", to: "42", message: "sent by a tool of the running turn" });
    expect(stopped).toBe(false);
    expect(stopsOfAlpha()).toBe(0);

    chat.finish("run-1", { text: "the slow answer" });
    await stopping;
    expect(sends("alpha").map((send) => send.text)).toEqual([
      "sent by a tool of the running turn",
      "the slow answer",
    ]);
    expect(stopsOfAlpha()).toBe(1);
    expect(await refused).toBe("CHANNEL_ACCOUNT_STOPPING");
    expect(chat.requests.list.map((request) => request.message)).toEqual(["a slow question"]);
  });

  it("stops after drainMs when a turn outlives it; the late answer is not sent", async () => {
    const { manager, alpha } = singleGateway(50);
    await manager.start();
    inject(alpha, dm("alpha", "42", "a very long question"));
    await chat.requests.waitFor((all) => all.length === 1, "the turn");
    await manager.stop();
    expect(logs.some((record) => record.msg.includes("drain timed out"))).toBe(true);
    chat.finish("run-1", { text: "too late: the account stopped" });
    await manager.idle();
    expect(sends("alpha")).toEqual([]);
  });

  it("channels.stop drains too: the running turn answers, then the account stops", async () => {
    const { manager, alpha } = singleGateway();
    await manager.start();
    inject(alpha, dm("alpha", "42", "question before the stop"));
    await chat.requests.waitFor((all) => all.length === 1, "the turn");
    const stopping = manager.stopChannel("alpha");
    chat.finish("run-1", { text: "answer before the stop" });
    const [snapshot] = await stopping;
    expect(snapshot?.running).toBe(false);
    expect(sends("alpha").map((send) => send.text)).toEqual(["answer before the stop"]);
  });

  it("a config reload restarts the account at once; the running turn answers through the restarted run", async () => {
    const { manager, alpha } = singleGateway();
    await manager.start();
    inject(alpha, dm("alpha", "42", "question before the reload"));
    await chat.requests.waitFor((all) => all.length === 1, "the turn");
    config.channels = { alpha: { ...OPEN, token: "rotated" } };
    // Long before LONG_DRAIN_MS: the reload does not wait for the turn.
    await manager.applyConfigChange("alpha");
    expect(stopsOfAlpha()).toBe(1);
    expect(events.list.filter((event) => event.kind === "start")).toHaveLength(2);
    chat.finish("run-1", { text: "answer across the reload" });
    await manager.idle();
    expect(sends("alpha").map((send) => send.text)).toEqual(["answer across the reload"]);
  });

  it("a config reload that removes the account drains it: its running turn still answers", async () => {
    const { manager, alpha } = singleGateway();
    await manager.start();
    inject(alpha, dm("alpha", "42", "question before the removal"));
    await chat.requests.waitFor((all) => all.length === 1, "the turn");
    config.channels = { alpha: { ...OPEN, enabled: false } };
    const reloading = manager.applyConfigChange("alpha");
    chat.finish("run-1", { text: "answer before the removal" });
    await reloading;
    expect(stopsOfAlpha()).toBe(1);
    expect(sends("alpha").map((send) => send.text)).toEqual(["answer before the removal"]);
  });
});
