import { createHash, randomBytes } from "node:crypto";
import { DeviceAuthErrorCodes, GatewayError, type PairedDevice } from "@openclaw/protocol";
import type { ClusterCoordinator } from "@openclaw/sessions";
import { secretsEqual } from "../auth/verify-credential.js";
import { type Logger, silentLogger } from "../logging/logger.js";
import { DeviceClusterSync, type DeviceTokenInvalidation } from "./device-cluster-sync.js";
import {
  type DeviceFile,
  type DeviceRole,
  type DeviceStore,
  FileDeviceStore,
  type StoredDevice,
} from "./device-store.js";

export type { DeviceTokenInvalidation } from "./device-cluster-sync.js";
export type { DeviceRole } from "./device-store.js";

export interface DeviceRegistryOptions {
  stateDir: string;
  now?: () => number;
  /** Where devices and tokens live; default `<stateDir>/devices/paired.json`. See `openTableDeviceStore`. */
  store?: DeviceStore;
  /**
   * Gateway instances sharing `store` (a table store): every change is announced with `devices.changed`, each
   * instance re-reads the store on it, and a token rotated, revoked or replaced on one instance closes the
   * connections that used it on every instance.
   */
  cluster?: ClusterCoordinator;
  logger?: Logger;
}

/** A live connection authenticated as a device: closed at once when its token is rotated or revoked. */
export interface DeviceConnection {
  readonly connId: string;
  close(code: number, reason: string): void;
}

export interface DeviceMetadata {
  displayName?: string;
  platform?: string;
  clientId?: string;
  clientMode?: string;
  remoteIp?: string;
}

const CLOSE_POLICY = 1008;
const MAX_SEEN_KEYS = 256;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Paired devices and their role-bound tokens (hashed), kept in `<stateDir>/devices/paired.json` or a storage
 * table. Also the index of live device connections, so a rotated or revoked token ends every connection that used
 * it at once (OpenClaw's 2026 advisory GHSA-m8wm-r5vq-qjpg: a token must not outlive its revocation), on every
 * instance of a cluster.
 */
export class DeviceRegistry {
  readonly path: string;
  readonly #now: () => number;
  readonly #store: DeviceStore;
  readonly #sync: DeviceClusterSync | undefined;
  readonly #invalidationListeners = new Set<(invalidation: DeviceTokenInvalidation) => void>();
  readonly #seenKeys = new Map<string, string>();
  readonly #live = new Map<string, { deviceId: string; role: DeviceRole; connection: DeviceConnection }>();

  constructor(options: DeviceRegistryOptions) {
    this.#store = options.store ?? new FileDeviceStore(options.stateDir);
    this.path = this.#store.path;
    this.#now = options.now ?? Date.now;
    this.#sync = options.cluster
      ? new DeviceClusterSync({
          cluster: options.cluster,
          store: this.#store,
          logger: options.logger ?? silentLogger,
          onRemoteInvalidation: (invalidation) => this.#invalidate(invalidation),
        })
      : undefined;
  }

  /**
   * Called for every token that stopped working (rotated, revoked, replaced, device removed), on this instance or,
   * in a cluster, another one (`origin: "remote"`). The registry has already closed the connections it knows
   * (`attach`); a listener closes what else holds the token.
   */
  onTokensInvalidated(listener: (invalidation: DeviceTokenInvalidation) => void): () => void {
    this.#invalidationListeners.add(listener);
    return () => this.#invalidationListeners.delete(listener);
  }

  /** Re-reads the store now (a cluster does this on every `devices.changed`). */
  refresh(): Promise<void> {
    return this.#store.refresh();
  }

  /** Resolves once every change so far is durable and announced to the other instances. */
  async flush(): Promise<void> {
    await this.#store.flush();
    await this.#sync?.flush();
  }

  /** Stops listening to the other instances (the gateway stopping). */
  close(): void {
    this.#sync?.close();
  }

  #read(): DeviceFile {
    return this.#store.read();
  }

  #write(invalidation?: Omit<DeviceTokenInvalidation, "origin">): void {
    this.#store.write(this.#read());
    this.#sync?.announce(invalidation);
  }

  #find(deviceId: string): StoredDevice | undefined {
    return this.#read().devices.find((device) => device.deviceId === deviceId);
  }

  list(): PairedDevice[] {
    return this.#read().devices.map((device) => ({
      ...device,
      tokens: device.tokens.map(({ hash: _hash, ...info }) => info),
    }));
  }

  get(deviceId: string): PairedDevice | undefined {
    return this.list().find((device) => device.deviceId === deviceId);
  }

  isPaired(deviceId: string, role: DeviceRole): boolean {
    return this.#find(deviceId)?.roles.includes(role) ?? false;
  }

  /**
   * Records the device as paired for `role` and issues it a fresh token (shown once, in `hello-ok.auth.deviceToken`).
   * Called when a device proved itself with the gateway's own credential; a token it held before stops working.
   */
  issue(
    deviceId: string,
    publicKey: string,
    role: DeviceRole,
    scopes: string[],
    meta: DeviceMetadata,
    connId: string,
  ): string {
    const file = this.#read();
    const at = this.#now();
    let device = this.#find(deviceId);
    if (!device) {
      device = { deviceId, publicKey, roles: [], tokens: [], approvedAtMs: at };
      file.devices.push(device);
    }
    Object.assign(device, withoutUndefined(meta));
    if (!device.roles.includes(role)) device.roles.push(role);
    const token = newToken();
    const replaced = device.tokens.some((entry) => entry.role === role);
    device.tokens = device.tokens
      .filter((entry) => entry.role !== role)
      .concat({ role, scopes, hash: hashToken(token), issuedAtMs: at });
    const invalidation = { deviceId, role, reason: "device token replaced" };
    this.#write(replaced ? invalidation : undefined);
    if (replaced) this.#invalidate({ ...invalidation, origin: "local" }, connId);
    else this.#closeLive(invalidation, connId);
    return token;
  }

  /** Checks a presented device token; throws `AUTH_DEVICE_TOKEN_MISMATCH` for an unknown, rotated or revoked one. */
  verifyToken(deviceId: string, role: DeviceRole, token: string): { scopes: string[] } {
    const entry = this.#find(deviceId)?.tokens.find((stored) => stored.role === role);
    if (!entry || entry.revokedAtMs !== undefined || !secretsEqual(hashToken(token), entry.hash)) {
      throw new GatewayError(
        "INVALID_REQUEST",
        "device token mismatch: it was rotated, revoked or never issued to this device and role; reconnect with the gateway token to pair again",
        { details: { code: DeviceAuthErrorCodes.DEVICE_TOKEN_MISMATCH } },
      );
    }
    return { scopes: [...entry.scopes] };
  }

  /**
   * Whether `token` is a live (not rotated or revoked) operator device token of some paired device: the bearer
   * OpenClaw's Control UI sends for its start-up settings once it holds one. Compares hashes in constant time.
   */
  isOperatorToken(token: string): boolean {
    const hash = hashToken(token);
    let found = false;
    for (const device of this.#read().devices) {
      for (const entry of device.tokens) {
        if (entry.role === "operator" && entry.revokedAtMs === undefined && secretsEqual(hash, entry.hash)) {
          found = true;
        }
      }
    }
    return found;
  }

  /** Replaces the device's token for `role`; the old one stops working now, its connections are closed. */
  rotate(deviceId: string, role: DeviceRole, scopes: string[] | undefined, exceptConnId?: string) {
    const device = this.#requireRole(deviceId, role);
    const at = this.#now();
    const previous = device.tokens.find((entry) => entry.role === role);
    const granted = scopes ?? previous?.scopes ?? [];
    const token = newToken();
    device.tokens = device.tokens
      .filter((entry) => entry.role !== role)
      .concat({
        role,
        scopes: granted,
        hash: hashToken(token),
        issuedAtMs: previous?.issuedAtMs ?? at,
        rotatedAtMs: at,
      });
    this.#write({ deviceId, role, reason: "device token rotated" });
    const closedConnections = this.#invalidate(
      { deviceId, role, reason: "device token rotated", origin: "local" },
      exceptConnId,
    );
    return { token, scopes: granted, rotatedAtMs: at, closedConnections };
  }

  /** Revokes the device's token for `role` and closes every connection that holds it. */
  revoke(deviceId: string, role: DeviceRole) {
    const device = this.#requireRole(deviceId, role);
    const at = this.#now();
    for (const entry of device.tokens) if (entry.role === role) entry.revokedAtMs = at;
    this.#write({ deviceId, role, reason: "device token revoked" });
    const invalidation = { deviceId, role, reason: "device token revoked", origin: "local" } as const;
    return { revokedAtMs: at, closedConnections: this.#invalidate(invalidation) };
  }

  /** Forgets the device (all roles); its connections are closed. */
  remove(deviceId: string): boolean {
    const file = this.#read();
    const device = this.#find(deviceId);
    if (!device) return false;
    file.devices = file.devices.filter((entry) => entry !== device);
    this.#write({ deviceId, reason: "device removed" });
    this.#invalidate({ deviceId, reason: "device removed", origin: "local" });
    return true;
  }

  label(deviceId: string, label: string): void {
    const device = this.#find(deviceId);
    if (!device) throw unknownDevice(deviceId);
    device.label = label;
    this.#write();
  }

  nodeLabel(nodeId: string): string | undefined {
    return this.#read().nodeLabels[nodeId];
  }

  setNodeLabel(nodeId: string, label: string): void {
    this.#read().nodeLabels[nodeId] = label;
    this.#write();
  }

  attach(connection: DeviceConnection, deviceId: string, role: DeviceRole): void {
    this.#live.set(connection.connId, { deviceId, role, connection });
  }

  /**
   * Remembers the key of a device that proved itself but is not paired yet, so an approval can show it. Bounded:
   * the oldest is forgotten first.
   */
  noteKey(deviceId: string, publicKey: string): void {
    this.#seenKeys.delete(deviceId);
    this.#seenKeys.set(deviceId, publicKey);
    if (this.#seenKeys.size > MAX_SEEN_KEYS) this.#seenKeys.delete(this.#seenKeys.keys().next().value ?? "");
  }

  seenKey(deviceId: string): string | undefined {
    return this.#find(deviceId)?.publicKey ?? this.#seenKeys.get(deviceId);
  }

  /** The device (and role) a live connection proved, if any. */
  deviceOf(connId: string): { deviceId: string; role: DeviceRole } | undefined {
    const live = this.#live.get(connId);
    return live ? { deviceId: live.deviceId, role: live.role } : undefined;
  }

  detach(connId: string): void {
    this.#live.delete(connId);
  }

  /** Closes the connections holding the invalidated token (all roles when none is named) and tells the listeners. */
  #invalidate(invalidation: DeviceTokenInvalidation, exceptConnId?: string): number {
    const closed = this.#closeLive(invalidation, exceptConnId);
    for (const listener of this.#invalidationListeners) listener(invalidation);
    return closed;
  }

  #closeLive(
    { deviceId, role, reason }: Omit<DeviceTokenInvalidation, "origin">,
    exceptConnId?: string,
  ): number {
    let closed = 0;
    for (const [connId, live] of this.#live) {
      if (live.deviceId !== deviceId || (role !== undefined && live.role !== role) || connId === exceptConnId)
        continue;
      this.#live.delete(connId);
      live.connection.close(CLOSE_POLICY, reason);
      closed += 1;
    }
    return closed;
  }

  #requireRole(deviceId: string, role: DeviceRole): StoredDevice {
    const device = this.#find(deviceId);
    if (!device) throw unknownDevice(deviceId);
    if (!device.roles.includes(role)) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `device "${deviceId}" was never approved for role "${role}": see device.pair.list for its roles`,
        { details: { code: "DEVICE_ROLE_NOT_APPROVED", deviceId, role } },
      );
    }
    return device;
  }
}

function unknownDevice(deviceId: string): GatewayError {
  return new GatewayError("INVALID_REQUEST", `unknown device "${deviceId}": see device.pair.list`, {
    details: { code: "DEVICE_NOT_FOUND", deviceId },
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
