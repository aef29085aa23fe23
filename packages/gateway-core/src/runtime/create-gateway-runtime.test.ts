import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfigPaths } from "../config/index.js";
import type { BroadcastTarget } from "./broadcast-hub.js";
import { createGatewayRuntime, type GatewayRuntimeHandle } from "./create-gateway-runtime.js";
import type { GatewayRuntimeDeps } from "./gateway-runtime-deps.js";

let stateDir: string;
let handle: GatewayRuntimeHandle | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-runtime-"));
});

afterEach(async () => {
  await handle?.close();
  handle = undefined;
  await rm(stateDir, { recursive: true, force: true });
});

function deps(extra: Partial<GatewayRuntimeDeps> = {}): GatewayRuntimeDeps {
  return {
    paths: resolveConfigPaths({ env: {}, stateDir }),
    env: {},
    bind: { mode: "loopback", host: "127.0.0.1", port: () => 18789, extraHosts: () => [] },
    version: "test",
    tickIntervalMs: 30_000,
    ...extra,
  };
}

/** A connection as the hub sees it, recording the frames it was sent. */
function target(scopes: string[]): BroadcastTarget & { frames: string[] } {
  const frames: string[] = [];
  return { isOpen: true, scopes, frames, sendBroadcast: (frame) => frames.push(`${frame}}`) };
}

describe("createGatewayRuntime", () => {
  it("builds a runtime without a transport, over the injected storage, clock and connections", async () => {
    const storage = createMemoryStorage();
    const reader = target(["operator.read"]);
    const pairer = target(["operator.pairing"]);
    handle = await createGatewayRuntime(
      deps({ storage, clock: { now: () => 1_000_000 }, connections: new Set([reader, pairer]) }),
    );
    const { runtime } = handle;
    expect(runtime.startedAt).toBe(1_000_000);
    expect(runtime.bind).toEqual({ mode: "loopback", host: "127.0.0.1", port: 18789 });
    expect(runtime.connectionCount()).toBe(2);

    await runtime.sessions.patch("agent:main:main", { label: "Inbox" });
    expect((await storage.getSession("agent:main:main"))?.entry).toMatchObject({ label: "Inbox" });
    const health = await runtime.healthSnapshot();
    expect(health).toMatchObject({ ok: true, ts: 1_000_000, sessions: { count: 1 } });

    runtime.broadcast("notes.added", { text: "x" }, "operator.read");
    expect(reader.frames.map((frame) => JSON.parse(frame))).toEqual([
      expect.objectContaining({ type: "event", event: "notes.added", payload: { text: "x" } }),
    ]);
    expect(pairer.frames).toEqual([]);

    await handle.start();
    await handle.close();
    // An injected storage stays its owner's: still open after the runtime closed.
    await expect(storage.countSessions()).resolves.toBe(1);
  });

  it("keeps the legacy file layout when no storage driver is registered or configured", async () => {
    handle = await createGatewayRuntime(deps());
    expect(handle.runtime.storage).toBeUndefined();
    await handle.runtime.sessions.patch("agent:main:main", { label: "Files" });
    expect(handle.runtime.sessions.indexPath).toBe(
      join(stateDir, "agents", "main", "sessions", "sessions.json"),
    );
  });
});
