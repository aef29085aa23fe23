import { z } from "zod";
import { LIMITS } from "./limits.js";

/**
 * A device's proof of identity in `connect.params.device` (OpenClaw's shape): an Ed25519 public key (raw 32 bytes,
 * base64url), its id (the hex SHA-256 of those bytes), and a signature over the payload built by
 * {@link buildDeviceAuthPayload} that binds the server's `connect.challenge` nonce.
 */
export const DeviceIdentitySchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/, "device.id must be the hex SHA-256 of the raw public key"),
  publicKey: z.string().min(1).max(LIMITS.idChars),
  signature: z.string().min(1).max(LIMITS.idChars),
  signedAt: z.int().min(0),
  nonce: z.string().max(LIMITS.idChars).optional(),
});
export type DeviceIdentity = z.infer<typeof DeviceIdentitySchema>;

export interface DeviceAuthPayloadInput {
  deviceId: string;
  clientId: string;
  clientMode: string;
  role: string;
  scopes: readonly string[];
  signedAtMs: number;
  /** The credential sent in the same `connect` (shared token or device token); empty when none. */
  token?: string;
  nonce: string;
  platform?: string;
  deviceFamily?: string;
}

function normaliseMetadata(value: string | undefined): string {
  return (value ?? "").trim().toLowerCase();
}

function baseFields(version: "v2" | "v3", input: DeviceAuthPayloadInput): string[] {
  return [
    version,
    input.deviceId,
    input.clientId,
    input.clientMode,
    input.role,
    input.scopes.join(","),
    String(input.signedAtMs),
    input.token ?? "",
    input.nonce,
  ];
}

/**
 * The text a device signs, OpenClaw's `v3` form: fields joined by `|`, binding the connection's role, scopes,
 * credential and the server's nonce, so a signature cannot be replayed on another connection.
 */
export function buildDeviceAuthPayload(input: DeviceAuthPayloadInput): string {
  return [
    ...baseFields("v3", input),
    normaliseMetadata(input.platform),
    normaliseMetadata(input.deviceFamily),
  ].join("|");
}

/** OpenClaw's legacy `v2` payload (no platform binding), still accepted from older clients. */
export function buildDeviceAuthPayloadV2(input: DeviceAuthPayloadInput): string {
  return baseFields("v2", input).join("|");
}

/** `error.details.code` of a refused device proof (OpenClaw's names). */
export const DeviceAuthErrorCodes = {
  NONCE_REQUIRED: "DEVICE_AUTH_NONCE_REQUIRED",
  NONCE_MISMATCH: "DEVICE_AUTH_NONCE_MISMATCH",
  SIGNATURE_INVALID: "DEVICE_AUTH_SIGNATURE_INVALID",
  SIGNATURE_EXPIRED: "DEVICE_AUTH_SIGNATURE_EXPIRED",
  DEVICE_ID_MISMATCH: "DEVICE_AUTH_DEVICE_ID_MISMATCH",
  PUBLIC_KEY_INVALID: "DEVICE_AUTH_PUBLIC_KEY_INVALID",
  DEVICE_TOKEN_MISMATCH: "AUTH_DEVICE_TOKEN_MISMATCH",
  DEVICE_REQUIRED: "DEVICE_IDENTITY_REQUIRED",
} as const;
