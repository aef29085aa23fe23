import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { connectParams, type RawClient, type TestGateway, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();
const KIB = 1024;

/** A connect frame padded (through `userAgent`, which the schema allows) to about `bytes` bytes. */
function paddedConnect(token: string, bytes: number): string {
  const params = connectParams({ token });
  const frame = {
    type: "req",
    id: "padded-connect",
    method: "connect",
    params: { ...params, userAgent: "" },
  };
  const overhead = JSON.stringify(frame).length;
  frame.params.userAgent = "u".repeat(Math.max(0, bytes - overhead));
  return JSON.stringify(frame);
}

describe("frame size limits", () => {
  it("closes the socket with 1009 on a pre-auth frame over 64 KiB", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    client.sendRaw(paddedConnect(gateway.token, 65 * KIB));
    const close = await client.waitForClose();
    expect(close.code).toBe(1009);
    expect(client.frames.filter((frame) => frame.type === "res")).toEqual([]);
  });

  it("accepts a pre-auth frame just under 64 KiB", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    client.sendRaw(paddedConnect(gateway.token, 63 * KIB));
    const hello = await client.waitFor((frame) => frame.id === "padded-connect");
    expect(hello.ok, JSON.stringify(hello.error)).toBe(true);
  });

  it("after auth accepts frames above 64 KiB up to maxPayload and refuses larger ones", async () => {
    const gateway = await env.start({ maxPayload: 256 * KIB });
    const { client } = await env.connect(gateway);

    const big = await client.request("health", { note: "x".repeat(200 * KIB) });
    expect(big.ok, JSON.stringify(big.error)).toBe(true);

    const id = client.newId();
    client.sendRaw(
      JSON.stringify({ type: "req", id, method: "health", params: { note: "x".repeat(300 * KIB) } }),
    );
    const outcome = await client
      .waitFor((frame) => frame.id === id)
      .then(
        (frame) => ({ frame }),
        async () => ({ close: await client.closed }),
      );
    if ("frame" in outcome) {
      expect(outcome.frame.ok).toBe(false);
      expect(outcome.frame.error?.details?.code).toBe("PAYLOAD_TOO_LARGE");
    } else {
      expect(outcome.close.code).toBe(1009);
    }
  });
});

describe("malformed input after auth keeps the connection usable", () => {
  it("answers malformed JSON with INVALID_REQUEST / INVALID_JSON", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const since = client.frames.length;
    client.sendRaw('{"type":"req","id":"broken",');
    const error = await client.waitFor((frame) => frame.type === "res" && frame.ok === false, { since });
    expect(error.error?.code).toBe("INVALID_REQUEST");
    expect(error.error?.details?.code).toBe("INVALID_JSON");
    expect((await client.request("health", {})).ok).toBe(true);
  });

  it("answers wrong-typed params with INVALID_PARAMS and the issues", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const error = await client.callError("sessions.preview", { keys: "x" });
    expect(error.code).toBe("INVALID_REQUEST");
    expect(error.details?.code).toBe("INVALID_PARAMS");
    const issues = error.details?.issues as { path: string; message: string }[];
    expect(issues.some((issue) => issue.path === "keys")).toBe(true);
    expect((await client.request("sessions.list", {})).ok).toBe(true);
  });

  it("answers an unknown method with UNKNOWN_METHOD", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const error = await client.callError("no.such.method", {});
    expect(error.code).toBe("INVALID_REQUEST");
    expect(error.details?.code).toBe("UNKNOWN_METHOD");
    expect((await client.request("status", {})).ok).toBe(true);
  });

  it("answers a binary frame with INVALID_FRAME", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const since = client.frames.length;
    client.sendRaw(Buffer.from(JSON.stringify({ type: "req", id: "bin", method: "health" })));
    const error = await client.waitFor((frame) => frame.type === "res", { since });
    expect(error.ok).toBe(false);
    expect(error.error?.details?.code).toBe("INVALID_FRAME");
    expect((await client.request("health", {})).ok).toBe(true);
  });

  it("answers a frame of an unexpected type with INVALID_FRAME, correlated by id", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    client.send({ type: "event", id: "odd", event: "tick" });
    const error = await client.waitFor((frame) => frame.id === "odd");
    expect(error.error?.details?.code).toBe("INVALID_FRAME");
    expect((await client.request("health", {})).ok).toBe(true);
  });
});

describe("slow consumers", () => {
  const RESPONSE_BYTES = 16 * KIB;

  /** Fills the gateway log so each logs.tail answer is about RESPONSE_BYTES, below maxBufferedBytes. */
  async function fillLog(gateway: TestGateway): Promise<void> {
    const line = `${JSON.stringify({ level: "info", msg: "filler", pad: "p".repeat(180) })}\n`;
    await mkdir(dirname(gateway.server.logFile), { recursive: true });
    await appendFile(gateway.server.logFile, line.repeat(Math.ceil((4 * RESPONSE_BYTES) / line.length)));
  }

  function floodLogsTail(client: RawClient, count: number): void {
    for (let index = 0; index < count; index += 1) {
      client.send({
        type: "req",
        id: `flood-${index}`,
        method: "logs.tail",
        params: { maxBytes: RESPONSE_BYTES },
      });
    }
  }

  it("keeps a client that reads, even with many large answers in flight", async () => {
    const gateway = await env.start({ maxBufferedBytes: 64 * KIB });
    await fillLog(gateway);
    const { client } = await env.connect(gateway);
    floodLogsTail(client, 200);
    // Answers may arrive out of order: wait for every one of them.
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        client.waitFor((frame) => frame.id === `flood-${index}`, { timeoutMs: 15_000 }),
      ),
    );
    expect(answers.filter((frame) => frame.ok !== true)).toEqual([]);
    expect(client.isOpen).toBe(true);
  });

  it("drops a client that stops reading once maxBufferedBytes is exceeded, and keeps serving others", async () => {
    const gateway = await env.start({ maxBufferedBytes: 64 * KIB });
    await fillLog(gateway);
    const { client: observer } = await env.connect(gateway, { instanceId: "observer" });
    const { client: slow } = await env.connect(gateway, { instanceId: "slow-reader" });
    const gone = observer.waitFor(
      (frame) => {
        if (frame.event !== "presence") return false;
        const entries = (frame.payload as { presence?: { instanceId?: string }[] }).presence ?? [];
        return !entries.some((entry) => entry.instanceId === "slow-reader");
      },
      { since: observer.frames.length, timeoutMs: 20_000, what: "presence without the slow reader" },
    );

    slow.ws.pause();
    // Up to ~48 MiB of answers: far more than the loopback socket buffers can absorb.
    floodLogsTail(slow, 3_000);
    await gone;

    slow.ws.resume();
    const close = await slow.waitForClose(10_000);
    expect(close.code).not.toBe(1000);
    expect(slow.frames.some((frame) => frame.id === "flood-2999")).toBe(false);

    expect((await observer.request("health", {})).ok).toBe(true);
    const { hello } = await env.connect(gateway);
    expect(hello.type).toBe("hello-ok");
  });
});
