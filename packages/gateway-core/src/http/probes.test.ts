import { join } from "node:path";
import { createSqliteStorage } from "@openclaw/store-sqlite";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { markDraining } from "./probes.js";

const env = useIntegrationEnv();

/** The readiness verdict is reused for a second; wait until a fresh one says `status`. */
async function readyzUntil(url: string, status: number): Promise<Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await fetch(`${url}/readyz`);
    if (response.status === status || Date.now() > deadline) return response;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("probes for orchestrators: /healthz and /readyz", () => {
  it("answer without a credential and say only ok and status", async () => {
    const { server } = await env.start();
    const live = await fetch(`${server.httpUrl}/healthz`);
    expect(live.status).toBe(200);
    expect(live.headers.get("cache-control")).toBe("no-store");
    expect(await live.json()).toEqual({ ok: true, status: "live" });

    const ready = await fetch(`${server.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, status: "ready" });

    const head = await fetch(`${server.httpUrl}/readyz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const post = await fetch(`${server.httpUrl}/healthz`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answer an orchestrator that names the container's address as Host (no host policy on probes)", async () => {
    const { server } = await env.start();
    const response = await fetch(`${server.httpUrl}/healthz`, { headers: { host: "10.1.2.3:18789" } });
    expect(response.status).toBe(200);
  });

  it("/readyz flips to 503 naming storage when the storage stops, while /healthz stays live", async () => {
    const stateDir = await env.makeStateDir();
    const storage = await createSqliteStorage({ path: join(stateDir, "probe.sqlite") });
    const { server } = await env.start({ stateDir, storage });
    expect((await fetch(`${server.httpUrl}/readyz`)).status).toBe(200);

    await storage.close();
    const notReady = await readyzUntil(server.httpUrl, 503);
    expect(notReady.status).toBe(503);
    // This caller is on the same machine, so it is told which check fails.
    expect(await notReady.json()).toEqual({ ok: false, status: "not-ready", failing: ["storage"] });
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  });

  it("/readyz answers 503 draining once the gateway starts to close, /healthz still live", async () => {
    const { server } = await env.start();
    expect((await fetch(`${server.httpUrl}/readyz`)).status).toBe(200);
    // What close() does first; marking directly keeps the window open for the assertion.
    markDraining(server.runtime);
    const draining = await fetch(`${server.httpUrl}/readyz`);
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ ok: false, status: "draining" });
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  });
});
