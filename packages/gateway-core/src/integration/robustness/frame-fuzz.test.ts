import { methodParamFields } from "@openclaw/protocol";
import { runFrameFuzz } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../harness.js";

const env = useIntegrationEnv();
const FRAMES = 2_000;
/**
 * Methods whose valid call waits for another party (an operator's decision, a node, a run): a well-formed fuzz frame
 * for one of them rightly gets no answer within the fuzzer's 5 s, so they are left out. Their bounds and limits
 * have tests of their own.
 */
const WAITING_METHODS = new Set([
  "agent.wait",
  "exec.approval.request",
  "exec.approval.waitDecision",
  "node.invoke",
  "plugin.approval.request",
  "plugin.approval.waitDecision",
  "question.request",
  "question.waitAnswer",
]);

describe("malformed-frame fuzz", () => {
  it(`answers ${FRAMES} hostile frames (before and after auth) with small errors and stays responsive`, async () => {
    const gateway = await env.start();
    const rssBefore = process.memoryUsage().rss;
    const report = await runFrameFuzz({
      url: gateway.server.url,
      token: gateway.token,
      count: FRAMES,
      seed: 20261207,
      methods: Object.fromEntries(
        Object.entries(methodParamFields()).filter(([method]) => !WAITING_METHODS.has(method)),
      ),
      connections: 4,
    });
    expect(report.sent).toBe(FRAMES);
    // Every frame got an answer or a close, none timed out, and every answer was a well-formed response.
    expect(report.unanswered).toBe(0);
    expect(report.malformedReplies).toBe(0);
    // Error replies are capped whatever the input: a 60 KiB frame of junk never comes back amplified.
    expect(report.maxErrorReplyBytes, report.largestErrorPreview).toBeLessThan(4 * 1024);
    expect(report.errorCodes.INVALID_JSON ?? 0).toBeGreaterThan(0);
    const { client } = await env.connect(gateway);
    const started = performance.now();
    const health = await client.request("health", {});
    expect(health.ok).toBe(true);
    // Responsive means one quick answer, not a backlog of fuzz still being chewed; loose for a loaded CI machine.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((process.memoryUsage().rss - rssBefore) / 1024 / 1024).toBeLessThan(200);
  }, 120_000);
});
