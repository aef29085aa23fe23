import { hostname } from "node:os";
import { GatewayClient, GatewayClientError, type WebSocketConstructor } from "@openclaw/client";
import {
  GatewayError,
  NODE_INVOKE_PROGRESS_CHUNK_CHARS,
  type NodeInvokeCancelEvent,
  NodeInvokeCancelEventSchema,
  type NodeInvokeRequestEvent,
  NodeInvokeRequestEventSchema,
} from "@openclaw/protocol";
import { type CommandHandler, createCommandTable } from "./command-table.js";
import type { Notification } from "./commands/system-notify.js";
import { DeviceTokenFile, loadOrCreateDeviceKey } from "./device-key.js";

export interface NodeHostOptions {
  /** The gateway's WebSocket URL, e.g. `ws://127.0.0.1:18789`. */
  url: string;
  /** The gateway's shared token: needed to pair (and again if the device token is revoked). */
  token?: string;
  password?: string;
  /** Where the node keeps its key and device token (`<stateDir>/node/`). */
  stateDir: string;
  /** Shown to operators; default the host name. */
  displayName?: string;
  /** How often to try again while the node waits for approval. Default 3000 ms. */
  pairingRetryMs?: number;
  /** A notification arrived (`system.notify`); default: one line on the log. */
  onNotify?(notification: Notification): void;
  /** Log lines (pairing state, invokes); default stderr. */
  log?(line: string): void;
  /** Extra commands (tests, embedders); the built-in `system.*` commands cannot be replaced. */
  commands?: Record<string, CommandHandler>;
  WebSocket?: WebSocketConstructor;
}

export interface NodeHost {
  readonly deviceId: string;
  /** Resolves once the gateway admitted the node (after an operator approved it, on first run). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const PAIRING_REQUIRED = "PAIRING_REQUIRED";
const DEVICE_TOKEN_MISMATCH = "AUTH_DEVICE_TOKEN_MISMATCH";

function detailCode(error: unknown): string | undefined {
  if (error instanceof GatewayError) return error.detailCode;
  const details = (error as { details?: { code?: unknown } }).details;
  return typeof details?.code === "string" ? details.code : undefined;
}

/**
 * A headless node: connects as role `node` with its device identity, waits for an operator's approval on first
 * run, then serves `node.invoke.request` events for its commands until closed. Reconnects when the link drops.
 */
export function startNodeHost(options: NodeHostOptions): NodeHost {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const key = loadOrCreateDeviceKey(options.stateDir);
  const tokenFile = new DeviceTokenFile(options.stateDir);
  const running = new Map<string, AbortController>();
  const table = createCommandTable({
    notify: options.onNotify ?? ((n) => log(`notification: ${n.title}${n.body ? ` - ${n.body}` : ""}`)),
    ...(options.commands ? { extra: options.commands } : {}),
  });
  let closed = false;
  let client: GatewayClient | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  // The device token, once issued, is the node's only credential (the shared one is kept for pairing again): a
  // rotated or revoked token is then refused outright rather than papered over.
  const newClient = (deviceToken = tokenFile.get()) =>
    new GatewayClient({
      url: options.url,
      ...(deviceToken === undefined && options.token !== undefined ? { token: options.token } : {}),
      ...(deviceToken === undefined && options.password !== undefined ? { password: options.password } : {}),
      role: "node",
      client: {
        id: "node-host",
        mode: "node",
        displayName: options.displayName ?? hostname(),
        instanceId: key.deviceId,
      },
      caps: ["system"],
      commands: table.names(),
      device: key,
      deviceToken: () => deviceToken,
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    });

  const answer = (
    request: NodeInvokeRequestEvent,
    result: { ok: true; payloadJSON: string } | { ok: false; error: { code: string; message: string } },
  ) =>
    client
      ?.request("node.invoke.result", { id: request.id, nodeId: request.nodeId, ...result })
      .catch((error: unknown) => log(`could not answer invoke ${request.id}: ${(error as Error).message}`));

  const onInvoke = async (payload: unknown) => {
    const parsed = NodeInvokeRequestEventSchema.safeParse(payload);
    if (!parsed.success) return;
    const request = parsed.data;
    const abort = new AbortController();
    running.set(request.id, abort);
    let seq = 0;
    const progress = (text: string) => {
      for (let at = 0; at < text.length; at += NODE_INVOKE_PROGRESS_CHUNK_CHARS) {
        const chunk = text.slice(at, at + NODE_INVOKE_PROGRESS_CHUNK_CHARS);
        void client
          ?.request("node.invoke.progress", {
            invokeId: request.id,
            nodeId: request.nodeId,
            seq: seq++,
            chunk,
          })
          .catch(() => undefined);
      }
    };
    try {
      const params: unknown = request.paramsJSON === null ? {} : JSON.parse(request.paramsJSON);
      const payloadOut = await table.run(request.command, params, { signal: abort.signal, progress });
      await answer(request, { ok: true, payloadJSON: JSON.stringify(payloadOut) });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      await answer(request, {
        ok: false,
        error: {
          code: typeof code === "string" && /^[A-Z_]+$/.test(code) ? code : "COMMAND_FAILED",
          message: (error as Error).message || "command failed",
        },
      });
    } finally {
      running.delete(request.id);
    }
  };

  const onCancel = (payload: unknown) => {
    const parsed = NodeInvokeCancelEventSchema.safeParse(payload);
    if (!parsed.success) return;
    const cancel: NodeInvokeCancelEvent = parsed.data;
    running.get(cancel.invokeId)?.abort();
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    client = newClient();
    client.on("node.invoke.request", (payload) => void onInvoke(payload));
    client.on("node.invoke.cancel", onCancel);
    const current = client;
    // Reconnects itself (not the client's own reconnect), so a refused device token is dropped before the retry.
    current.onClose((info) => {
      if (closed || client !== current) return;
      client = undefined;
      for (const abort of running.values()) abort.abort();
      log(`link to the gateway closed (${info.code} ${info.reason}); reconnecting`);
      retryTimer = setTimeout(() => void connect().catch(() => undefined), 500);
    });
    try {
      const hello = await client.connect();
      if (hello.auth.deviceToken) tokenFile.set(hello.auth.deviceToken);
      log(`node ${key.deviceId} connected to ${options.url}`);
      markReady();
    } catch (error) {
      client = undefined;
      await current.close().catch(() => undefined);
      const code = detailCode(error);
      if (code === DEVICE_TOKEN_MISMATCH && tokenFile.get()) {
        // Rotated or revoked: forget it; the shared token pairs again (or is refused, which the next try logs).
        tokenFile.clear();
        log(
          "the gateway refused this node's device token (rotated or revoked); connecting with the gateway token",
        );
      } else if (code === PAIRING_REQUIRED) {
        const requestId = (error as { details?: { requestId?: string } }).details?.requestId;
        log(
          `waiting for approval: run "openclaw nodes approve ${requestId}" (or device.pair.approve) on the gateway`,
        );
      } else {
        log(`cannot connect to ${options.url}: ${(error as Error).message}`);
        if (error instanceof GatewayClientError && error.code === "PROTOCOL") throw error;
      }
      if (closed) return;
      retryTimer = setTimeout(() => void connect().catch(() => undefined), options.pairingRetryMs ?? 3_000);
    }
  };
  void connect().catch((error: unknown) => log(`node host stopped: ${(error as Error).message}`));

  return {
    deviceId: key.deviceId,
    ready,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      for (const abort of running.values()) abort.abort();
      await client?.close();
    },
  };
}
