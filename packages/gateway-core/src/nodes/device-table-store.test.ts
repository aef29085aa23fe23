import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ClusterCoordinator,
  createMemoryStorage,
  createMemoryStorageData,
  type MemoryStorageData,
} from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeJsonFileAtomic } from "../state/atomic-file.js";
import { type DeviceConnection, DeviceRegistry, type DeviceTokenInvalidation } from "./device-registry.js";
import { DEVICES_TABLE, openTableDeviceStore } from "./device-table-store.js";

interface Instance {
  devices: DeviceRegistry;
  cluster: ClusterCoordinator;
  invalidations: DeviceTokenInvalidation[];
}

class RecordingConnection implements DeviceConnection {
  closed: { code: number; reason: string } | undefined;
  constructor(readonly connId: string) {}
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
}

let data: MemoryStorageData;
let stateDir: string;
let instances: Instance[];

beforeEach(async () => {
  data = createMemoryStorageData();
  stateDir = await mkdtemp(join(tmpdir(), "devices-table-"));
  instances = [];
});

afterEach(async () => {
  for (const instance of instances) {
    instance.devices.close();
    await instance.cluster.close();
  }
  await rm(stateDir, { recursive: true, force: true });
});

async function startInstance(name: string): Promise<Instance> {
  const storage = createMemoryStorage({ data });
  const cluster = await storage.openCluster?.({ instanceId: name });
  if (!cluster) throw new Error("the memory storage opens no cluster");
  const store = await openTableDeviceStore({ storage, stateDir });
  const devices = new DeviceRegistry({ stateDir, store, cluster });
  const invalidations: DeviceTokenInvalidation[] = [];
  devices.onTokensInvalidated((invalidation) => invalidations.push(invalidation));
  const instance = { devices, cluster, invalidations };
  instances.push(instance);
  return instance;
}

/** Waits until `instance` has applied what `from` announced so far. */
async function propagated(from: Instance, to: Instance): Promise<void> {
  await from.devices.flush();
  await to.devices.flush();
}

describe("DeviceRegistry over a shared table", () => {
  it("knows on B a device paired on A, and ends B's connections when A rotates or revokes the token", async () => {
    const a = await startInstance("a");
    const b = await startInstance("b");
    const token = a.devices.issue(
      "dev-1",
      "pk-1",
      "operator",
      ["operator.read"],
      { displayName: "Phone" },
      "c0",
    );
    await propagated(a, b);
    expect(b.devices.isPaired("dev-1", "operator")).toBe(true);
    expect(b.devices.verifyToken("dev-1", "operator", token)).toEqual({ scopes: ["operator.read"] });
    expect(b.devices.isOperatorToken(token)).toBe(true);

    const onB = new RecordingConnection("b-conn");
    b.devices.attach(onB, "dev-1", "operator");
    const rotated = a.devices.rotate("dev-1", "operator", undefined, "a-conn");
    await propagated(a, b);
    expect(onB.closed).toEqual({ code: 1008, reason: "device token rotated" });
    expect(() => b.devices.verifyToken("dev-1", "operator", token)).toThrow(/device token mismatch/);
    expect(b.devices.verifyToken("dev-1", "operator", rotated.token).scopes).toEqual(["operator.read"]);
    expect(b.invalidations).toEqual([
      expect.objectContaining({ deviceId: "dev-1", role: "operator", origin: "remote" }),
    ]);

    const again = new RecordingConnection("b-conn-2");
    b.devices.attach(again, "dev-1", "operator");
    a.devices.revoke("dev-1", "operator");
    await propagated(a, b);
    expect(again.closed?.reason).toBe("device token revoked");
    expect(() => b.devices.verifyToken("dev-1", "operator", rotated.token)).toThrow(/device token mismatch/);
  });

  it("forgets on B a device removed on A and closes its connections of every role", async () => {
    const a = await startInstance("a");
    const b = await startInstance("b");
    a.devices.issue("dev-2", "pk-2", "node", [], {}, "c0");
    a.devices.issue("dev-2", "pk-2", "operator", [], {}, "c0");
    a.devices.setNodeLabel("dev-2", "Kitchen");
    await propagated(a, b);
    expect(b.devices.nodeLabel("dev-2")).toBe("Kitchen");
    const node = new RecordingConnection("node");
    b.devices.attach(node, "dev-2", "node");

    expect(a.devices.remove("dev-2")).toBe(true);
    await propagated(a, b);
    expect(node.closed?.reason).toBe("device removed");
    expect(b.devices.list()).toEqual([]);
    expect(b.devices.nodeLabel("dev-2")).toBe("Kitchen");
  });

  it("imports devices/paired.json once, leaves the file, and keeps tokens hashed in the table", async () => {
    const path = join(stateDir, "devices", "paired.json");
    const legacy = {
      version: 1,
      devices: [
        {
          deviceId: "old",
          publicKey: "pk-old",
          roles: ["operator"],
          tokens: [{ role: "operator", scopes: [], hash: "a".repeat(64), issuedAtMs: 1 }],
          approvedAtMs: 1,
          displayName: "Laptop",
        },
      ],
      nodeLabels: { n1: "Garage" },
    };
    writeJsonFileAtomic(path, legacy);
    const a = await startInstance("a");
    expect(a.devices.get("old")).toMatchObject({ displayName: "Laptop", roles: ["operator"] });
    expect(a.devices.nodeLabel("n1")).toBe("Garage");
    expect(a.devices.path).toContain(DEVICES_TABLE);

    const token = a.devices.issue("new", "pk-new", "operator", [], {}, "c0");
    await a.devices.flush();
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual(legacy);
    const rows = await createMemoryStorage({ data }).table(DEVICES_TABLE).list();
    expect(JSON.stringify(rows)).not.toContain(token);
    // A second start does not import again (the removed device stays removed).
    a.devices.remove("old");
    await a.devices.flush();
    const b = await startInstance("b");
    expect(b.devices.get("old")).toBeUndefined();
  });
});
