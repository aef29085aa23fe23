import { createHash, createPublicKey, verify } from "node:crypto";
import {
  buildDeviceAuthPayload,
  buildDeviceAuthPayloadV2,
  DeviceAuthErrorCodes,
  type DeviceAuthPayloadInput,
  DeviceIdentitySchema,
  GatewayError,
} from "@openclaw/protocol";

/** How far a device's clock may be from ours (OpenClaw allows the same two minutes). */
export const DEVICE_SIGNATURE_SKEW_MS = 120_000;
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export interface VerifiedDevice {
  deviceId: string;
  /** Raw Ed25519 key, base64url. */
  publicKey: string;
}

export interface DeviceProofContext {
  /** The nonce of this connection's `connect.challenge`. */
  nonce: string;
  clientId: string;
  clientMode: string;
  role: string;
  scopes: readonly string[];
  /** The credential sent in the same `connect` (device token first, else shared token). */
  token: string;
  platform: string;
  deviceFamily?: string;
  now?: number;
}

function refuse(code: string, reason: string, message: string): GatewayError {
  return new GatewayError(
    "INVALID_REQUEST",
    `${message}: sign the connect.challenge nonce with the device key`,
    {
      details: { code, reason },
    },
  );
}

/** The device id OpenClaw derives from a key: hex SHA-256 of the raw 32 key bytes. */
export function deviceIdOf(rawPublicKey: Buffer): string {
  return createHash("sha256").update(rawPublicKey).digest("hex");
}

/**
 * Checks `connect.params.device`: the id is the key's fingerprint, the signature was made just now over this
 * connection's nonce and the connect's own role, scopes and credential. Returns the device only when all hold;
 * every refusal carries OpenClaw's `DEVICE_AUTH_*` code.
 */
export function verifyDeviceProof(raw: unknown, context: DeviceProofContext): VerifiedDevice {
  const parsed = DeviceIdentitySchema.safeParse(raw);
  if (!parsed.success) {
    throw refuse(
      DeviceAuthErrorCodes.PUBLIC_KEY_INVALID,
      "device-public-key",
      "device identity is malformed",
    );
  }
  const device = parsed.data;
  const key = Buffer.from(device.publicKey, "base64url");
  if (key.length !== 32) {
    throw refuse(DeviceAuthErrorCodes.PUBLIC_KEY_INVALID, "device-public-key", "device public key invalid");
  }
  if (deviceIdOf(key) !== device.id) {
    throw refuse(DeviceAuthErrorCodes.DEVICE_ID_MISMATCH, "device-id-mismatch", "device identity mismatch");
  }
  if (Math.abs((context.now ?? Date.now()) - device.signedAt) > DEVICE_SIGNATURE_SKEW_MS) {
    throw refuse(
      DeviceAuthErrorCodes.SIGNATURE_EXPIRED,
      "device-signature-stale",
      "device signature expired",
    );
  }
  const nonce = device.nonce?.trim() ?? "";
  if (!nonce)
    throw refuse(DeviceAuthErrorCodes.NONCE_REQUIRED, "device-nonce-missing", "device nonce required");
  if (nonce !== context.nonce) {
    throw refuse(DeviceAuthErrorCodes.NONCE_MISMATCH, "device-nonce-mismatch", "device nonce mismatch");
  }
  const publicKey = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, key]),
    format: "der",
    type: "spki",
  });
  const signature = Buffer.from(device.signature, "base64url");
  const input: DeviceAuthPayloadInput = {
    deviceId: device.id,
    clientId: context.clientId,
    clientMode: context.clientMode,
    role: context.role,
    scopes: context.scopes,
    signedAtMs: device.signedAt,
    token: context.token,
    nonce,
    platform: context.platform,
    ...(context.deviceFamily ? { deviceFamily: context.deviceFamily } : {}),
  };
  const signed = [buildDeviceAuthPayload(input), buildDeviceAuthPayloadV2(input)].some((payload) =>
    verify(null, Buffer.from(payload, "utf8"), publicKey, signature),
  );
  if (!signed) {
    throw refuse(DeviceAuthErrorCodes.SIGNATURE_INVALID, "device-signature", "device signature invalid");
  }
  return { deviceId: device.id, publicKey: device.publicKey };
}
