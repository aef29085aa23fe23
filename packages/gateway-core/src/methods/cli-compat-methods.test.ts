import { CLI_COMPAT_CONTRACTS } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { callChecked, checkMethodParams, useIntegrationEnv } from "../integration/harness.js";

const env = useIntegrationEnv();

/** The calls OpenClaw's TUI makes (dist/gateway-chat-*.mjs), with the params it sends. */
const TUI_CALLS = [
  ["question.get", { id: "q-1" }],
  ["question.resolve", { id: "q-1", answers: { answers: { color: ["blue"] } } }],
  ["question.resolve", { id: "q-1", cancel: true }],
  ["plugin.approval.resolve", { id: "plugin:abc", decision: "allow-once" }],
  ["taskSuggestions.accept", { taskId: "task-1", mode: "session" }],
  ["artifacts.download", { artifactId: "art-1", sessionKey: "agent:main:main" }],
] as const;

describe("the methods OpenClaw's TUI calls for features this gateway does not have", () => {
  it("are served and listed in hello-ok", async () => {
    const gateway = await env.start();
    const { hello } = await env.connect(gateway);
    for (const method of Object.keys(CLI_COMPAT_CONTRACTS)) expect(hello.features.methods).toContain(method);
  });

  it("answer every id with OpenClaw's not-found error, which names why", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const errors: Record<string, unknown> = {};
    for (const [method, params] of TUI_CALLS) {
      checkMethodParams(method, params);
      const error = await client.callError(method, params);
      expect(error.code).toBe("INVALID_REQUEST");
      errors[method] = { message: error.message, details: error.details };
    }
    expect(errors["question.get"]).toEqual({
      message: "question 'q-1' was not found: this gateway does not run agent questions, so it holds none",
      details: { code: "QUESTION_NOT_FOUND", reason: "QUESTION_NOT_FOUND", id: "q-1" },
    });
    expect(errors["plugin.approval.resolve"]).toMatchObject({
      message: expect.stringMatching(/^unknown or expired approval id: /),
      details: { code: "APPROVAL_NOT_FOUND", reason: "APPROVAL_NOT_FOUND", id: "plugin:abc" },
    });
    expect(errors["taskSuggestions.accept"]).toMatchObject({
      message: expect.stringMatching(/^task suggestion was not found: /),
    });
    expect(errors["artifacts.download"]).toMatchObject({
      details: { type: "artifact_not_found", artifactId: "art-1" },
    });
  });

  it("dismiss a suggestion it does not hold as OpenClaw does: dismissed false, not an error", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const result = await callChecked(client, "taskSuggestions.dismiss", { taskId: "task-1" });
    expect(result).toEqual({ taskId: "task-1", dismissed: false });
  });

  it("hold OpenClaw's scopes: a read-only operator cannot resolve a question or accept a task", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway, { scopes: ["operator.read"] });
    for (const [method, params] of [
      ["question.resolve", { id: "q-1", cancel: true }],
      ["taskSuggestions.accept", { taskId: "task-1" }],
      ["plugin.approval.resolve", { id: "p", decision: "deny" }],
    ] as const) {
      const error = await client.callError(method, params);
      expect(error.details).toMatchObject({ code: "MISSING_SCOPE" });
    }
    // artifacts.download only needs read: it reaches the handler and reports the artifact missing.
    const missing = await client.callError("artifacts.download", { artifactId: "a" });
    expect(missing.details).toMatchObject({ type: "artifact_not_found" });
  });

  it("refuse malformed and oversized params before any handler runs", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const bad = [
      ["question.resolve", { id: "q", answers: { answers: { "Not-A-Key": ["x"] } } }],
      ["taskSuggestions.dismiss", { taskId: "t".repeat(129) }],
      ["taskSuggestions.accept", { taskId: "t", mode: "teleport" }],
      ["artifacts.download", {}],
    ] as const;
    for (const [method, params] of bad) {
      const error = await client.callError(method, params);
      expect(error.details, method).toMatchObject({ code: "INVALID_PARAMS" });
    }
  });
});
