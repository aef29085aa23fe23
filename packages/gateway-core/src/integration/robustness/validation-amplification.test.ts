import { LIMITS, PRE_AUTH_MAX_PAYLOAD } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { connectParams, useIntegrationEnv } from "../harness.js";

const env = useIntegrationEnv();
const REPLY_BUDGET_BYTES = 4096;

/**
 * Issue 12, defect 3: every zod issue used to be returned. A 63 KiB pre-auth `connect` whose `scopes` held 32k
 * numbers drew a 2.6 MB error, and an `exec.approval.request` with 300k argv elements stalled the event loop for
 * seconds. Params are now bounded (an oversized array is refused on its length) and error replies are capped.
 */
describe("validation amplification", () => {
  it("answers an oversized pre-auth connect with a small error and closes", async () => {
    const gateway = await env.start();
    const client = await env.open(gateway.server.url);
    await client.waitForEvent("connect.challenge");
    const params = { ...connectParams({ token: gateway.token }), scopes: new Array<number>(32_000).fill(1) };
    const frame = JSON.stringify({ type: "req", id: "amplify", method: "connect", params });
    expect(frame.length).toBeGreaterThan(62 * 1024);
    expect(frame.length).toBeLessThan(PRE_AUTH_MAX_PAYLOAD);

    client.sendRaw(frame);
    const reply = await client.waitFor((candidate) => candidate.id === "amplify");
    expect(reply.ok).toBe(false);
    expect(reply.error?.details?.code).toBe("INVALID_PARAMS");
    expect(JSON.stringify(reply).length).toBeLessThan(REPLY_BUDGET_BYTES);
    await client.waitForClose();
  });

  it("refuses exec.approval.request with 300k argv elements at once, and health keeps answering", async () => {
    const gateway = await env.start();
    const { client: asker } = await env.connect(gateway, { scopes: ["operator.approvals"] });
    const { client: watcher } = await env.connect(gateway, { scopes: ["operator.read"] });
    const commandArgv = Array.from({ length: 300_000 }, (_, index) => `arg-${index}`);

    const refused = asker.request("exec.approval.request", {
      command: "true",
      commandArgv,
      timeoutMs: 5_000,
    });
    const healthSentAt = performance.now();
    const health = await watcher.request("health", {});
    const healthMs = performance.now() - healthSentAt;
    expect(health.ok).toBe(true);
    // Not stuck behind the refusal; loose (500 ms failed at a load average of 11), still catching a blocked loop.
    expect(healthMs).toBeLessThan(2_000);

    const reply = await refused;
    expect(reply.ok).toBe(false);
    expect(reply.error?.details).toMatchObject({ code: "INVALID_PARAMS", issueCount: 1 });
    const issues = reply.error?.details?.issues as { path: string; message: string }[];
    expect(issues[0]?.path).toBe("commandArgv");
    expect(issues[0]?.message).toContain(String(LIMITS.argv));
    expect(JSON.stringify(reply).length).toBeLessThan(REPLY_BUDGET_BYTES);
    expect(asker.isOpen).toBe(true);
  });
});
