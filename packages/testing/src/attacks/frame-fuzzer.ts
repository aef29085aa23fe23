import WebSocket from "ws";
import { DEFAULT_WAIT_TIMEOUT_MS } from "../wait-timeout.js";
import { type FuzzFrame, generateFuzzFrames } from "./fuzz-frames.js";

export interface FuzzRunOptions {
  /** The gateway's WebSocket URL. */
  url: string;
  token: string;
  count: number;
  seed?: number;
  /** Method name -> its param field names. */
  methods: Record<string, readonly string[]>;
  /** Connections sending in parallel (each reconnects when the gateway drops it). */
  connections?: number;
  /** Every this many frames, one goes out before any handshake on a fresh socket. */
  preAuthEvery?: number;
}

export interface FuzzRunReport {
  sent: number;
  replies: number;
  /** Largest error reply, in bytes: error replies must stay small whatever the input. */
  maxErrorReplyBytes: number;
  /** The first 300 characters of the largest error reply, to see what grew. */
  largestErrorPreview: string;
  /** Replies whose frame was not valid JSON or not a `res` (there must be none). */
  malformedReplies: number;
  /** Sockets the gateway closed (expected for pre-auth garbage; each is reopened). */
  closedSockets: number;
  /** Error codes seen, with counts. */
  errorCodes: Record<string, number>;
}

function connectFrame(token: string): string {
  return JSON.stringify({
    type: "req",
    id: "fuzz-connect",
    method: "connect",
    params: {
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: "gateway-client", version: "1.0.0", platform: process.platform, mode: "test" },
      role: "operator",
      auth: { token },
    },
  });
}

/** One socket, authenticated unless `preAuth`, that sends frames one at a time and waits for the answer or close. */
class FuzzSocket {
  readonly #ws: WebSocket;
  #waiting: ((outcome: "reply" | "closed") => void) | undefined;
  closed = false;

  private constructor(ws: WebSocket, report: FuzzRunReport) {
    this.#ws = ws;
    ws.on("message", (data: Buffer) => {
      report.replies += 1;
      try {
        const frame = JSON.parse(data.toString("utf8")) as {
          type?: string;
          ok?: boolean;
          error?: { code?: string; details?: { code?: string } };
        };
        if (frame.type === "event") return;
        if (frame.ok === false && data.length > report.maxErrorReplyBytes) {
          report.maxErrorReplyBytes = data.length;
          report.largestErrorPreview = data.toString("utf8", 0, 300);
        }
        if (frame.type !== "res") report.malformedReplies += 1;
        const code = frame.error?.details?.code ?? frame.error?.code;
        if (code) report.errorCodes[code] = (report.errorCodes[code] ?? 0) + 1;
      } catch {
        report.malformedReplies += 1;
      }
      this.#waiting?.("reply");
    });
    ws.on("close", () => {
      this.closed = true;
      report.closedSockets += 1;
      this.#waiting?.("closed");
    });
    ws.on("error", () => {});
  }

  static async open(url: string, token: string | undefined, report: FuzzRunReport): Promise<FuzzSocket> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const socket = new FuzzSocket(ws, report);
    if (token !== undefined) {
      const hello = new Promise<void>((resolve, reject) => {
        const onMessage = (data: Buffer) => {
          const frame = JSON.parse(data.toString("utf8")) as { id?: string; ok?: boolean };
          if (frame.id !== "fuzz-connect") return;
          ws.off("message", onMessage);
          if (frame.ok) resolve();
          else reject(new Error(`fuzz connect refused: ${data.toString("utf8").slice(0, 300)}`));
        };
        ws.on("message", onMessage);
      });
      ws.send(connectFrame(token));
      await hello;
    }
    return socket;
  }

  /** Sends one frame and waits for its answer (or the close it caused), at most `timeoutMs`. */
  send(frame: FuzzFrame, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<"reply" | "closed" | "timeout"> {
    if (this.closed) return Promise.resolve("closed");
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        resolve("timeout");
      }, timeoutMs);
      this.#waiting = (outcome) => {
        clearTimeout(timer);
        this.#waiting = undefined;
        resolve(outcome);
      };
      this.#ws.send(frame.data, { binary: frame.binary });
    });
  }

  close(): void {
    this.#ws.terminate();
  }
}

/**
 * Sends `count` hostile frames at a running gateway over real sockets (authenticated, plus some before any
 * handshake) and reports what came back. A frame that got neither an answer nor a close in 5 s counts as sent but
 * unanswered: the caller compares `replies` with `sent`.
 */
export async function runFrameFuzz(options: FuzzRunOptions): Promise<FuzzRunReport & { unanswered: number }> {
  const report: FuzzRunReport = {
    sent: 0,
    replies: 0,
    maxErrorReplyBytes: 0,
    largestErrorPreview: "",
    malformedReplies: 0,
    closedSockets: 0,
    errorCodes: {},
  };
  let unanswered = 0;
  const frames = generateFuzzFrames({
    count: options.count,
    seed: options.seed ?? 1,
    methods: options.methods,
  });
  const preAuthEvery = options.preAuthEvery ?? 50;
  let next = 0;
  const lane = async () => {
    let socket = await FuzzSocket.open(options.url, options.token, report);
    try {
      while (next < frames.length) {
        const index = next;
        next += 1;
        const frame = frames[index] as FuzzFrame;
        let target = socket;
        if (index % preAuthEvery === 0) target = await FuzzSocket.open(options.url, undefined, report);
        report.sent += 1;
        const outcome = await target.send(frame);
        if (outcome === "timeout") unanswered += 1;
        if (target !== socket) target.close();
        if (socket.closed) socket = await FuzzSocket.open(options.url, options.token, report);
      }
    } finally {
      socket.close();
    }
  };
  await Promise.all(Array.from({ length: options.connections ?? 4 }, lane));
  return { ...report, unanswered };
}
