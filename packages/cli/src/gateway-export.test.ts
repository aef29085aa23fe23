import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("exports the programmatic API as openclaw/gateway", async () => {
  // Resolved through this package's own `exports` map, exactly as a user's `import` would be.
  const { startGatewayServer } = await import("openclaw/gateway");
  const stateDir = await mkdtemp(join(tmpdir(), "openclaw-export-"));
  const token = "c".repeat(64);
  const server = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token } });
  try {
    const response = await fetch(`${server.httpUrl}/v1/health`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await response.json()).toEqual({ status: "ok" });
  } finally {
    await server.close();
    await rm(stateDir, { recursive: true, force: true });
  }
});
