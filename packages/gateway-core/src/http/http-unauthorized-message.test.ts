import { describe, expect, it } from "vitest";
import { expectConnectRefused, useIntegrationEnv } from "../integration/harness.js";

const env = useIntegrationEnv();

const OPENAI_ON = {
  gateway: { http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } } },
};
const TOKEN_HINT = 'unauthorized: send the gateway token as "Authorization: Bearer <token>"';
const PASSWORD_HINT = 'unauthorized: send the gateway password as "Authorization: Bearer <password>"';

describe("an HTTP request without the gateway credential (issue 17)", () => {
  it("is told to send the token as a Bearer header, in OpenAI's error shape on /v1/*", async () => {
    const { server, token } = await env.start({ config: OPENAI_ON });

    const models = await fetch(`${server.httpUrl}/v1/models`);
    expect(models.status).toBe(401);
    expect(models.headers.get("content-type")).toContain("application/json");
    expect(await models.json()).toEqual({
      error: { message: TOKEN_HINT, type: "invalid_request_error", param: null, code: "invalid_api_key" },
    });

    const completion = await fetch(`${server.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(completion.status).toBe(401);
    expect(((await completion.json()) as { error: { message: string } }).error.message).toBe(TOKEN_HINT);

    const authorized = await fetch(`${server.httpUrl}/v1/models`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(authorized.status).toBe(200);
  });

  it("gets the same hint from /health and /tools/invoke, in their own shapes", async () => {
    const { server } = await env.start();

    const health = await fetch(`${server.httpUrl}/health`);
    expect(health.status).toBe(401);
    expect(health.headers.get("www-authenticate")).toBe('Bearer realm="openclaw"');
    expect(await health.json()).toMatchObject({
      error: { code: "INVALID_REQUEST", message: TOKEN_HINT, details: { code: "AUTH_TOKEN_MISSING" } },
    });

    const invoke = await fetch(`${server.httpUrl}/tools/invoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tool: "sessions_list" }),
    });
    expect(invoke.status).toBe(401);
    expect(await invoke.json()).toEqual({ error: { message: TOKEN_HINT, type: "unauthorized" } });
  });

  it("names the password, which HTTP takes as the Bearer value too, in password mode", async () => {
    const { server } = await env.start({ auth: { mode: "password", password: "hunter2" } });

    const refused = await fetch(`${server.httpUrl}/health`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(PASSWORD_HINT);

    const accepted = await fetch(`${server.httpUrl}/health`, {
      headers: { authorization: "Bearer hunter2" },
    });
    expect(accepted.status).toBe(200);
  });

  it("keeps a mismatch message as it was, and the WebSocket hint for a WebSocket client", async () => {
    const { server } = await env.start();
    const wrong = await fetch(`${server.httpUrl}/health`, { headers: { authorization: "Bearer nope" } });
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
      "the gateway token does not match",
    );

    const { error } = await expectConnectRefused(env, server.url, {});
    expect(error.message).toBe("this gateway requires a token: pass auth.token in connect");
  });
});
