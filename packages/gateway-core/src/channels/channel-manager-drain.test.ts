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
import { chat, config, dm, logs } from "./channel-manager.test-support.js";

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
