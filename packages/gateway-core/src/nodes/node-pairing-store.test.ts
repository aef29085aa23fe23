import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStorage, type SessionStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNodePairingStore, type NodePairingStore, type NodeSurface } from "./node-pairing-store.js";
import { openTableNodePairingStore } from "./node-pairing-table-store.js";

let stateDir: string;
let storage: SessionStorage;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-node-pairing-"));
  storage = createMemoryStorage();
  clock = Date.parse("2026-01-01T00:00:00Z");
});

afterEach(async () => {
  await storage.close();
  await rm(stateDir, { recursive: true, force: true });
});

const surface = (over: Partial<NodeSurface> = {}): NodeSurface => ({
  nodeId: "mac-1",
  displayName: "Studio Mac",
  platform: "darwin",
  caps: ["camera"],
  commands: ["camera.snap", "system.run"],
  remoteIp: "127.0.0.1",
  ...over,
});

function pendingId(store: NodePairingStore, declared: NodeSurface): string {
  const outcome = store.observeConnect(declared);
  if (outcome.status !== "pending") throw new Error(`expected a pending request, got ${outcome.status}`);
  return outcome.request.requestId;
}

const backends: { name: string; open: () => Promise<NodePairingStore> }[] = [
  { name: "files", open: async () => createNodePairingStore({ stateDir, now }) },
  { name: "storage tables", open: () => openTableNodePairingStore({ storage, stateDir, now }) },
];

describe.each(backends)("node pairing over $name", ({ open }) => {
  it("holds an unknown node as one pending request until an operator approves its surface", async () => {
    const store = await open();
    const first = store.observeConnect(surface());
    expect(first).toMatchObject({ status: "pending", created: true });
    expect(first.status === "pending" && first.request).toMatchObject({
      nodeId: "mac-1",
      displayName: "Studio Mac",
      caps: ["camera"],
      commands: ["camera.snap", "system.run"],
      requestedAtMs: clock,
    });
    // The same surface in another order is the same request.
    const again = store.observeConnect(surface({ commands: ["system.run", "camera.snap"] }));
    expect(again).toEqual({
      status: "pending",
      request: first.status === "pending" && first.request,
      created: false,
    });
    expect(store.list().pending).toHaveLength(1);
    expect(store.list().paired).toEqual([]);
  });

  it("approves the surface: the node is admitted with it or less, and a wider surface asks again", async () => {
    const store = await open();
    const requestId = pendingId(store, surface());
    clock += 5;
    const node = store.approve(requestId);
    expect(node).toEqual({
      nodeId: "mac-1",
      displayName: "Studio Mac",
      platform: "darwin",
      caps: ["camera"],
      commands: ["camera.snap", "system.run"],
      approvedAtMs: clock,
    });
    expect(store.list()).toEqual({ pending: [], paired: [node] });
    expect(store.observeConnect(surface())).toEqual({ status: "approved", node });
    expect(store.observeConnect(surface({ commands: ["camera.snap"] }))).toEqual({
      status: "approved",
      node,
    });
    const wider = store.observeConnect(surface({ commands: ["camera.snap", "system.run", "screen.record"] }));
    expect(wider).toMatchObject({ status: "pending", created: true });
    expect(store.list().paired).toEqual([node]);
  });

  it("lets a node's new surface replace its older pending request", async () => {
    const store = await open();
    const older = pendingId(store, surface());
    const newer = pendingId(store, surface({ caps: ["camera", "screen"] }));
    expect(newer).not.toBe(older);
    expect(store.list().pending.map((request) => request.requestId)).toEqual([newer]);
    expect(() => store.approve(older)).toThrowError(
      expect.objectContaining({
        code: "INVALID_REQUEST",
        details: { code: "PAIRING_REQUEST_NOT_FOUND", requestId: older },
      }),
    );
  });

  it("rejects a request without approving anything, and removes a paired node once", async () => {
    const store = await open();
    const rejected = pendingId(store, surface({ nodeId: "pi-1" }));
    expect(store.reject(rejected)).toMatchObject({ requestId: rejected, nodeId: "pi-1" });
    expect(store.list()).toEqual({ pending: [], paired: [] });
    expect(() => store.reject(rejected)).toThrowError(/no pending node pairing request/);
    store.approve(pendingId(store, surface()));
    expect(store.remove("mac-1")).toBe(true);
    expect(store.remove("mac-1")).toBe(false);
    expect(store.observeConnect(surface())).toMatchObject({ status: "pending", created: true });
  });

  it("lists several nodes in the order they asked and were approved", async () => {
    const store = await open();
    const a = pendingId(store, surface({ nodeId: "a" }));
    clock += 1;
    const b = pendingId(store, surface({ nodeId: "b" }));
    expect(store.list().pending.map((request) => request.nodeId)).toEqual(["a", "b"]);
    clock += 1;
    store.approve(b);
    clock += 1;
    store.approve(a);
    expect(store.list().paired.map((node) => node.nodeId)).toEqual(["b", "a"]);
  });
});

describe("openTableNodePairingStore", () => {
  it("imports nodes/pairing.json once, leaving the file as it was, and keeps flushed changes", async () => {
    const files = createNodePairingStore({ stateDir, now });
    const approved = files.approve(pendingId(files, surface({ nodeId: "a" })));
    const waiting = pendingId(files, surface({ nodeId: "b" }));
    const before = await readFile(files.path, "utf8");

    const store = await openTableNodePairingStore({ storage, stateDir, now });
    expect(store.list()).toEqual(files.list());
    expect(store.observeConnect(surface({ nodeId: "a" }))).toEqual({ status: "approved", node: approved });
    expect(await readFile(files.path, "utf8")).toBe(before);

    store.approve(waiting);
    await store.flush();
    files.remove("a");
    const reopened = await openTableNodePairingStore({ storage, stateDir, now });
    expect(reopened.list().pending).toEqual([]);
    expect(
      reopened
        .list()
        .paired.map((node) => node.nodeId)
        .sort(),
    ).toEqual(["a", "b"]);
  });
});
