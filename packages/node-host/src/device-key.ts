import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DeviceSigner } from "@openclaw/client";
import { buildDeviceAuthPayload, type DeviceIdentity } from "@openclaw/protocol";

interface StoredKey {
  version: 1;
  deviceId: string;
  /** Raw Ed25519 public key, base64url. */
  publicKey: string;
  privateKeyPem: string;
}

/** This machine's node identity: an Ed25519 key kept in `<stateDir>/node/device.json` (mode 0600). */
export interface DeviceKey extends DeviceSigner {
  readonly deviceId: string;
  readonly publicKey: string;
}

function writePrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, path);
}

function signerFor(stored: StoredKey, privateKey: KeyObject): DeviceKey {
  return {
    deviceId: stored.deviceId,
    publicKey: stored.publicKey,
    sign(challenge, input): DeviceIdentity {
      // The challenge's own clock, as OpenClaw's clients do: no skew between our clock and the gateway's.
      const signedAt = challenge.ts;
      const payload = buildDeviceAuthPayload({
        deviceId: stored.deviceId,
        clientId: input.clientId,
        clientMode: input.clientMode,
        role: input.role,
        scopes: input.scopes,
        signedAtMs: signedAt,
        token: input.token,
        nonce: challenge.nonce,
        platform: input.platform,
      });
      return {
        id: stored.deviceId,
        publicKey: stored.publicKey,
        signature: sign(null, Buffer.from(payload, "utf8"), privateKey).toString("base64url"),
        signedAt,
        nonce: challenge.nonce,
      };
    },
  };
}

/** Loads the node's key, creating one on first run. */
export function loadOrCreateDeviceKey(stateDir: string): DeviceKey {
  const path = join(stateDir, "node", "device.json");
  try {
    const stored = JSON.parse(readFileSync(path, "utf8")) as StoredKey;
    return signerFor(stored, createPrivateKey(stored.privateKeyPem));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(
        `cannot read the node identity at ${path}: ${(error as Error).message}; move it away to create a new one (the node must then be approved again)`,
      );
    }
  }
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const stored: StoredKey = {
    version: 1,
    deviceId: createHash("sha256").update(raw).digest("hex"),
    publicKey: raw.toString("base64url"),
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  };
  writePrivate(path, `${JSON.stringify(stored, null, 2)}\n`);
  return signerFor(stored, privateKey);
}

/** The device token the gateway issued, in `<stateDir>/node/device-token` (mode 0600). */
export class DeviceTokenFile {
  readonly path: string;
  #token: string | undefined;

  constructor(stateDir: string) {
    this.path = join(stateDir, "node", "device-token");
    try {
      this.#token = readFileSync(this.path, "utf8").trim() || undefined;
    } catch {
      this.#token = undefined;
    }
  }

  get(): string | undefined {
    return this.#token;
  }

  set(token: string): void {
    this.#token = token;
    writePrivate(this.path, `${token}\n`);
  }

  clear(): void {
    this.#token = undefined;
    rmSync(this.path, { force: true });
  }
}
