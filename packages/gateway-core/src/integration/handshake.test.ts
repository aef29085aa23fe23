import { GATEWAY_EVENTS, METHOD_CONTRACTS } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import {
  callChecked,
  connectParams,
  expectConnectRefused,
  openSocket,
  useIntegrationEnv,
  type WireFrame,
} from "./harness.js";

const env = useIntegrationEnv();

function payloadOf(frame: WireFrame): Record<string, unknown> {
  expect(frame.payload, `frame has an object payload: ${JSON.stringify(frame)}`).toBeTypeOf("object");
  return frame.payload as Record<string, unknown>;
}

describe("handshake", () => {
  it("speaks first with connect.challenge { nonce, ts }, a fresh nonce per connection", async () => {
    const gateway = await env.start();
    const before = Date.now();
    const first = await env.open(gateway.server.url);
    const second = await env.open(gateway.server.url);
    const challenge = await first.waitForEvent("connect.challenge");
    const other = await second.waitForEvent("connect.challenge");

    expect(first.frames[0]).toBe(challenge);
    const payload = payloadOf(challenge);
    expect(payload.nonce).toEqual(expect.any(String));
    expect(payload.ts).toBeGreaterThanOrEqual(before - 1);
    expect(payload.ts).toBeLessThanOrEqual(Date.now());
    expect(payloadOf(other).nonce).not.toBe(payload.nonce);
  });

  it("answers connect with hello-ok listing exactly the served methods and events", async () => {
    const gateway = await env.start({
      tickIntervalMs: 1_000,
      maxPayload: 512 * 1024,
      maxBufferedBytes: 1024 * 1024,
    });
    const { client, hello } = await env.connect(gateway);

    expect(hello.type).toBe("hello-ok");
    expect(hello.protocol).toBe(4);
    expect([...hello.features.methods].sort()).toEqual(Object.keys(METHOD_CONTRACTS).sort());
    expect([...hello.features.events].sort()).toEqual([...GATEWAY_EVENTS].sort());
    expect(hello.auth.role).toBe("operator");
    // Attachments travel as base64 in one frame: what fits after 256 KiB of room for the rest, decoded.
    const attachmentRoom = ((512 - 256) * 1024 * 3) / 4;
    expect(hello.policy).toEqual({
      maxPayload: 512 * 1024,
      maxBufferedBytes: 1024 * 1024,
      tickIntervalMs: 1_000,
      attachments: { maxBytes: attachmentRoom, maxImageBytes: attachmentRoom },
    });
    expect(hello.snapshot.stateDir).toBe(gateway.stateDir);

    // Every advertised method is really served: none of them may come back as UNKNOWN_METHOD.
    for (const method of hello.features.methods) {
      const response = await client.request(method, { __probe: true });
      expect(response.error?.details?.code, `${method} is advertised but unknown`).not.toBe("UNKNOWN_METHOD");
    }
  });

  it.each([
    [5, 6],
    [1, 3],
  ])("refuses protocol range %i..%i with PROTOCOL_MISMATCH and closes", async (minProtocol, maxProtocol) => {
    const gateway = await env.start();
    const { error, close } = await expectConnectRefused(env, gateway.server.url, {
      token: gateway.token,
      minProtocol,
      maxProtocol,
    });
    expect(error.details?.code).toBe("PROTOCOL_MISMATCH");
    expect(close.code).not.toBe(1000);
  });

  it("refuses connect params without client info with INVALID_PARAMS and closes", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    const response = await client.request("connect", {
      minProtocol: 4,
      maxProtocol: 4,
      auth: { token: gateway.token },
    });
    expect(response.ok).toBe(false);
    expect(response.error?.details?.code).toBe("INVALID_PARAMS");
    await client.waitForClose();
  });

  it("refuses a role this gateway does not serve", async () => {
    const gateway = await env.start();
    const { error } = await expectConnectRefused(env, gateway.server.url, {
      token: gateway.token,
      role: "worker",
    });
    expect(["FORBIDDEN", "INVALID_REQUEST"]).toContain(error.code);
  });

  it("refuses a binary frame before connect and closes", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    client.sendRaw(Buffer.from(JSON.stringify({ type: "req", id: "b", method: "connect", params: {} })));
    const reply = await client.waitFor((frame) => frame.type === "res");
    expect(reply.ok).toBe(false);
    expect(reply.error?.details?.code).toBe("INVALID_FRAME");
    await client.waitForClose();
  });

  it("refuses a request sent before connect and closes the socket", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    const response = await client.request("health", {});
    expect(response.ok).toBe(false);
    expect(response.error?.details?.code).toBe("AUTH_REQUIRED");
    await client.waitForClose();
  });

  it("closes a socket that does not connect within the handshake timeout, but not an authenticated one", async () => {
    const timeoutMs = 1_000;
    const gateway = await env.start({ handshakeTimeoutMs: timeoutMs });
    // The authenticated socket opens first, so its handshake timer would fire before the idle one's.
    const { client } = await env.connect(gateway);
    const idle = await env.open(gateway.server.url);
    const opened = Date.now();

    const close = await idle.waitForClose(timeoutMs + 29_000);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(close.code).not.toBe(1000);

    expect(client.isOpen).toBe(true);
    const health = await client.request("health", {});
    expect(health.ok).toBe(true);
  });

  it("sends tick events every tickIntervalMs after hello", async () => {
    const gateway = await env.start({ tickIntervalMs: 50 });
    const { client, hello } = await env.connect(gateway);
    expect(hello.policy.tickIntervalMs).toBe(50);

    const first = await client.waitForEvent("tick");
    const second = await client.waitForEvent("tick", { since: client.frames.indexOf(first) + 1 });
    expect(payloadOf(second).ts).toBeGreaterThanOrEqual(payloadOf(first).ts as number);
  });

  it("sends no ticks before the client has authenticated", async () => {
    const gateway = await env.start({ tickIntervalMs: 30 });
    const waiting = await env.open(gateway.server.url);
    const { client } = await env.connect(gateway);
    await client.waitForEvent("tick");
    await client.waitForEvent("tick", { since: client.frames.length });
    expect(waiting.frames.map((frame) => frame.event)).toEqual(["connect.challenge"]);
  });

  it("numbers broadcast events on a socket in order, without gaps", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway, { instanceId: "watcher" });
    const since = client.frames.length;
    for (let visit = 0; visit < 3; visit += 1) {
      const instanceId = `visitor-${visit}`;
      const { client: visitor } = await env.connect(gateway, { instanceId });
      const from = client.frames.length;
      visitor.close();
      await client.waitFor(
        (frame) =>
          frame.event === "presence" &&
          !((frame.payload as { presence?: { instanceId?: string }[] }).presence ?? []).some(
            (entry) => entry.instanceId === instanceId,
          ),
        { since: from, what: `presence without ${instanceId}` },
      );
    }
    const events = client.frames.slice(since).filter((frame) => frame.type === "event");
    // Connect-and-leave bursts are coalesced into one presence snapshot, so at least one per visit.
    expect(events.filter((frame) => frame.event === "presence").length).toBeGreaterThanOrEqual(3);
    const seqs = events.map((frame) => frame.seq);
    for (const [index, seq] of seqs.entries()) {
      expect(Number.isInteger(seq)).toBe(true);
      if (index > 0) expect(seq).toBe((seqs[index - 1] ?? 0) + 1);
    }
  });

  it("leaves one-shot CLI, probe and test clients out of presence", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway, { instanceId: "ui", mode: "ui" });
    await env.connect(gateway, { instanceId: "one-shot", clientId: "cli", mode: "cli" });
    await env.connect(gateway, { instanceId: "probe", clientId: "openclaw-probe", mode: "probe" });
    const presence = await callChecked(client, "system-presence", {});
    expect(presence.map((entry) => entry.instanceId)).toEqual(["ui"]);
  });

  it("on graceful close sends shutdown (reason, restartExpectedMs) and then closes", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);

    await gateway.server.close({ reason: "maintenance", restartExpectedMs: 5_000 });
    const close = await client.waitForClose();
    const shutdown = await client.waitForEvent("shutdown");
    expect(shutdown.payload).toEqual({ reason: "maintenance", restartExpectedMs: 5_000 });
    expect(client.frames.at(-1)).toBe(shutdown);
    expect(close.code).toBe(1012);

    await expect(openSocket(gateway.server.url)).rejects.toThrow();
  });

  it("refuses a second connect on an authenticated connection without dropping it", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const again = await client.request("connect", connectParams({ token: gateway.token }));
    expect(again.ok).toBe(false);
    expect(again.error?.details?.code).toBe("ALREADY_CONNECTED");
    expect((await client.request("health", {})).ok).toBe(true);
  });
});

describe("simplified (quickstart) frames", () => {
  it("auth then sessions.list end to end, answered without ids", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");

    client.send({ method: "auth", params: { token: gateway.token } });
    const authReply = await client.waitFor((frame) => frame.type === "res", { what: "auth reply" });
    expect(authReply.ok, JSON.stringify(authReply.error)).toBe(true);
    expect("id" in authReply).toBe(false);

    const since = client.frames.length;
    client.send({ method: "sessions.list", params: { includeGlobal: true } });
    const listReply = await client.waitFor((frame) => frame.type === "res", {
      since,
      what: "sessions.list reply",
    });
    expect(listReply.ok, JSON.stringify(listReply.error)).toBe(true);
    expect("id" in listReply).toBe(false);
    expect(Array.isArray(payloadOf(listReply).sessions)).toBe(true);
  });

  it("answers a simplified frame that carries an id with that id", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    client.send({ id: "quick-auth", method: "auth", params: { token: gateway.token } });
    const authReply = await client.waitFor((frame) => frame.id === "quick-auth");
    expect(authReply.ok).toBe(true);
    client.send({ id: "quick-health", method: "health" });
    const health = await client.waitFor((frame) => frame.id === "quick-health");
    expect(health).toMatchObject({ type: "res", ok: true });
  });

  it("refuses simplified auth with a wrong token and closes", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    client.send({ method: "auth", params: { token: "not-the-token" } });
    const reply = await client.waitFor((frame) => frame.type === "res");
    expect(reply.ok).toBe(false);
    expect(reply.error?.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    await client.waitForClose();
  });
});
