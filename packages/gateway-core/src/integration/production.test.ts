import { execFileSync } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

function selfSignedCertificate(dir: string): { certPath: string; keyPath: string } {
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"].concat([
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyPath,
      "-out",
      certPath,
    ]),
    { stdio: "ignore" },
  );
  return { certPath, keyPath };
}

function getHealth(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${url}/v1/health`,
      { headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: false },
      (response) => {
        let body = "";
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("TLS", () => {
  it("serves wss:// and https:// with the configured certificate", async () => {
    const stateDir = await env.makeStateDir();
    const tls = selfSignedCertificate(stateDir);
    const gateway = await env.start({ stateDir, config: { gateway: { tls: { enabled: true, ...tls } } } });
    expect(gateway.server.url).toMatch(/^wss:\/\//);
    expect(await getHealth(gateway.server.httpUrl, gateway.token)).toEqual({
      status: 200,
      body: '{"status":"ok"}',
    });
    const challenge = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(gateway.server.url, { rejectUnauthorized: false });
      ws.once("message", (data) => {
        resolve(JSON.parse(data.toString()).event);
        ws.close();
      });
      ws.once("error", reject);
    });
    expect(challenge).toBe("connect.challenge");
  });

  it("refuses to start with a missing certificate and says which setting to fix", async () => {
    await expect(
      env.start({
        config: { gateway: { tls: { enabled: true, certPath: "/nope/cert.pem", keyPath: "/nope/key.pem" } } },
      }),
    ).rejects.toThrow(/gateway\.tls\.certPath/);
  });
});

describe("trusted proxies", () => {
  const authFailures = async (url: string, forwardedFor?: string) => {
    const response = await fetch(`${url}/v1/health`, {
      headers: {
        authorization: "Bearer wrong",
        ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
      },
    });
    return response.status;
  };

  it("limits each forwarded client separately and never treats a proxied client as loopback", async () => {
    const gateway = await env.start({
      config: {
        gateway: {
          trustedProxies: ["127.0.0.1"],
          auth: { rateLimit: { maxAttempts: 2, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: true } },
        },
      },
    });
    const url = gateway.server.httpUrl;
    expect(await authFailures(url, "203.0.113.9")).toBe(401);
    expect(await authFailures(url, "203.0.113.9")).toBe(429);
    expect(await authFailures(url, "198.51.100.7")).toBe(401);
    // A client claiming to be localhost through the proxy is still limited.
    expect(await authFailures(url, "127.0.0.1")).toBe(401);
    expect(await authFailures(url, "127.0.0.1")).toBe(429);
    // Direct loopback traffic keeps its exemption.
    expect(await authFailures(url)).toBe(401);
    expect(await authFailures(url)).toBe(401);
    expect(await authFailures(url)).toBe(401);
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    const gateway = await env.start({
      config: { gateway: { auth: { rateLimit: { maxAttempts: 2, windowMs: 60_000, lockoutMs: 60_000 } } } },
    });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      // Loopback (exempt) is who really asks; the header is not believed.
      expect(await authFailures(gateway.server.httpUrl, "203.0.113.9")).toBe(401);
    }
  });
});

/** A stand-in `tailscale` CLI that records its arguments and reports a running tailnet node. */
async function fakeTailscale(dir: string): Promise<{ bin: string; calls(): Promise<string[]> }> {
  const bin = join(dir, "tailscale");
  const log = join(dir, "tailscale-argv.log");
  const status = JSON.stringify({ BackendState: "Running", Self: { DNSName: "gw.tail1234.ts.net." } });
  await writeFile(
    bin,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nif [ "$1" = "status" ]; then printf '%s\\n' '${status}'; fi\nexit 0\n`,
  );
  await chmod(bin, 0o755);
  return {
    bin,
    calls: async () => (await readFile(log, "utf8").catch(() => "")).split("\n").filter(Boolean),
  };
}

describe("Tailscale serve and funnel", () => {
  it("serves the gateway on the tailnet and resets it on exit when asked", async () => {
    const stateDir = await env.makeStateDir();
    const tailscale = await fakeTailscale(stateDir);
    const gateway = await env.start({
      stateDir,
      tailscaleBin: tailscale.bin,
      config: { gateway: { tailscale: { mode: "serve", resetOnExit: true } } },
    });
    expect(gateway.server.tailscaleUrl).toBe("https://gw.tail1234.ts.net/");
    expect(await tailscale.calls()).toEqual(["status --json", `serve --bg --yes ${gateway.server.port}`]);
    await gateway.server.close();
    expect((await tailscale.calls()).at(-1)).toBe("serve reset");
  });

  it("refuses funnel without password auth, before anything is exposed", async () => {
    const stateDir = await env.makeStateDir();
    const tailscale = await fakeTailscale(stateDir);
    await expect(
      env.start({
        stateDir,
        tailscaleBin: tailscale.bin,
        config: { gateway: { tailscale: { mode: "funnel" } } },
      }),
    ).rejects.toMatchObject({ code: "TAILSCALE_FUNNEL_NEEDS_PASSWORD" });
    expect(await tailscale.calls()).toEqual([]);
  });
});
