import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  type ConnectOptions,
  expectConnectRefused,
  type IntegrationEnv,
  type TestGateway,
  useIntegrationEnv,
  type WireError,
  writeConfig,
} from "./harness.js";

const env = useIntegrationEnv();

async function refusal(gateway: TestGateway, options: ConnectOptions): Promise<WireError> {
  return (await expectConnectRefused(env, gateway.server.url, options)).error;
}

function rateLimitedConfig(token: string, limits: Record<string, unknown>): Record<string, unknown> {
  return { gateway: { auth: { mode: "token", token, rateLimit: { exemptLoopback: false, ...limits } } } };
}

async function httpHealth(gateway: TestGateway, bearer?: string): Promise<Response> {
  return fetch(`${gateway.server.httpUrl}/v1/health`, {
    headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
  });
}

async function connectsWith(testEnv: IntegrationEnv, gateway: TestGateway, token: string): Promise<void> {
  const { hello } = await testEnv.connect(gateway, { token });
  expect(hello.type).toBe("hello-ok");
}

describe("token and password auth", () => {
  it("refuses a wrong token with AUTH_TOKEN_MISMATCH and closes", async () => {
    const gateway = await env.start();
    const { error, close } = await expectConnectRefused(env, gateway.server.url, { token: "wrong" });
    expect(error.details?.code).toBe("AUTH_TOKEN_MISMATCH");
    expect(close.code).not.toBe(1000);
  });

  it("refuses a connect without a token with AUTH_TOKEN_MISSING", async () => {
    const gateway = await env.start();
    expect((await refusal(gateway, {})).details?.code).toBe("AUTH_TOKEN_MISSING");
  });

  it("password mode accepts the password and refuses a wrong or missing one", async () => {
    const gateway = await env.start({ auth: { mode: "password", password: "correct horse battery" } });
    const { hello } = await env.connect(gateway, { password: "correct horse battery" });
    expect(hello.snapshot.authMode).toBe("password");
    expect((await refusal(gateway, { password: "wrong horse" })).details?.code).toBe(
      "AUTH_PASSWORD_MISMATCH",
    );
    expect((await refusal(gateway, {})).details?.code).toBe("AUTH_PASSWORD_MISSING");
    // A token is not a password: presenting the password as a token does not authenticate.
    expect((await refusal(gateway, { token: "correct horse battery" })).details?.code).toBe(
      "AUTH_PASSWORD_MISSING",
    );
  });
});

describe("auth rate limiter", () => {
  it("locks an address out after maxAttempts failures, refusing even the right token", async () => {
    const token = "limiter-token-1";
    const gateway = await env.start({
      useConfigAuth: true,
      config: rateLimitedConfig(token, { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000 }),
    });
    expect((await refusal(gateway, { token: "bad-1" })).details?.code).toBe("AUTH_TOKEN_MISMATCH");
    // Carrying a device token must not switch the limiter off (OpenClaw PR 57647).
    expect((await refusal(gateway, { token: "bad-2", deviceToken: "device-token" })).details?.code).toBe(
      "AUTH_TOKEN_MISMATCH",
    );
    const locked = await refusal(gateway, { token: "bad-3" });
    expect(locked.details?.code).toBe("AUTH_RATE_LIMITED");
    expect(locked.retryable).toBe(true);
    expect(locked.retryAfterMs).toBeGreaterThan(0);
    expect(locked.retryAfterMs).toBeLessThanOrEqual(60_000);

    const rightToken = await refusal(gateway, { token });
    expect(rightToken.details?.code).toBe("AUTH_RATE_LIMITED");
    expect(rightToken.retryAfterMs).toBeGreaterThan(0);
  });

  it("lets the right token in once the lockout has expired", async () => {
    const token = "limiter-token-2";
    const gateway = await env.start({
      useConfigAuth: true,
      config: rateLimitedConfig(token, { maxAttempts: 2, windowMs: 10_000, lockoutMs: 600 }),
    });
    await refusal(gateway, { token: "bad-1" });
    expect((await refusal(gateway, { token: "bad-2" })).details?.code).toBe("AUTH_RATE_LIMITED");
    const locked = await refusal(gateway, { token });
    expect(locked.details?.code).toBe("AUTH_RATE_LIMITED");
    expect(locked.retryAfterMs).toBeLessThanOrEqual(600);

    // The one timed wait in the suite: a lockout ends by time, and the server said how long.
    await new Promise((resolve) => setTimeout(resolve, (locked.retryAfterMs ?? 600) + 25));
    await connectsWith(env, gateway, token);
  });

  it("exempts loopback by default", async () => {
    const gateway = await env.start();
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect((await refusal(gateway, { token: `bad-${attempt}` })).details?.code).toBe("AUTH_TOKEN_MISMATCH");
    }
    await connectsWith(env, gateway, gateway.token);
  });
});

describe("HTTP /v1/health", () => {
  it("answers 200 {status: ok} with the bearer token and 401 without or with a wrong one", async () => {
    const gateway = await env.start();
    const ok = await httpHealth(gateway, gateway.token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    expect((await httpHealth(gateway)).status).toBe(401);
    expect((await httpHealth(gateway, "wrong")).status).toBe(401);
  });

  it("accepts the password as bearer in password mode", async () => {
    const gateway = await env.start({ auth: { mode: "password", password: "http-password" } });
    expect((await httpHealth(gateway, "http-password")).status).toBe(200);
    expect((await httpHealth(gateway, "other")).status).toBe(401);
  });

  it("answers 404 on unknown paths", async () => {
    const gateway = await env.start();
    const response = await fetch(`${gateway.server.httpUrl}/v1/nothing-here`, {
      headers: { authorization: `Bearer ${gateway.token}` },
    });
    expect(response.status).toBe(404);
  });

  it("counts HTTP failures in the same limiter as the WebSocket handshake (429 + Retry-After)", async () => {
    const token = "limiter-token-3";
    const gateway = await env.start({
      useConfigAuth: true,
      config: rateLimitedConfig(token, { maxAttempts: 3, windowMs: 60_000, lockoutMs: 60_000 }),
    });
    await refusal(gateway, { token: "bad-1" });
    expect((await httpHealth(gateway, "bad-2")).status).toBe(401);
    const limited = await httpHealth(gateway, "bad-3");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);

    expect((await httpHealth(gateway, token)).status).toBe(429);
    expect((await refusal(gateway, { token })).details?.code).toBe("AUTH_RATE_LIMITED");
  });
});

describe("scopes are granted by the server (GHSA-rqpp-rjj8-7wv8)", () => {
  it("a read-only credential cannot escalate by declaring operator.admin", async () => {
    const gateway = await env.start({ config: { gateway: { auth: { scopes: ["operator.read"] } } } });

    const { client, hello } = await env.connect(gateway, {
      scopes: ["operator.read", "operator.write", "operator.admin"],
    });
    expect(hello.auth.scopes).toEqual(["operator.read"]);

    const get = await client.call("config.get", {});
    const denied = await client.callError("config.set", {
      raw: "{}",
      baseHash: (get as { hash: string }).hash,
    });
    expect(denied.code).toBe("FORBIDDEN");
    expect(denied.details?.code).toBe("MISSING_SCOPE");
    expect(denied.details?.missingScope).toBe("operator.admin");

    const patch = await client.callError("sessions.patch", { key: "agent:main:main", label: "nope" });
    expect(patch.code).toBe("FORBIDDEN");
    expect(patch.details?.code).toBe("MISSING_SCOPE");

    const adminOnly = await env.connect(gateway, { scopes: ["operator.admin"] });
    expect(adminOnly.hello.auth.scopes).not.toContain("operator.admin");
    expect((await adminOnly.client.callError("agents.create", { name: "escalated" })).code).toBe("FORBIDDEN");

    const asksNothing = await env.connect(gateway);
    expect(asksNothing.hello.auth.scopes).toEqual(["operator.read"]);
  });

  it("a connection that asks for read only gets read only from a full credential", async () => {
    const gateway = await env.start();
    const { client, hello } = await env.connect(gateway, { scopes: ["operator.read"] });
    expect(hello.auth.scopes).toEqual(["operator.read"]);
    const error = await client.callError("sessions.reset", { key: "agent:main:main" });
    expect(error.details?.code).toBe("MISSING_SCOPE");
  });
});

describe("sessions.patch scope depends on its fields", () => {
  it("operator.write may set a label but needs operator.admin for privileged fields", async () => {
    const gateway = await env.start({
      config: { gateway: { auth: { scopes: ["operator.read", "operator.write"] } } },
    });
    const { client, hello } = await env.connect(gateway);
    expect([...hello.auth.scopes].sort()).toEqual(["operator.read", "operator.write"]);
    const labelled = await client.call("sessions.patch", { key: "agent:main:main", label: "Mine" });
    expect(labelled).toMatchObject({ ok: true });
    const privileged = await client.callError("sessions.patch", {
      key: "agent:main:main",
      verboseLevel: "full",
    });
    expect(privileged.code).toBe("FORBIDDEN");
    expect(privileged.details?.missingScope).toBe("operator.admin");
    expect((await client.callError("sessions.delete", { key: "agent:main:main" })).code).toBe("FORBIDDEN");
  });
});

describe("unauthenticated clients (CVE-2026-25593)", () => {
  it("cannot call config.apply before connect, and the config file is not written", async () => {
    const gateway = await env.start({ config: { session: { mainKey: "before" } } });
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    const response = await client.request("config.apply", {
      raw: JSON.stringify({ session: { mainKey: "hijacked" } }),
    });
    expect(response.ok).toBe(false);
    await client.waitForClose();
    expect(await readFile(gateway.configPath, "utf8")).toContain('"before"');
  });
});

describe("token rotation (GHSA-m8wm-r5vq-qjpg)", () => {
  it("a token changed on disk takes effect at the next connect and HTTP request", async () => {
    const first = "first-token-abc";
    const second = "second-token-defghij";
    const gateway = await env.start({
      useConfigAuth: true,
      config: { gateway: { auth: { mode: "token", token: first } } },
    });
    await connectsWith(env, gateway, first);
    expect((await httpHealth(gateway, first)).status).toBe(200);

    await writeConfig(gateway.stateDir, { gateway: { auth: { mode: "token", token: second } } });

    expect((await refusal(gateway, { token: first })).details?.code).toBe("AUTH_TOKEN_MISMATCH");
    await connectsWith(env, gateway, second);
    expect((await httpHealth(gateway, first)).status).toBe(401);
    expect((await httpHealth(gateway, second)).status).toBe(200);
  });

  it("a rotation to a token of the same length is noticed too", async () => {
    const first = "rotate-token-0001";
    const second = "rotate-token-0002";
    const gateway = await env.start({
      useConfigAuth: true,
      config: { gateway: { auth: { mode: "token", token: first } } },
    });
    await connectsWith(env, gateway, first);
    // Same size, written straight away: a change detector keyed on size and a coarse mtime would miss it.
    await writeFile(
      gateway.configPath,
      `${JSON.stringify({ gateway: { auth: { mode: "token", token: second } } }, null, 2)}\n`,
    );
    expect((await refusal(gateway, { token: first })).details?.code).toBe("AUTH_TOKEN_MISMATCH");
    await connectsWith(env, gateway, second);
  });
});
