// The one load-generator client used against both gateways, so both answer exactly the same frames.
import WebSocket from "ws";

const handshakeTimeoutMs = 10_000;

/** A failed `connect` carrying the gateway's own verdict, so a caller can tell "still starting" from "refused". */
export class ConnectRejectedError extends Error {
  constructor(error) {
    super(`connect rejected: ${error?.message ?? "no message"} (${error?.code ?? "no code"})`);
    this.code = "CONNECT_REJECTED";
    this.retryable = error?.retryable === true;
  }
}

/**
 * Opens a connection and completes the v4 handshake (shared token, no device identity: both gateways accept that
 * on loopback); resolves with a small request helper. Every pending request fails when the socket closes, so a
 * caller can bound a phase by terminating its sockets. `onEvent` sees every event frame after the challenge, from
 * the same parse the responses use, so listening costs no second JSON.parse per frame.
 */
export function connect(url, token, { onEvent } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const pending = new Map();
    let nextId = 0;
    const fail = (error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    // Without this a half-open socket during a gateway's boot would hang the start-up poll forever.
    const timer = setTimeout(
      () => fail(new Error(`no hello-ok within ${handshakeTimeoutMs} ms`)),
      handshakeTimeoutMs,
    );
    ws.on("error", (error) => fail(error));
    ws.on("close", () => {
      clearTimeout(timer);
      reject(new Error("connection closed before hello-ok"));
      for (const waiter of pending.values()) waiter.fail(new Error("connection closed"));
      pending.clear();
    });
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "event" && frame.event === "connect.challenge") {
        ws.send(
          JSON.stringify({
            type: "req",
            id: "connect",
            method: "connect",
            params: {
              minProtocol: 4,
              maxProtocol: 4,
              client: { id: "test", version: "bench", platform: process.platform, mode: "test" },
              auth: { token },
            },
          }),
        );
        return;
      }
      if (frame.type === "event") {
        onEvent?.(frame);
        return;
      }
      if (frame.type !== "res") return;
      if (frame.id === "connect") {
        if (!frame.ok) {
          fail(new ConnectRejectedError(frame.error));
          return;
        }
        clearTimeout(timer);
        resolve({
          ws,
          request(method, params) {
            const id = String(nextId++);
            return new Promise((done, failRequest) => {
              // ws drops a send on a closed socket silently; without this check the request would never settle.
              if (ws.readyState !== WebSocket.OPEN) {
                failRequest(new Error("connection closed"));
                return;
              }
              pending.set(id, { done, fail: failRequest });
              ws.send(JSON.stringify({ type: "req", id, method, params }));
            });
          },
          close: () => ws.close(),
        });
        return;
      }
      const waiter = pending.get(frame.id);
      pending.delete(frame.id);
      if (frame.ok) waiter?.done(frame.payload);
      else waiter?.fail(new Error(frame.error.message));
    });
  });
}
