import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type Server as TlsServer } from "node:https";
import { GATEWAY_EVENTS } from "@openclaw/protocol";
import type { WebSocketServer } from "ws";
import { handleHttpRequest } from "../http/http-routes.js";
import type { GatewayRuntimeHandle } from "../runtime/create-gateway-runtime.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodRegistry } from "../runtime/method-registry.js";
import type { ConnectionPolicy } from "./connection-policy.js";
import type { GatewayConnection } from "./gateway-connection.js";
import type { PreAuthLimits } from "./preauth-admission.js";
import { attachWebSocketUpgrade } from "./websocket-upgrade.js";

/**
 * Presence lists the clients a person would call "around": apps, UIs, nodes, backends. One-shot CLI calls, probes
 * and test clients come and go in milliseconds and are left out, as in OpenClaw.
 */
function isPresenceClient(mode: string | undefined): boolean {
  return mode !== "cli" && mode !== "probe" && mode !== "test";
}

export interface HttpTransport {
  httpServer: Server | TlsServer;
  wss: WebSocketServer;
}

/** HTTP(S) and WebSocket on one server: HTTP requests go to the routes, upgrades become gateway connections. */
export function createHttpTransport(o: {
  handle: GatewayRuntimeHandle;
  methods: MethodRegistry;
  policy: ConnectionPolicy;
  connections: Set<GatewayConnection>;
  preAuth: PreAuthLimits;
  tls: { cert: Buffer; key: Buffer } | undefined;
  maxConnections: number;
}): HttpTransport {
  const { runtime } = o.handle;
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    void handleHttpRequest(request, response, runtime);
  };
  // Slow senders are cut off within seconds: headers must arrive in 5 s, a whole request in 30 s, checked every
  // second (Node's defaults are 60 s, 300 s and a 30 s check, which let slowloris sockets live for minutes).
  const serverOptions = { headersTimeout: 5_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 };
  const httpServer: Server | TlsServer = o.tls
    ? createTlsServer({ ...o.tls, ...serverOptions }, onRequest)
    : createServer(serverOptions, onRequest);
  httpServer.keepAliveTimeout = 5_000;
  httpServer.maxConnections = o.maxConnections;
  const wss = attachWebSocketUpgrade(httpServer, {
    runtime,
    methods: o.methods,
    policy: o.policy,
    events: [...GATEWAY_EVENTS],
    connections: o.connections,
    preAuth: o.preAuth,
    onAuthenticated(conn) {
      if (!isPresenceClient(conn.client?.mode)) return;
      runtime.presence.upsert(conn.connId, {
        host: conn.client?.displayName ?? conn.client?.id,
        ip: conn.clientAddress,
        version: conn.client?.version,
        platform: conn.client?.platform,
        mode: conn.client?.mode,
        instanceId: conn.client?.instanceId,
        reason: "connect",
        ts: Date.now(),
        onlineSince: conn.connectedAt,
        roles: [conn.role],
        scopes: [...conn.scopes],
      });
    },
    onReady(conn) {
      if (conn.node) attachNode(runtime, conn);
      if (isPresenceClient(conn.client?.mode)) o.handle.schedulePresenceBroadcast();
    },
    onClosed(conn) {
      runtime.devices.detach(conn.connId);
      runtime.nodes.detach(conn.connId);
      runtime.sessionEvents.dropConnection(conn.connId);
      runtime.sessionMessages.dropConnection(conn.connId);
      if (runtime.presence.remove(conn.connId)) o.handle.schedulePresenceBroadcast();
    },
  });
  return { httpServer, wss };
}

/** A node is invokable once `hello-ok` went out, so the first `node.invoke.request` follows it. */
function attachNode(runtime: GatewayRuntime, conn: GatewayConnection): void {
  const node = conn.node;
  if (!node) return;
  const label = runtime.devices.nodeLabel(node.nodeId);
  const displayName = label ?? conn.client?.displayName;
  runtime.nodes.attach({
    ...node,
    connId: conn.connId,
    ...(displayName ? { displayName } : {}),
    ...(conn.client ? { platform: conn.client.platform, version: conn.client.version } : {}),
    ...(conn.client ? { clientId: conn.client.id, clientMode: conn.client.mode } : {}),
    remoteIp: conn.clientAddress,
    close: (reason) => conn.close(1008, reason),
  });
}

/** Resolves once every connection is gone or `timeoutMs` passed, whichever comes first. */
export async function waitForDrain(connections: Set<GatewayConnection>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (connections.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
