import { type ConnectParams, DeviceAuthErrorCodes, GatewayError, scopeSatisfies } from "@openclaw/protocol";

/** The parts of a `connect` the device check reads. */
type DeviceConnect = Pick<ConnectParams, "client" | "scopes" | "auth"> & { device?: unknown };

import { type VerifiedDevice, verifyDeviceProof } from "./device-identity.js";
import type { DeviceRegistry, DeviceRole } from "./device-registry.js";

export interface DeviceAuthOutcome {
  /** Present only when `connect.params.device` carried a valid signature over this connection's nonce. */
  device?: VerifiedDevice;
  /** True when the device token (not the gateway's shared credential) authenticated the connection. */
  viaDeviceToken: boolean;
  /** The scopes bound to the device token, when it authenticated the connection. */
  tokenScopes?: string[];
}

/**
 * The device part of a `connect`: verifies the signed challenge when a device identity is sent, and the device
 * token when one is sent without a shared credential. Throws (and the caller counts a failed attempt) on any
 * mismatch; a device token is only ever accepted together with that device's valid signature.
 */
export function authenticateDevice(
  devices: DeviceRegistry,
  connect: DeviceConnect,
  o: { nonce: string; role: DeviceRole },
): DeviceAuthOutcome {
  const deviceToken = connect.auth?.deviceToken;
  const sharedPresented = Boolean(connect.auth?.token || connect.auth?.password);
  const signedToken = deviceToken ?? connect.auth?.token ?? "";
  const raw = connect.device;
  const client = connect.client as typeof connect.client & { deviceFamily?: unknown };
  const device =
    raw === undefined
      ? undefined
      : verifyDeviceProof(raw, {
          nonce: o.nonce,
          clientId: client.id,
          clientMode: client.mode,
          role: o.role,
          scopes: connect.scopes ?? [],
          token: signedToken,
          platform: client.platform,
          ...(typeof client.deviceFamily === "string" ? { deviceFamily: client.deviceFamily } : {}),
        });
  if (device) devices.noteKey(device.deviceId, device.publicKey);
  if (!deviceToken || sharedPresented)
    return device ? { device, viaDeviceToken: false } : { viaDeviceToken: false };
  if (!device) {
    throw new GatewayError(
      "INVALID_REQUEST",
      "a device token needs the device's identity: send connect.params.device signed over the connect.challenge nonce",
      { details: { code: DeviceAuthErrorCodes.DEVICE_REQUIRED } },
    );
  }
  const { scopes } = devices.verifyToken(device.deviceId, o.role, deviceToken);
  return { device, viaDeviceToken: true, tokenScopes: scopes };
}

/**
 * What a connection may be granted: a device token's scopes, never more than the gateway's credential grants now
 * (a narrowed `gateway.auth.scopes` narrows tokens issued before); the credential's grant when no token was used.
 */
export function deviceGrant(auth: DeviceAuthOutcome, credentialScopes: readonly string[]): readonly string[] {
  if (!auth.tokenScopes) return credentialScopes;
  return auth.tokenScopes.filter((scope) => scopeSatisfies(credentialScopes, scope));
}
