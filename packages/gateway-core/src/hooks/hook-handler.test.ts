import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { HooksConfigSchema } from "../config/hooks-config-schema.js";
import type { HookDelivery } from "./hook-completion.js";
import { closeHarnesses, HOOK_TOKEN, post, startHarness } from "./hook-test-harness.js";

const GATEWAY_TOKEN = "gateway-secret-fedcba9876543210";

afterEach(closeHarnesses);

describe("hook authentication", () => {
  it("refuses a wrong token with 401, counts it, and throttles with 429 once the limit is reached", async () => {
    const harness = await startHarness();
    const wrong = { authorization: "Bearer not-the-hook-token" };
    const first = await post(harness, "/hooks/agent", { message: "hi" }, wrong);
    expect(first.status).toBe(401);
    expect(first.json.ok).toBe(false);
    expect(first.json.error.code).toBe("UNAUTHORIZED");
    expect(first.json.error.message).toContain("hooks.token");
    expect(harness.limiter.trackedAddresses).toBe(1);

    const missing = await post(harness, "/hooks/agent", { message: "hi" }, {});
    expect(missing.status).toBe(401);
    expect(missing.json.error.message).toContain("missing");

    const third = await post(harness, "/hooks/agent", { message: "hi" }, { "x-openclaw-token": "nope" });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);

    // Locked out: even the right token waits until the lockout ends.
    const locked = await post(harness, "/hooks/agent", { message: "hi" });
    expect(locked.status).toBe(429);
    expect(harness.chat.starts).toHaveLength(0);
  });

  it("does not accept the gateway token as a hook token", async () => {
    const harness = await startHarness();
    const bearer = await post(
      harness,
      "/hooks/agent",
      { message: "hi" },
      { authorization: `Bearer ${GATEWAY_TOKEN}` },
    );
    expect(bearer.status).toBe(401);
    const header = await post(harness, "/hooks/wake", { text: "hi" }, { "x-openclaw-token": GATEWAY_TOKEN });
    expect(header.status).toBe(401);
    expect(harness.chat.starts).toHaveLength(0);
  });

  it("refuses a token in the query string even alongside a valid header", async () => {
    const harness = await startHarness();
    const result = await post(harness, `/hooks/agent?token=${HOOK_TOKEN}`, { message: "hi" });
    expect(result.status).toBe(400);
    expect(result.json.error.code).toBe("QUERY_TOKEN_REFUSED");
    expect(harness.chat.starts).toHaveLength(0);
  });

  it("never writes the hook token or the message into the log", async () => {
    const harness = await startHarness();
    await post(
      harness,
      "/hooks/agent",
      { message: "private words" },
      { authorization: `Bearer ${HOOK_TOKEN}x` },
    );
    const pending = post(harness, "/hooks/agent", { message: "private words", waitForCompletion: true });
    await expect.poll(() => harness.chat.starts.length).toBe(1);
    harness.chat.finish(harness.chat.starts[0]?.runId ?? "", "private answer");
    expect((await pending).status).toBe(200);
    const messages = harness.logs.map((record) => record.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        "hook authentication failed",
        "hook agent run admitted",
        "hook agent run completed",
      ]),
    );
    const logged = JSON.stringify(harness.logs);
    expect(logged).not.toContain(HOOK_TOKEN);
    expect(logged).not.toContain("private");
  });
});

describe("POST /hooks/agent", () => {
  it("starts a run with the right token and answers 200 with its runId", async () => {
    const harness = await startHarness();
    const result = await post(harness, "/hooks/agent", { message: "Summarize the import", name: "Importer" });
    expect(result.status).toBe(200);
    expect(result.json.ok).toBe(true);
    expect(harness.chat.starts).toHaveLength(1);
    const started = harness.chat.starts[0];
    expect(result.json.runId).toBe(started?.runId);
    expect(started?.message).toBe("Summarize the import");
    expect(started?.agentId).toBe("main");
    expect(started?.sessionKey).toMatch(/^agent:main:hook:[0-9a-f-]{36}$/);
    expect(result.json.sessionKey).toBe(started?.sessionKey);
    expect(started?.extraSystemPrompt).toContain("untrusted");

    const viaHeader = await post(
      harness,
      "/hooks/agent",
      { message: "again" },
      { "x-openclaw-token": HOOK_TOKEN },
    );
    expect(viaHeader.status).toBe(200);
    expect(harness.chat.starts).toHaveLength(2);
    // Isolated by default: each request gets its own session.
    expect(harness.chat.starts[1]?.sessionKey).not.toBe(started?.sessionKey);
  });

  it("does not start a second run for a repeated idempotency key", async () => {
    const harness = await startHarness();
    const headers = { authorization: `Bearer ${HOOK_TOKEN}`, "idempotency-key": "delivery-42" };
    const first = await post(harness, "/hooks/agent", { message: "once" }, headers);
    const second = await post(harness, "/hooks/agent", { message: "once" }, headers);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.json.runId).toBe(first.json.runId);
    expect(harness.chat.starts).toHaveLength(1);

    const bodyKey = { message: "body keyed", idempotencyKey: "delivery-43" };
    const third = await post(harness, "/hooks/agent", bodyKey);
    const fourth = await post(harness, "/hooks/agent", bodyKey);
    expect(fourth.json.runId).toBe(third.json.runId);
    expect(harness.chat.starts).toHaveLength(2);

    // The same key with a different message is a different request.
    const changed = await post(harness, "/hooks/agent", { message: "different" }, headers);
    expect(changed.json.runId).not.toBe(first.json.runId);
    expect(harness.chat.starts).toHaveLength(3);
  });

  it("waits for the run and reports completion when asked, also on replay", async () => {
    const harness = await startHarness();
    const headers = { authorization: `Bearer ${HOOK_TOKEN}`, "idempotency-key": "wait-1" };
    const pending = post(harness, "/hooks/agent", { message: "wait", waitForCompletion: true }, headers);
    await expect.poll(() => harness.chat.starts.length).toBe(1);
    harness.chat.finish(harness.chat.starts[0]?.runId ?? "");
    const result = await pending;
    expect(result.status).toBe(200);
    expect(result.json.completion).toEqual({
      status: "ok",
      replyDisposition: "visible",
      delivered: false,
      deliveryAttempted: false,
    });
    const replay = await post(harness, "/hooks/agent", { message: "wait", waitForCompletion: true }, headers);
    expect(replay.json.runId).toBe(result.json.runId);
    expect(replay.json.completion.status).toBe("ok");
    expect(harness.chat.starts).toHaveLength(1);
  });

  it("delivers the answer to channel and to through the injected delivery", async () => {
    const deliveries: HookDelivery[] = [];
    const harness = await startHarness(undefined, {
      deliver: async (delivery) => {
        deliveries.push(delivery);
      },
    });
    const pending = post(harness, "/hooks/agent", {
      message: "tell them",
      channel: "telegram",
      to: "12345",
      waitForCompletion: true,
    });
    await expect.poll(() => harness.chat.starts.length).toBe(1);
    harness.chat.finish(harness.chat.starts[0]?.runId ?? "", "the answer");
    const result = await pending;
    expect(result.json.completion.delivered).toBe(true);
    expect(deliveries).toEqual([
      expect.objectContaining({ channel: "telegram", to: "12345", text: "the answer", agentId: "main" }),
    ]);
  });

  it("refuses a partial destination, and any destination when no delivery is wired", async () => {
    const harness = await startHarness();
    const partial = await post(harness, "/hooks/agent", { message: "x", channel: "telegram" });
    expect(partial.status).toBe(400);
    expect(partial.json.error.code).toBe("DELIVERY_INVALID");
    const unwired = await post(harness, "/hooks/agent", { message: "x", channel: "telegram", to: "1" });
    expect(unwired.status).toBe(400);
    expect(unwired.json.error.message).toContain("deliver: false");
    const suppressed = await post(harness, "/hooks/agent", {
      message: "x",
      channel: "telegram",
      deliver: false,
    });
    expect(suppressed.status).toBe(200);
    expect(harness.chat.starts).toHaveLength(1);
  });

  it("applies the agent allowlist and refuses unknown agents", async () => {
    const harness = await startHarness(
      { enabled: true, token: HOOK_TOKEN, allowedAgentIds: ["main"] },
      { agents: () => ({ ids: ["main", "ops"], defaultId: "main" }) },
    );
    const unknown = await post(harness, "/hooks/agent", { message: "x", agentId: "ghost" });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain("main, ops");
    const blocked = await post(harness, "/hooks/agent", { message: "x", agentId: "ops" });
    expect(blocked.status).toBe(400);
    expect(blocked.json.error.code).toBe("AGENT_NOT_ALLOWED");
    expect(harness.chat.starts).toHaveLength(0);
  });

  it("refuses a caller session key unless allowed, and holds it to the prefixes", async () => {
    const harness = await startHarness();
    const refused = await post(harness, "/hooks/agent", { message: "x", sessionKey: "hook:ingress" });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toContain("hooks.allowRequestSessionKey");

    harness.setConfig({
      enabled: true,
      token: HOOK_TOKEN,
      allowRequestSessionKey: true,
      allowedSessionKeyPrefixes: ["hook:"],
    });
    const outside = await post(harness, "/hooks/agent", { message: "x", sessionKey: "cron:nightly" });
    expect(outside.status).toBe(400);
    expect(outside.json.error.code).toBe("SESSION_KEY_NOT_ALLOWED");
    const persistent = await post(harness, "/hooks/agent", {
      message: "x",
      sessionKey: "hook:ingress",
      sessionMode: "persistent",
    });
    expect(persistent.status).toBe(200);
    expect(harness.chat.starts[0]?.sessionKey).toBe("agent:main:hook:ingress");
  });

  it("answers 400 for invalid JSON and for a payload without a message", async () => {
    const harness = await startHarness();
    const broken = await post(harness, "/hooks/agent", "{not json");
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe("INVALID_JSON");
    const empty = await post(harness, "/hooks/agent", { message: "  " });
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toContain("message");
    expect(harness.chat.starts).toHaveLength(0);
  });

  it("answers 413 for a body over the limit, declared or streamed", async () => {
    const harness = await startHarness();
    const big = { message: "x".repeat(300 * 1024) };
    const declared = await post(harness, "/hooks/agent", big);
    expect(declared.status).toBe(413);
    expect(declared.json.error.code).toBe("BODY_TOO_LARGE");

    const streamed = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${harness.url}/hooks/agent`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${HOOK_TOKEN}`, "transfer-encoding": "chunked" },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.write(JSON.stringify(big));
      request.end();
    });
    expect(streamed).toBe(413);
    expect(harness.chat.starts).toHaveLength(0);
  });

  it("answers 408 when the body does not arrive in time", async () => {
    const harness = await startHarness(undefined, { bodyTimeoutMs: 50 });
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${harness.url}/hooks/agent`,
        { method: "POST", headers: { authorization: `Bearer ${HOOK_TOKEN}`, "content-length": "100" } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
          request.destroy();
        },
      );
      request.on("error", reject);
      request.write("{");
    });
    expect(status).toBe(408);
  });
});

describe("POST /hooks/wake", () => {
  it("runs the text on the main session and coalesces an identical pending wake", async () => {
    const harness = await startHarness();
    const first = await post(harness, "/hooks/wake", { text: "import completed" });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ ok: true, mode: "now", eventOutcome: "queued" });
    expect(harness.chat.starts[0]).toMatchObject({
      sessionKey: "agent:main:main",
      message: "import completed",
    });

    const again = await post(harness, "/hooks/wake", { text: "import completed" });
    expect(again.json.eventOutcome).toBe("coalesced");
    expect(again.json.runId).toBe(first.json.runId);
    expect(harness.chat.starts).toHaveLength(1);

    harness.chat.finish(first.json.runId);
    await expect
      .poll(async () => (await post(harness, "/hooks/wake", { text: "import completed" })).json.eventOutcome)
      .toBe("queued");
  });

  it("hands a next-heartbeat wake to the agent's heartbeat when it runs one, and runs it now otherwise", async () => {
    const queued: { agentId: string; text: string }[] = [];
    let scheduled = true;
    const harness = await startHarness(undefined, {
      heartbeat: {
        hasScheduledHeartbeat: () => scheduled,
        enqueueSystemEvent: (agentId, text) => queued.push({ agentId, text }),
      },
    });
    const deferred = await post(harness, "/hooks/wake", { text: "disk almost full", mode: "next-heartbeat" });
    expect(deferred.json).toMatchObject({ ok: true, mode: "next-heartbeat", eventOutcome: "queued" });
    expect(queued).toEqual([{ agentId: "main", text: "disk almost full" }]);
    expect(harness.chat.starts).toHaveLength(0);

    scheduled = false;
    const now = await post(harness, "/hooks/wake", { text: "disk full", mode: "next-heartbeat" });
    expect(now.json).toMatchObject({ ok: true, eventOutcome: "queued" });
    expect(harness.chat.starts).toHaveLength(1);
  });

  it("refuses a session key on a deferred wake", async () => {
    const harness = await startHarness({ enabled: true, token: HOOK_TOKEN, allowRequestSessionKey: true });
    const result = await post(harness, "/hooks/wake", {
      text: "x",
      mode: "next-heartbeat",
      sessionKey: "hook:a",
    });
    expect(result.status).toBe(400);
    expect(result.json.error.message).toContain('mode "now"');
  });
});

describe("routing and configuration", () => {
  it("answers 404 with the fix while hooks are disabled, and leaves other paths to the router", async () => {
    const harness = await startHarness({ enabled: false, token: HOOK_TOKEN });
    const off = await post(harness, "/hooks/wake", { text: "hi" });
    expect(off.status).toBe(404);
    harness.setConfig(undefined);
    const disabled = await post(harness, "/hooks/agent", { message: "hi" });
    expect(disabled.status).toBe(404);
    expect(disabled.json.error.code).toBe("HOOKS_DISABLED");
    expect(disabled.json.error.message).toContain("hooks.enabled");
    expect(disabled.json.error.message).toContain("hooks.token");
    const elsewhere = await post(harness, "/v1/other", {});
    expect(elsewhere.json).toBe("router: no route");
    expect(harness.chat.starts).toHaveLength(0);
  });

  it("serves a custom hooks.path, answers 405 to GET and 404 to unknown hooks", async () => {
    const harness = await startHarness({ enabled: true, token: HOOK_TOKEN, path: "ingress/" });
    const moved = await post(harness, "/ingress/agent", { message: "hi" });
    expect(moved.status).toBe(200);
    const oldPath = await post(harness, "/hooks/agent", { message: "hi" });
    expect(oldPath.json).toBe("router: no route");
    const get = await fetch(`${harness.url}/ingress/agent`, {
      headers: { authorization: `Bearer ${HOOK_TOKEN}` },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    await get.text();
    const unknown = await post(harness, "/ingress/gmail", {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("HOOK_NOT_FOUND");
  });

  it("validates hooks config the way OpenClaw documents it", () => {
    expect(HooksConfigSchema.safeParse({ enabled: false }).success).toBe(true);
    const noToken = HooksConfigSchema.safeParse({ enabled: true });
    expect(noToken.success).toBe(false);
    expect(noToken.error?.issues[0]?.message).toContain("hooks.token");
    expect(HooksConfigSchema.safeParse({ enabled: true, token: "t", path: "/" }).success).toBe(false);
    const passthrough = HooksConfigSchema.parse({
      enabled: false,
      mappings: [{ id: "a" }],
      gmail: { account: "x" },
    });
    expect(passthrough.mappings).toEqual([{ id: "a" }]);
  });
});
