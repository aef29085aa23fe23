import { readFile } from "node:fs/promises";
import { GatewayError } from "@openclaw/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket as WsWebSocket } from "ws";
import {
  CLIENT_EVENTS,
  GatewayClient,
  GatewayClientError,
  type GatewayClientOptions,
  type GatewayCloseInfo,
  type ReconnectedEvent,
  type ReconnectFailedEvent,
} from "./index.js";
import { FakeGateway } from "./test-support/fake-gateway.js";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startGateway(options: Parameters<typeof FakeGateway.start>[0] = {}): Promise<FakeGateway> {
  const gateway = await FakeGateway.start(options);
  cleanups.push(() => gateway.close());
  return gateway;
}

function createClient(options: GatewayClientOptions): GatewayClient {
  const client = new GatewayClient(options);
  cleanups.push(() => client.close());
  return client;
}

function nextEvent(client: GatewayClient, event: string): Promise<unknown> {
  return new Promise((resolve) => {
    const off = client.on(event, (payload) => {
      off();
      resolve(payload);
    });
  });
}

function nextClose(client: GatewayClient): Promise<GatewayCloseInfo> {
  return new Promise((resolve) => {
    const off = client.onClose((info) => {
      off();
      resolve(info);
    });
  });
}

describe("GatewayClient handshake", () => {
  it("answers the challenge with a v4 connect frame and resolves with hello-ok", async () => {
    const gateway = await startGateway({ token: "secret-token" });
    const client = createClient({
      url: gateway.url,
      token: "secret-token",
      scopes: ["operator.read", "operator.write"],
      client: { displayName: "test suite" },
    });

    const hello = await client.connect();

    const connection = await gateway.connection(0);
    const frame = await connection.connectFrame;
    const packageJson = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(frame).toEqual({
      type: "req",
      id: expect.any(String),
      method: "connect",
      params: {
        minProtocol: 4,
        maxProtocol: 4,
        client: {
          id: "gateway-client",
          displayName: "test suite",
          version: packageJson.version,
          platform: process.platform,
          mode: "backend",
        },
        role: "operator",
        scopes: ["operator.read", "operator.write"],
        auth: { token: "secret-token" },
      },
    });
    expect(connection.requestPath).toBe("/");
    expect(hello.server.connId).toBe("conn-1");
    expect(hello.auth.scopes).toEqual(["operator.read", "operator.write"]);
    expect(client.hello).toEqual(hello);
    expect(client.connected).toBe(true);
  });

  it("sends a password, and no auth at all when given no credential", async () => {
    const gateway = await startGateway();
    const withPassword = createClient({ url: gateway.url, password: "pw" });
    await withPassword.connect();
    const anonymous = createClient({ url: gateway.url });
    await anonymous.connect();

    const first = await (await gateway.connection(0)).connectFrame;
    const second = await (await gateway.connection(1)).connectFrame;
    expect((first.params as { auth?: unknown }).auth).toEqual({ password: "pw" });
    expect(second.params).not.toHaveProperty("auth");
    expect(second.params).not.toHaveProperty("scopes");
  });

  it("rejects with the server's GatewayError, details included, when the token is wrong", async () => {
    const gateway = await startGateway({ token: "right" });
    const client = createClient({ url: gateway.url, token: "wrong" });

    const error = await client.connect().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GatewayError);
    const gatewayError = error as GatewayError;
    expect(gatewayError.code).toBe("INVALID_REQUEST");
    expect(gatewayError.details).toEqual({ code: "AUTH_TOKEN_MISMATCH" });
    expect(gatewayError.detailCode).toBe("AUTH_TOKEN_MISMATCH");
    expect(client.connected).toBe(false);
    expect(client.hello).toBeUndefined();
  });

  it("times out when the server never sends connect.challenge", async () => {
    const gateway = await startGateway({ silent: true });
    const client = createClient({ url: gateway.url, connectTimeoutMs: 100 });

    await expect(client.connect()).rejects.toMatchObject({ name: "GatewayClientError", code: "TIMEOUT" });
    expect(client.connected).toBe(false);
  });

  it("fails with CONNECT_FAILED when nothing listens on the port", async () => {
    const gateway = await FakeGateway.start();
    const url = gateway.url;
    await gateway.close();
    const client = createClient({ url });

    await expect(client.connect()).rejects.toMatchObject({ code: "CONNECT_FAILED" });
  });

  it("refuses a URL that is not ws:// or wss://", () => {
    expect(() => new GatewayClient({ url: "http://127.0.0.1:18789" })).toThrow(GatewayClientError);
    expect(() => new GatewayClient({ url: "http://127.0.0.1:18789" })).toThrow(/ws:\/\/ or wss:\/\//);
  });

  it("works with an injected WebSocket class (the ws package)", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url, WebSocket: WsWebSocket });

    const hello = await client.connect();

    expect(hello.type).toBe("hello-ok");
  });
});

describe("GatewayClient requests", () => {
  it("correlates responses that arrive out of order", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url });
    await client.connect();
    const connection = await gateway.connection(0);

    const first = client.request("sessions.list", { limit: 1 });
    const second = client.request("custom.echo", { n: 2 });
    const firstFrame = await connection.nextRequest();
    const secondFrame = await connection.nextRequest();
    expect(firstFrame.id).not.toBe(secondFrame.id);
    expect(firstFrame).toMatchObject({ type: "req", method: "sessions.list", params: { limit: 1 } });
    expect(secondFrame).toMatchObject({ type: "req", method: "custom.echo", params: { n: 2 } });

    connection.respond(secondFrame.id, { answer: "second" });
    connection.respond(firstFrame.id, { answer: "first" });

    await expect(second).resolves.toEqual({ answer: "second" });
    await expect(first).resolves.toEqual({ answer: "first" });
  });

  it("omits params when none are given and rejects error responses with GatewayError", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url });
    await client.connect();
    const connection = await gateway.connection(0);

    const pending = client.request("health");
    const frame = await connection.nextRequest();
    expect(frame).not.toHaveProperty("params");
    connection.send({
      type: "res",
      id: frame.id,
      ok: false,
      error: {
        code: "FORBIDDEN",
        message: "missing scope: operator.admin",
        details: { code: "MISSING_SCOPE", missingScope: "operator.admin" },
      },
    });

    await expect(pending).rejects.toMatchObject({
      name: "GatewayError",
      code: "FORBIDDEN",
      details: { code: "MISSING_SCOPE", missingScope: "operator.admin" },
    });
  });

  it("rejects with TIMEOUT when no response arrives, and ignores the late answer", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url, requestTimeoutMs: 60_000 });
    await client.connect();
    const connection = await gateway.connection(0);

    const pending = client.request("health", undefined, { timeoutMs: 50 });
    const frame = await connection.nextRequest();

    await expect(pending).rejects.toMatchObject({ code: "TIMEOUT" });
    connection.respond(frame.id, { late: true });
    const next = client.request("custom.ping");
    const nextFrame = await connection.nextRequest();
    connection.respond(nextFrame.id, "pong");
    await expect(next).resolves.toBe("pong");
  });

  it("rejects with ABORTED when the signal aborts", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url });
    await client.connect();
    const controller = new AbortController();

    const pending = client.request("custom.slow", undefined, { signal: controller.signal });
    await (await gateway.connection(0)).nextRequest();
    controller.abort(new Error("user cancelled"));

    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
    await expect(
      client.request("custom.slow", undefined, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: "ABORTED",
    });
  });

  it("rejects with NOT_CONNECTED before connect()", async () => {
    const client = createClient({ url: "ws://127.0.0.1:9" });

    await expect(client.request("health")).rejects.toMatchObject({ code: "NOT_CONNECTED" });
  });

  it("rejects pending requests with CLOSED when close() is called", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url });
    await client.connect();
    const closes: GatewayCloseInfo[] = [];
    client.onClose((info) => closes.push(info));

    const pending = client.request("custom.never");
    const rejected = expect(pending).rejects.toMatchObject({ name: "GatewayClientError", code: "CLOSED" });
    await (await gateway.connection(0)).nextRequest();
    await client.close();

    await rejected;
    expect(client.connected).toBe(false);
    expect(closes).toEqual([{ code: 1000, reason: "client closed", willReconnect: false }]);
  });

  it("rejects pending requests with CLOSED when the server drops the socket", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url });
    await client.connect();
    const connection = await gateway.connection(0);

    const pending = client.request("custom.never");
    await connection.nextRequest();
    const closed = nextClose(client);
    connection.socket.close(1011, "boom");

    await expect(pending).rejects.toMatchObject({ code: "CLOSED" });
    await expect(closed).resolves.toEqual({ code: 1011, reason: "boom", willReconnect: false });
    expect(client.hello).toBeUndefined();
  });
});

describe("GatewayClient events", () => {
  it("delivers events to named and '*' listeners until unsubscribed", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url });
    await client.connect();
    const connection = await gateway.connection(0);
    const named: unknown[] = [];
    const all: string[] = [];
    const offNamed = client.on("presence", (payload) => named.push(payload));
    client.on("*", (_payload, frame) => all.push(frame.event));

    connection.event("presence", { n: 1 });
    connection.event("tick", { ts: 1 });
    await nextEvent(client, "tick");
    offNamed();
    connection.event("presence", { n: 2 });
    await nextEvent(client, "presence");

    expect(named).toEqual([{ n: 1 }]);
    expect(all).toEqual(["presence", "tick", "presence"]);
  });

  it("ignores malformed frames without crashing", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url });
    await client.connect();
    const connection = await gateway.connection(0);
    const seen: unknown[] = [];
    client.on("*", (payload) => seen.push(payload));

    connection.send("not json");
    connection.send({ type: "bogus" });
    connection.send({ type: "event", event: 42 });
    connection.send({ type: "res", id: 7, ok: "yes" });
    connection.send([1, 2, 3]);
    connection.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    connection.event("health", { ok: true });
    await nextEvent(client, "health");

    expect(seen).toEqual([{ ok: true }]);
    expect(client.connected).toBe(true);
  });
});

describe("GatewayClient reconnect", () => {
  it("reconnects with a fresh handshake after the server drops the socket", async () => {
    const gateway = await startGateway({ token: "t" });
    const client = createClient({
      url: gateway.url,
      token: "t",
      reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
    });
    const lifecycle: string[] = [];
    client.on("*", (_payload, frame) => lifecycle.push(frame.event));
    await client.connect();
    const closed = nextClose(client);
    const reconnected = nextEvent(client, CLIENT_EVENTS.reconnected);

    (await gateway.connection(0)).socket.close(1012, "restarting");

    await expect(closed).resolves.toEqual({ code: 1012, reason: "restarting", willReconnect: true });
    const event = (await reconnected) as ReconnectedEvent;
    expect(event.attempt).toBe(1);
    expect(event.hello.server.connId).toBe("conn-2");
    expect(client.hello?.server.connId).toBe("conn-2");
    expect(lifecycle).toEqual([CLIENT_EVENTS.reconnecting, CLIENT_EVENTS.reconnected]);
    const second = await gateway.connection(1);
    expect((await second.connectFrame).params).toMatchObject({ auth: { token: "t" } });

    const pending = client.request("custom.after");
    const frame = await second.nextRequest();
    second.respond(frame.id, "ok");
    await expect(pending).resolves.toBe("ok");
  });

  it("gives up when the server refuses the credential on reconnect", async () => {
    const gateway = await startGateway({ token: "t" });
    const client = createClient({ url: gateway.url, token: "t", reconnect: { initialDelayMs: 5 } });
    await client.connect();
    const failed = nextEvent(client, CLIENT_EVENTS.reconnectFailed);

    gateway.setToken("rotated");
    (await gateway.connection(0)).socket.close(1012, "restarting");

    const event = (await failed) as ReconnectFailedEvent;
    expect(event.attempts).toBe(1);
    expect(event.error).toBeInstanceOf(GatewayError);
    expect((event.error as GatewayError).detailCode).toBe("AUTH_TOKEN_MISMATCH");
    expect(client.connected).toBe(false);
  });

  it("stops after maxAttempts when the gateway stays down", async () => {
    const gateway = await FakeGateway.start();
    const client = createClient({ url: gateway.url, reconnect: { initialDelayMs: 5, maxAttempts: 2 } });
    await client.connect();
    const attempts: number[] = [];
    client.on(CLIENT_EVENTS.reconnecting, (payload) =>
      attempts.push((payload as { attempt: number }).attempt),
    );
    const failed = nextEvent(client, CLIENT_EVENTS.reconnectFailed);

    await gateway.close();

    const event = (await failed) as ReconnectFailedEvent;
    expect(event.attempts).toBe(2);
    expect(event.error).toMatchObject({ code: "CONNECT_FAILED" });
    expect(attempts).toEqual([1, 2]);
  });

  it("treats a link with no frame for two tick intervals as dead", async () => {
    const gateway = await startGateway({ tickIntervalMs: 20 });
    const client = createClient({ url: gateway.url });
    await client.connect();

    await expect(nextClose(client)).resolves.toEqual({
      code: 4000,
      reason: "tick timeout",
      willReconnect: false,
    });
    expect(client.connected).toBe(false);
  });
});

describe("GatewayClient types", () => {
  it("types known methods by their contract and leaves others untyped", async () => {
    const gateway = await startGateway();
    const client = createClient({ url: gateway.url });
    await client.connect();
    const connection = await gateway.connection(0);

    const typed = client.request("sessions.resolve", { key: "agent:main:main" });
    // @ts-expect-error `limit` must be a number for sessions.list
    const wrong = client.request("sessions.list", { limit: "ten" });
    for (let index = 0; index < 2; index += 1) {
      const frame = await connection.nextRequest();
      connection.respond(frame.id, { ok: true, key: "agent:main:main" });
    }
    const result = await typed;
    await wrong;

    expect(result.ok ? result.key : undefined).toBe("agent:main:main");
  });
});
