import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { DEFAULT_WAIT_TIMEOUT_MS } from "../wait-timeout.js";

export interface RawUpgradeOptions {
  host?: string;
  port: number;
  path?: string;
  /** Extra or replacement request headers (e.g. a forged `Host` and `Origin`). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface RawUpgrade {
  socket: Socket;
  /** The HTTP status of the upgrade answer: 101 when accepted. */
  status: number;
  /** The answer's head (status line and headers) and, when refused, its body as far as it arrived. */
  response: string;
}

/**
 * Opens a WebSocket by hand over a plain TCP socket, so an attack can send exactly the bytes it wants: a frame header
 * that promises 24 MiB, half a frame, a frame never finished. No WebSocket library stands in between.
 */
export function openRawUpgrade(options: RawUpgradeOptions): Promise<RawUpgrade> {
  const host = options.host ?? "127.0.0.1";
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: options.port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no upgrade answer from ${host}:${options.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (status: number) => {
      clearTimeout(timer);
      socket.off("data", onData);
      resolve({ socket, status, response: received.toString("latin1") });
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\r\n\r\n");
      if (end === -1) return;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received.toString("latin1"))?.[1] ?? 0);
      if (status === 101) {
        // Frames that came with the answer (the challenge) go back to the socket, paused, for the caller to read.
        const rest = received.subarray(end + 4);
        received = received.subarray(0, end + 4);
        finish(status);
        socket.pause();
        if (rest.length > 0) socket.unshift(rest);
      } else {
        socket.once("close", () => finish(status));
        socket.once("end", () => finish(status));
      }
    };
    socket.on("data", onData);
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once("connect", () => {
      const headers: Record<string, string> = {
        Host: `${host}:${options.port}`,
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        "Sec-WebSocket-Version": "13",
        ...options.headers,
      };
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
      socket.write(`GET ${options.path ?? "/"} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`);
    });
  });
}

/** The header of one masked client frame (FIN set) announcing `payloadLength` bytes; the 4-byte mask is zero. */
export function clientFrameHeader(payloadLength: number, opcode = 0x1): Buffer {
  const mask = Buffer.alloc(4);
  if (payloadLength < 126) return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payloadLength]), mask]);
  if (payloadLength < 65_536) {
    const header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(0x80 | 126, 1);
    header.writeUInt16BE(payloadLength, 2);
    return Buffer.concat([header, mask]);
  }
  const header = Buffer.alloc(10);
  header.writeUInt8(0x80 | opcode, 0);
  header.writeUInt8(0x80 | 127, 1);
  header.writeBigUInt64BE(BigInt(payloadLength), 2);
  return Buffer.concat([header, mask]);
}

/** A complete masked client frame (with a zero mask the payload goes out as is). */
export function clientFrame(payload: string | Buffer, opcode?: number): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  return Buffer.concat([
    clientFrameHeader(body.length, opcode ?? (typeof payload === "string" ? 0x1 : 0x2)),
    body,
  ]);
}

/** Resolves when the peer closes or drops the socket, with how long that took; rejects after `timeoutMs`. */
export function waitForSocketEnd(socket: Socket, timeoutMs: number): Promise<number> {
  const started = Date.now();
  if (socket.destroyed || socket.readableEnded) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    };
    socket.once("close", done);
    socket.once("end", done);
    // Keep reading so the peer's close frame and FIN are seen.
    socket.resume();
  });
}
