import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PairedDevice } from "@openclaw/protocol";
import { writeJsonFileAtomic } from "../state/atomic-file.js";

export type DeviceRole = "operator" | "node";

export interface StoredToken {
  role: DeviceRole;
  scopes: string[];
  /** SHA-256 of the token: the store never holds a usable credential. */
  hash: string;
  issuedAtMs: number;
  rotatedAtMs?: number;
  revokedAtMs?: number;
}

export interface StoredDevice extends Omit<PairedDevice, "tokens" | "roles"> {
  roles: DeviceRole[];
  tokens: StoredToken[];
}

/** Every paired device and node label, as `DeviceRegistry` reads and changes them in place. */
export interface DeviceFile {
  version: 1;
  devices: StoredDevice[];
  /** Operator labels of nodes (`node.rename`), preferred over the name a node reports. */
  nodeLabels: Record<string, string>;
}

/**
 * Where `DeviceRegistry` keeps devices and tokens. `read` returns the same object until a write or a refresh, so the
 * registry changes it in place and hands it to `write`, which makes it durable (or, for a table, queues it in order).
 */
export interface DeviceStore {
  /** Shown in messages: the file, or the storage table. */
  readonly path: string;
  read(): DeviceFile;
  write(file: DeviceFile): void;
  /** Resolves once every write so far is durable (rejects with the first that failed). */
  flush(): Promise<void>;
  /** Takes in what another instance changed (a store shared by several gateways). */
  refresh(): Promise<void>;
}

/** `<stateDir>/devices/paired.json`: the single-instance store. */
export class FileDeviceStore implements DeviceStore {
  readonly path: string;
  #file: DeviceFile | undefined;

  constructor(stateDir: string) {
    this.path = join(stateDir, "devices", "paired.json");
  }

  read(): DeviceFile {
    if (this.#file) return this.#file;
    this.#file = readDeviceFile(this.path);
    return this.#file;
  }

  write(file: DeviceFile): void {
    this.#file = file;
    writeJsonFileAtomic(this.path, file);
  }

  async flush(): Promise<void> {}

  async refresh(): Promise<void> {}
}

/** The file's devices and labels; an absent or unreadable file is an empty one. */
export function readDeviceFile(path: string): DeviceFile {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<DeviceFile>;
    return { version: 1, devices: parsed.devices ?? [], nodeLabels: parsed.nodeLabels ?? {} };
  } catch {
    return { version: 1, devices: [], nodeLabels: {} };
  }
}
