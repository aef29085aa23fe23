import { openRawUpgrade } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../harness.js";
import { rawHttp } from "./wire-helpers.js";

const env = useIntegrationEnv();

async function noAuthGateway() {
  return env.start({
    auth: { mode: "none" },
    openAiChatCompletionsEnabled: true,
  });
}

describe("DNS rebinding and cross-site requests", () => {
  it("refuses a WebSocket upgrade whose Host and Origin both name the attacker's domain (421)", async () => {
    const gateway = await noAuthGateway();
    const port = Number(new URL(gateway.server.url).port);
    const rebound = await openRawUpgrade({
      port,
      headers: { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` },
    });
    env.defer(() => rebound.socket.destroy());
    expect(rebound.status).toBe(421);
    expect(rebound.response).toContain("gateway.controlUi.allowedOrigins");

    const foreignOrigin = await openRawUpgrade({ port, headers: { Origin: "http://evil.example" } });
    env.defer(() => foreignOrigin.socket.destroy());
    expect(foreignOrigin.status).toBe(403);

    const ownOrigin = await openRawUpgrade({ port, headers: { Origin: `http://127.0.0.1:${port}` } });
    env.defer(() => ownOrigin.socket.destroy());
    expect(ownOrigin.status).toBe(101);
  });

  it("accepts a host the operator listed in gateway.controlUi.allowedOrigins", async () => {
    const gateway = await env.start({
      config: { gateway: { controlUi: { allowedOrigins: ["https://control.example.com"] } } },
    });
    const port = Number(new URL(gateway.server.url).port);
    const listed = await openRawUpgrade({
      port,
      headers: { Host: "control.example.com", Origin: "https://control.example.com" },
    });
    env.defer(() => listed.socket.destroy());
    expect(listed.status).toBe(101);
  });

  it("answers no HTTP route under a foreign Host, and no API call from a foreign Origin", async () => {
    const gateway = await noAuthGateway();
    const port = Number(new URL(gateway.server.url).port);
    const rebound = await rawHttp(gateway.server.httpUrl, {
      path: "/v1/health",
      headers: { host: `evil.example:${port}` },
    });
    expect(rebound.status).toBe(421);
    const crossSite = await rawHttp(gateway.server.httpUrl, {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { origin: "http://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(crossSite.status).toBe(403);
  });

  it("refuses a text/plain POST (a simple cross-site request) to /v1/chat/completions with 415, starting no turn", async () => {
    const gateway = await noAuthGateway();
    const before = (await gateway.server.runtime.sessions.list({ limit: 10 })).rows.length;
    const answer = await rawHttp(gateway.server.httpUrl, {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }], user: "x" }),
    });
    expect(answer.status).toBe(415);
    expect(answer.body).toContain("application/json");
    expect((await gateway.server.runtime.sessions.list({ limit: 10 })).rows.length).toBe(before);
  });
});
