import {
  AuthAliasParamsSchema,
  type ClientInfo,
  ConnectParamsSchema,
  describeZodIssues,
  ErrorDetailCodes,
  type ErrorShape,
  GatewayError,
  type HelloOk,
  type InboundRequest,
  PROTOCOL_VERSION,
} from "@openclaw/protocol";
import { buildMainSessionKey } from "@openclaw/sessions";
import { resolveAttachmentLimits } from "../chat/attachment-intake.js";
import { defaultAgentId } from "../config/configured-agents.js";
import type { DeviceAuthOutcome } from "../nodes/connect-device.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { ConnectionPolicy } from "./connection-policy.js";
import { GATEWAY_CAPABILITIES } from "./gateway-capabilities.js";

export type ConnectRequest = ReturnType<typeof parseConnect>;

/**
 * A node's declared surface (caps and commands) must be approved by an operator first. An unknown or widened
 * surface becomes a pending request, announced as `node.pair.requested`, and the connect is refused with its id.
 */
export function admitNode(
  runtime: GatewayRuntime,
  connect: ConnectRequest,
  clientAddress: string,
): { nodeId: string; caps: string[]; commands: string[] } {
  const extra = connect as { commands?: unknown; device?: unknown };
  const device = extra.device as { id?: unknown } | undefined;
  const nodeId =
    (typeof device?.id === "string" && device.id) || connect.client.instanceId || connect.client.id;
  const commands = Array.isArray(extra.commands)
    ? extra.commands.filter((value): value is string => typeof value === "string")
    : [];
  const outcome = runtime.nodePairing.observeConnect({
    nodeId,
    ...(connect.client.displayName ? { displayName: connect.client.displayName } : {}),
    platform: connect.client.platform,
    version: connect.client.version,
    caps: connect.caps ?? [],
    commands,
    remoteIp: clientAddress,
  });
  if (outcome.status === "approved") return { nodeId, caps: connect.caps ?? [], commands };
  if (outcome.created) runtime.broadcast("node.pair.requested", outcome.request, "operator.pairing");
  throw new GatewayError(
    "NOT_PAIRED",
    `node "${nodeId}" is waiting for approval: an operator runs "openclaw nodes approve ${outcome.request.requestId}" (or calls node.pair.approve)`,
    { details: { code: "PAIRING_REQUIRED", requestId: outcome.request.requestId, nodeId } },
  );
}

/**
 * Binds a connection that proved a device identity: the gateway's own credential pairs the device for this role
 * and issues it a fresh token (returned for `hello-ok.auth.deviceToken`); a device token already held is reused.
 * Either way the connection is indexed, so rotating or revoking the token closes it at once.
 */
export function bindDevice(
  runtime: GatewayRuntime,
  connection: {
    connId: string;
    scopes: readonly string[];
    clientAddress: string;
    close(code: number, reason: string): void;
  },
  connect: ConnectRequest,
  auth: DeviceAuthOutcome,
  role: "operator" | "node",
): string | undefined {
  if (!auth.device) return undefined;
  const { deviceId, publicKey } = auth.device;
  runtime.devices.attach(connection, deviceId, role);
  if (auth.viaDeviceToken) return undefined;
  return runtime.devices.issue(
    deviceId,
    publicKey,
    role,
    role === "node" ? [] : [...connection.scopes],
    {
      displayName: connect.client.displayName,
      platform: connect.client.platform,
      clientId: connect.client.id,
      clientMode: connect.client.mode,
      remoteIp: connection.clientAddress,
    },
    connection.connId,
  );
}

/** The refusal for a client whose protocol range does not include ours; undefined when it does. */
export function protocolMismatch(connect: ConnectRequest): GatewayError | undefined {
  if (connect.minProtocol <= PROTOCOL_VERSION && connect.maxProtocol >= PROTOCOL_VERSION) return undefined;
  return new GatewayError(
    "INVALID_REQUEST",
    `protocol mismatch: this gateway speaks protocol ${PROTOCOL_VERSION}, the client asked for ${connect.minProtocol}..${connect.maxProtocol}`,
    {
      details: {
        code: ErrorDetailCodes.PROTOCOL_MISMATCH,
        serverProtocol: PROTOCOL_VERSION,
        minProtocol: connect.minProtocol,
        maxProtocol: connect.maxProtocol,
      },
    },
  );
}

/** The refusal for a role this gateway does not serve; undefined for operator (the default) and node. */
export function unservedRole(connect: ConnectRequest): GatewayError | undefined {
  if (connect.role === undefined || connect.role === "operator" || connect.role === "node") return undefined;
  return new GatewayError(
    "FORBIDDEN",
    `role "${connect.role}" is not served by this gateway; use "operator" (or "node" for a paired node)`,
    { details: { code: ErrorDetailCodes.MISSING_SCOPE, role: connect.role } },
  );
}

export function parseConnect(request: InboundRequest) {
  if (request.method === "auth") {
    const alias = AuthAliasParamsSchema.safeParse(request.params ?? {});
    if (!alias.success) throw invalidConnect("auth", alias.error);
    return {
      minProtocol: PROTOCOL_VERSION,
      maxProtocol: PROTOCOL_VERSION,
      client: { id: "webchat", version: "unknown", platform: "unknown", mode: "webchat" } as ClientInfo,
      role: "operator",
      scopes: alias.data.scopes,
      auth: { token: alias.data.token, password: alias.data.password },
    };
  }
  const parsed = ConnectParamsSchema.safeParse(request.params);
  if (!parsed.success) throw invalidConnect("connect", parsed.error);
  return parsed.data;
}

function invalidConnect(method: string, error: import("zod").ZodError): GatewayError {
  const issues = describeZodIssues(error);
  const first = issues[0];
  return new GatewayError(
    "INVALID_REQUEST",
    `invalid ${method} params: ${first ? `${first.path}: ${first.message}` : "malformed"}`,
    { details: { code: ErrorDetailCodes.INVALID_PARAMS, issues } },
  );
}

/** Errors that say "not now" rather than "not like this": the storage unreachable or closing. */
const UNAVAILABLE_CODES = new Set(["STORAGE_UNREACHABLE", "STORE_CLOSED", "UNAVAILABLE"]);

/** Maps anything thrown by a handler to the wire's error shape; unexpected errors never leak internals. */
export function toErrorShape(error: unknown, runtime: GatewayRuntime): ErrorShape {
  if (error instanceof GatewayError) return error.toShape();
  const coded = error as { code?: unknown; message?: unknown; details?: unknown };
  if (error instanceof Error && typeof coded.code === "string" && UNAVAILABLE_CODES.has(coded.code)) {
    // The store is down (a cluster's database lost): the control plane answers, the write is refused, retry later.
    return { code: "UNAVAILABLE", message: error.message, retryable: true, details: { code: coded.code } };
  }
  if (error instanceof Error && typeof coded.code === "string" && /^[A-Z][A-Z_]+$/.test(coded.code)) {
    const details = coded.details && typeof coded.details === "object" ? coded.details : {};
    return { code: "INVALID_REQUEST", message: error.message, details: { ...details, code: coded.code } };
  }
  runtime.logger.error("method failed", { error: error instanceof Error ? error.stack : String(error) });
  return { code: "UNAVAILABLE", message: "internal error: see the gateway log for details", retryable: true };
}

/** The `hello-ok` payload: what this gateway serves, a state snapshot, the granted auth and the socket's policy. */
export async function buildHelloOk(
  runtime: GatewayRuntime,
  o: {
    connId: string;
    methods: string[];
    events: readonly string[];
    authMode: HelloOk["snapshot"]["authMode"];
    role: "operator" | "node";
    scopes: readonly string[];
    policy: ConnectionPolicy;
  },
): Promise<HelloOk> {
  const config = runtime.configState.config;
  const defaultAgent = defaultAgentId(config);
  const mainKey = config.session.mainKey;
  return {
    type: "hello-ok",
    protocol: PROTOCOL_VERSION,
    server: { version: runtime.version, connId: o.connId },
    features: { methods: o.methods, events: [...o.events], capabilities: [...GATEWAY_CAPABILITIES] },
    snapshot: {
      presence: runtime.presenceEntries(),
      health: await runtime.healthSnapshot(),
      stateVersion: { presence: runtime.presence.version, health: 0 },
      uptimeMs: Date.now() - runtime.startedAt,
      configPath: runtime.configState.paths.configPath,
      stateDir: runtime.configState.paths.stateDir,
      authMode: o.authMode,
      sessionDefaults: {
        defaultAgentId: defaultAgent,
        mainKey,
        mainSessionKey: buildMainSessionKey(defaultAgent, mainKey),
        scope: config.session.scope,
      },
    },
    auth: { role: o.role, scopes: [...o.scopes] },
    policy: {
      maxPayload: o.policy.maxPayload,
      maxBufferedBytes: o.policy.maxBufferedBytes,
      tickIntervalMs: o.policy.tickIntervalMs,
      attachments: advertisedAttachmentLimits(config, o.policy.maxPayload),
    },
  };
}

/**
 * What `chat.send` accepts per attachment, as OpenClaw advertises it: never more than a frame can carry once base64
 * has added its third (less room for the rest of the request).
 */
function advertisedAttachmentLimits(
  config: Parameters<typeof resolveAttachmentLimits>[0],
  maxPayload: number,
) {
  const limits = resolveAttachmentLimits(config);
  const frameRoom = Math.max(1, Math.floor(((maxPayload - 256 * 1024) * 3) / 4));
  const maxBytes = Math.min(limits.maxBytes, frameRoom);
  return { maxBytes, maxImageBytes: Math.min(maxBytes, limits.maxImageBytes) };
}
