import { describe, expect, it } from "vitest";
import { connectParams, type RawClient, useIntegrationEnv } from "../harness.js";

const env = useIntegrationEnv();
const TOKEN = "limiter-race-token-0123456789";
const MAX_ATTEMPTS = 10;

function racedConfig() {
  return {
    gateway: {
      auth: {
        mode: "token",
        token: TOKEN,
        rateLimit: { maxAttempts: MAX_ATTEMPTS, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false },
      },
    },
  };
}

function detailCode(frame: { error?: { details?: { code?: string } } }): string | undefined {
  return frame.error?.details?.code;
}

describe("the auth limiter under a parallel burst", () => {
  it("checks at most maxAttempts of 100 parallel wrong tokens, and refuses the right one sent in the same burst", async () => {
    const gateway = await env.start({
      useConfigAuth: true,
      config: racedConfig(),
      preAuth: { maxConnectionsPerAddress: 200 },
    });
    const sockets: RawClient[] = await Promise.all(
      Array.from({ length: 101 }, () => env.open(gateway.server.url)),
    );
    await Promise.all(sockets.map((socket) => socket.waitForEvent("connect.challenge")));
    // 100 wrong tokens leave in one tick; the right one follows while they are still being checked.
    const wrong = sockets
      .slice(0, 100)
      .map((socket, index) => socket.request("connect", connectParams({ token: `wrong-${index}` })));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const right = (sockets[100] as RawClient).request("connect", connectParams({ token: TOKEN }));
    const answers = await Promise.all([...wrong, right]);
    const checked = answers.filter((answer) => detailCode(answer) === "AUTH_TOKEN_MISMATCH").length;
    const limited = answers.filter((answer) => detailCode(answer) === "AUTH_RATE_LIMITED").length;
    expect(checked).toBeLessThanOrEqual(MAX_ATTEMPTS);
    expect(checked + limited).toBe(101);
    expect(answers[100]?.ok).toBe(false);
    expect(detailCode(answers[100] ?? {})).toBe("AUTH_RATE_LIMITED");
  });

  it("counts malformed pre-auth frames as failed attempts", async () => {
    const gateway = await env.start({ useConfigAuth: true, config: racedConfig() });
    for (let index = 0; index < MAX_ATTEMPTS; index += 1) {
      const socket = await env.open(gateway.server.url);
      await socket.waitForEvent("connect.challenge");
      socket.sendRaw(
        index % 2 === 0
          ? "{not json"
          : JSON.stringify({ type: "req", id: "c", method: "connect", params: { scopes: 7 } }),
      );
      await socket.waitForClose();
    }
    const socket = await env.open(gateway.server.url);
    await socket.waitForEvent("connect.challenge");
    const answer = await socket.request("connect", connectParams({ token: TOKEN }));
    expect(detailCode(answer)).toBe("AUTH_RATE_LIMITED");
  });

  it("HTTP bearer checks: of 100 parallel wrong tokens at most maxAttempts get 401, the rest and the right token 429", async () => {
    const gateway = await env.start({ useConfigAuth: true, config: racedConfig() });
    const health = (token: string) =>
      fetch(`${gateway.server.httpUrl}/v1/health`, { headers: { authorization: `Bearer ${token}` } }).then(
        (response) => response.status,
      );
    const wrong = Array.from({ length: 100 }, (_, index) => health(`wrong-${index}`));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const statuses = await Promise.all([...wrong, health(TOKEN)]);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(MAX_ATTEMPTS);
    expect(statuses.filter((status) => status === 401 || status === 429).length).toBe(101);
    expect(statuses[100]).toBe(429);
  });
});
