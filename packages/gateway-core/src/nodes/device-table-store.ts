import { join } from "node:path";
import { z } from "zod";
import {
  importOnce,
  type MirrorWarnings,
  type StateTables,
  TableMirror,
  tableKey,
} from "../state/table-mirror.js";
import { type DeviceFile, type DeviceStore, readDeviceFile, type StoredDevice } from "./device-store.js";

/** Paired devices (`device/<id>`) and node labels (`label/<nodeId>`), one row each. */
export const DEVICES_TABLE = "devices.paired";

const bounded = (max: number) => z.string().max(max);
const StoredTokenSchema = z.object({
  role: z.enum(["operator", "node"]),
  scopes: z.array(bounded(200)).max(100),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  issuedAtMs: z.number(),
  rotatedAtMs: z.number().optional(),
  revokedAtMs: z.number().optional(),
});
// Fields the registry does not interpret (display name, platform, ...) are kept as written.
const StoredDeviceSchema = z.looseObject({
  deviceId: z.string().min(1).max(512),
  publicKey: z.string().min(1).max(4096),
  roles: z.array(z.enum(["operator", "node"])).max(2),
  tokens: z.array(StoredTokenSchema).max(10),
  approvedAtMs: z.number(),
});
const DeviceRowSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("device"), device: StoredDeviceSchema }),
  z.object({ kind: z.literal("label"), nodeId: bounded(512), label: bounded(512) }),
]);
type DeviceRow = z.infer<typeof DeviceRowSchema>;
type DeviceRowDevice = Extract<DeviceRow, { kind: "device" }>["device"];

const deviceKey = (deviceId: string) => tableKey("device", deviceId);
const labelKey = (nodeId: string) => tableKey("label", nodeId);

export interface TableDeviceStoreOptions {
  storage: StateTables;
  /** Where `devices/paired.json` is imported from, once (the file is left as it is). */
  stateDir?: string;
  logger?: MirrorWarnings;
}

/**
 * Devices and tokens (hashed) in the storage table `devices.paired`, so every gateway instance on one storage knows
 * a device paired, rotated or revoked through any of them. Reads come from memory; `write` writes only the rows
 * that changed, in order; `refresh` takes in other instances' changes (call it on `devices.changed`).
 */
export async function openTableDeviceStore(options: TableDeviceStoreOptions): Promise<DeviceStore> {
  const { storage, stateDir } = options;
  if (stateDir !== undefined) {
    await importOnce(storage, DEVICES_TABLE, () => importDeviceFile(storage, stateDir));
  }
  const rows = await TableMirror.open(storage, DEVICES_TABLE, DeviceRowSchema, options.logger);
  return new TableDeviceStore(`${storage.location} (table ${DEVICES_TABLE})`, rows);
}

class TableDeviceStore implements DeviceStore {
  readonly path: string;
  readonly #rows: TableMirror<DeviceRow>;
  #file: DeviceFile | undefined;

  constructor(path: string, rows: TableMirror<DeviceRow>) {
    this.path = path;
    this.#rows = rows;
  }

  read(): DeviceFile {
    this.#file ??= this.#build();
    return this.#file;
  }

  write(file: DeviceFile): void {
    this.#file = file;
    const devices = new Set<string>();
    for (const device of file.devices) {
      const key = deviceKey(device.deviceId);
      devices.add(key);
      const row: DeviceRow = { kind: "device", device: structuredClone(device) as DeviceRowDevice };
      if (!sameRow(this.#rows.get(key), row)) this.#rows.set(key, row);
    }
    const labels = new Set<string>();
    for (const [nodeId, label] of Object.entries(file.nodeLabels)) {
      const key = labelKey(nodeId);
      labels.add(key);
      const row: DeviceRow = { kind: "label", nodeId, label };
      if (!sameRow(this.#rows.get(key), row)) this.#rows.set(key, row);
    }
    for (const row of this.#rows.values("device/")) {
      if (row.kind === "device" && !devices.has(deviceKey(row.device.deviceId)))
        this.#rows.delete(deviceKey(row.device.deviceId));
    }
    for (const row of this.#rows.values("label/")) {
      if (row.kind === "label" && !labels.has(labelKey(row.nodeId))) this.#rows.delete(labelKey(row.nodeId));
    }
  }

  flush(): Promise<void> {
    return this.#rows.flush();
  }

  async refresh(): Promise<void> {
    await this.#rows.refresh();
    this.#file = this.#build();
  }

  #build(): DeviceFile {
    const file: DeviceFile = { version: 1, devices: [], nodeLabels: {} };
    for (const row of this.#rows.values()) {
      if (row.kind === "device") file.devices.push(structuredClone(row.device) as StoredDevice);
      else file.nodeLabels[row.nodeId] = row.label;
    }
    file.devices.sort((a, b) => a.approvedAtMs - b.approvedAtMs);
    return file;
  }
}

function sameRow(stored: DeviceRow | undefined, row: DeviceRow): boolean {
  return stored !== undefined && JSON.stringify(stored) === JSON.stringify(row);
}

async function importDeviceFile(
  storage: StateTables,
  stateDir: string,
): Promise<{ source: string; rows: number }> {
  const path = join(stateDir, "devices", "paired.json");
  const file = readDeviceFile(path);
  const table = storage.table<DeviceRow>(DEVICES_TABLE);
  let rows = 0;
  for (const device of file.devices) {
    const parsed = StoredDeviceSchema.safeParse(device);
    if (!parsed.success) continue;
    await table.put(deviceKey(device.deviceId), { kind: "device", device: parsed.data });
    rows += 1;
  }
  for (const [nodeId, label] of Object.entries(file.nodeLabels)) {
    await table.put(labelKey(nodeId), { kind: "label", nodeId, label });
    rows += 1;
  }
  return { source: path, rows };
}
