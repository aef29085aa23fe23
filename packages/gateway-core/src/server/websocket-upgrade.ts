import type { IncomingMessage, Server } from "node:http";
import type { Server as TlsServer } from "node:https";
import type { Socket } from "node:net";
import { PRE_AUTH_MAX_PAYLOAD } from "@openclaw/protocol";
import { WebSocketServer } from "ws";
import { checkBrowserRequest } from "../auth/host-policy.js";
import { isFromTrustedProxy, resolveClientAddress } from "../http/client-address.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodRegistry } from "../runtime/method-registry.js";
import type { ConnectionPolicy } from "./connection-policy.js";
import { GatewayConnection } from "./gateway-connection.js";
import {
  meterPreAuthBytes,
  PreAuthAdmission,
  type PreAuthLimits,
  refuseUpgrade,
} from "./preauth-admission.js";

export interface WebSocketUpgradeDeps {
  runtime: GatewayRuntime;
  methods: MethodRegistry;
  policy: ConnectionPolicy;
  events: readonly string[];
  /** Every live connection; a connection is added on upgrade and removed when it closes. */
  connections: Set<GatewayConnection>;
  preAuth: PreAuthLimits;
  onAuthenticated(connection: GatewayConnection): void;
  onReady(connection: GatewayConnection): void;
  onClosed(connection: GatewayConnection): void;
}

/**
 * Turns HTTP upgrades into gateway connections. Before `ws` sees a request it must come under one of the
 * gateway's names from an allowed origin (DNS rebinding) and fit the unauthenticated-socket budget; an admitted
 * socket starts with the 64 KiB pre-auth frame limit and is metered until it authenticates.
 */
export function attachWebSocketUpgrade(
  httpServer: Server | TlsServer,
  deps: WebSocketUpgradeDeps,
): WebSocketServer {
  const { runtime, preAuth } = deps;
  const logger = runtime.logger;
  // ws enforces this from the frame header, before it buffers the payload; GatewayConnection raises it after auth.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: Math.min(deps.policy.maxPayload, PRE_AUTH_MAX_PAYLOAD),
    perMessageDeflate: false,
  });
  const admission = new PreAuthAdmission(preAuth);

  httpServer.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const trustedProxies = runtime.configState.config.gateway.trustedProxies;
    const verdict = checkBrowserRequest(
      request.headers,
      runtime.hostPolicy(),
      isFromTrustedProxy(request, trustedProxies),
    );
    if (!verdict.ok) {
      logger.warn("refused WebSocket upgrade from a foreign host or origin", {
        host: request.headers.host,
        origin: request.headers.origin,
        address: socket.remoteAddress,
      });
      refuseUpgrade(socket, verdict.status, verdict.reason);
      return;
    }
    const clientAddress = resolveClientAddress(request, trustedProxies);
    const admitted = admission.admit(clientAddress);
    if (!admitted.admitted) {
      logger.warn("refused WebSocket upgrade: too many unauthenticated sockets", {
        address: clientAddress,
        pending: admission.pending,
      });
      refuseUpgrade(socket, 503, admitted.reason);
      return;
    }
    // Released if the upgrade itself fails; the connection releases it from here on.
    socket.once("close", admitted.release);
    wss.handleUpgrade(request, socket, head, (ws) => {
      const stopMetering = meterPreAuthBytes(socket, preAuth.maxBytes, () =>
        logger.warn("dropped an unauthenticated socket that sent too much before connect", {
          address: clientAddress,
        }),
      );
      const connection = new GatewayConnection(ws, clientAddress, {
        runtime,
        methods: deps.methods,
        policy: deps.policy,
        events: deps.events,
        onAuthenticated: deps.onAuthenticated,
        onReady: deps.onReady,
        onPreAuthEnd() {
          stopMetering();
          socket.off("close", admitted.release);
          admitted.release();
        },
        onClosed(conn) {
          deps.connections.delete(conn);
          deps.onClosed(conn);
        },
      });
      deps.connections.add(connection);
    });
  });
  return wss;
}
