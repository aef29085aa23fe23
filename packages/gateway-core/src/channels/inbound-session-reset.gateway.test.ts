import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { startMemoGateway } from "./memo-gateway.test-support.js";

const env = useIntegrationEnv();
const SESSION_KEY = "agent:main:main";

/** A gateway whose clock the test moves forward, with the fake model and one in-memory channel account. */
async function start(session: Record<string, unknown>) {
  let shiftMs = 0;
  const { fake, platform, deliver, runtime } = await startMemoGateway(env, {
    clock: { now: () => Date.now() + shiftMs },
    config: { session },
  });
  /** Sends a DM and waits until its answer (or command reply) is out. */
  const say = async (text: string) => {
    const before = platform.of("send").length;
    deliver({ text });
    await eventually(() => platform.of("send").length > before, `the reply to "${text}"`);
    await runtime.channels.idle();
  };
  const sessionId = async () => (await runtime.sessions.get(SESSION_KEY))?.sessionId;
  const userTexts = async () =>
    (await runtime.sessions.readTranscript(SESSION_KEY)).filter((e) => e.role === "user").map((e) => e.text);
  const advance = (minutes: number) => {
    shiftMs += minutes * 60_000;
  };
  return { fake, say, sessionId, userTexts, advance };
}

describe("session reset policies through the gateway", () => {
  it("idle: a DM after idleMinutes of quiet starts a fresh session; the model no longer sees the old turns", async () => {
    const { fake, say, sessionId, userTexts, advance } = await start({
      reset: { mode: "idle", idleMinutes: 30 },
    });
    await say("remember the code word is ORCHID");
    const first = await sessionId();
    advance(10);
    await say("still there?");
    expect(await sessionId()).toBe(first);

    advance(31);
    await say("what was the code word?");
    expect(await sessionId()).not.toBe(first);
    expect(await userTexts()).toEqual(["what was the code word?"]);
    expect(JSON.stringify(fake.requests.at(-1)?.body)).not.toContain("ORCHID");
  });

  it("resetByChannel wins over reset: this channel's longer idle window keeps the session", async () => {
    const { say, sessionId, userTexts, advance } = await start({
      reset: { mode: "idle", idleMinutes: 30 },
      resetByChannel: { memo: { mode: "idle", idleMinutes: 600 } },
    });
    await say("first");
    const first = await sessionId();
    advance(45);
    await say("second");
    expect(await sessionId()).toBe(first);
    expect(await userTexts()).toEqual(["first", "second"]);
  });

  it("daily: the first message after the reset hour starts a fresh session (resetByType.direct)", async () => {
    const { say, sessionId, advance } = await start({
      resetByType: { direct: { mode: "daily", atHour: new Date().getHours() } },
    });
    await say("today");
    const first = await sessionId();
    advance(60 * 25);
    await say("tomorrow");
    expect(await sessionId()).not.toBe(first);
  });

  it("a reset trigger starts a fresh session and sends the text after it to the agent", async () => {
    const { fake, say, sessionId, userTexts } = await start({ resetTriggers: ["start over", "/tell"] });
    await say("remember ORCHID");
    const first = await sessionId();
    await say("Start Over\nnew topic: tulips");
    expect(await sessionId()).not.toBe(first);
    expect(await userTexts()).toEqual(["new topic: tulips"]);
    expect(JSON.stringify(fake.requests.at(-1)?.body)).not.toContain("ORCHID");
  });

  it("a bare trigger answers that a new session started and runs no turn", async () => {
    const { fake, say, sessionId, userTexts } = await start({ resetTriggers: ["/tell"] });
    await say("hello");
    const first = await sessionId();
    const requests = fake.requests.length;
    await say("/TELL");
    expect(fake.requests).toHaveLength(requests);
    expect(await sessionId()).not.toBe(first);
    expect(await userTexts()).toEqual([]);
  });

  it("/status after the idle window reports on the old session instead of starting a fresh one", async () => {
    const { say, sessionId, advance } = await start({ reset: { mode: "idle", idleMinutes: 30 } });
    await say("first");
    const first = await sessionId();
    advance(31);
    await say("/status");
    expect(await sessionId()).toBe(first);
    await say("second");
    expect(await sessionId()).not.toBe(first);
  });
});
