import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useExecHarness } from "./exec-test-harness.js";

const setup = useExecHarness();

describe("exec: where and how commands run", () => {
  it("runs in the agent workspace by default, creating it on first use", async () => {
    const h = await setup();
    const result = await h.exec({ command: "pwd" });
    expect(result).toMatchObject({ status: "completed", exitCode: 0, cwd: h.workspace });
    expect(result.output?.trim()).toBe(h.workspace);
  });

  it("resolves workdir against the workspace, still takes cwd as its old name, and refuses a missing folder", async () => {
    const h = await setup();
    await mkdir(join(h.workspace, "sub"), { recursive: true });
    expect((await h.exec({ command: "pwd", workdir: "sub" })).output?.trim()).toBe(join(h.workspace, "sub"));
    expect((await h.exec({ command: "pwd", cwd: h.root })).output?.trim()).toBe(h.root);
    await expect(h.exec({ command: "pwd", workdir: "missing" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("omit workdir"),
    });
    await expect(h.exec({ command: "pwd", workdir: "sub", cwd: h.root })).rejects.toMatchObject({
      code: "INVALID_ARGUMENTS",
    });
    await expect(h.exec({ command: "pwd", workdir: "   " })).rejects.toMatchObject({
      code: "INVALID_ARGUMENTS",
    });
  });

  it("passes env overrides over the inherited environment, but never PATH, loaders or the gateway's token", async () => {
    const h = await setup();
    process.env.OPENCLAW_GATEWAY_TOKEN = "secret-gateway-token";
    try {
      const result = await h.exec({
        command:
          'printf "%s|%s|%s" "$GREETING" "$OPENCLAW_SHELL" "$HOME"; test -z "$OPENCLAW_GATEWAY_TOKEN" && printf "|no-token"',
        env: { GREETING: "hello there" },
      });
      expect(result.output).toBe(`hello there|exec|${process.env.HOME ?? ""}|no-token`);
    } finally {
      delete process.env.OPENCLAW_GATEWAY_TOKEN;
    }
    for (const name of ["PATH", "LD_PRELOAD", "DYLD_INSERT_LIBRARIES", "NODE_OPTIONS", "GIT_SSH_COMMAND"]) {
      await expect(h.exec({ command: "true", env: { [name]: "x" } })).rejects.toMatchObject({
        code: "INVALID_ARGUMENTS",
        message: expect.stringContaining(`env.${name}`),
      });
    }
  });

  it("stops a command that outlives timeoutSeconds, and says so", async () => {
    const h = await setup();
    const result = await h.exec({
      command: "echo begun; sleep 30; echo never",
      timeoutSeconds: 0.2,
      yieldMs: 120_000,
    });
    expect(result).toMatchObject({ status: "failed", timedOut: true, exitReason: "timeout" });
    expect(result.reason).toContain("timeoutSeconds");
    expect(result.output).toBe("begun\n");
  });

  it("keeps the tail of long output, with a visible note about what was cut", async () => {
    const h = await setup();
    const result = await h.exec({ command: "seq 1 20000" });
    expect(result.status).toBe("completed");
    expect(result.truncated).toBe(true);
    expect(result.output).toMatch(
      /^\[output truncated: the \d+ characters before the last 30000 are not shown/,
    );
    expect(result.output?.endsWith("19999\n20000\n")).toBe(true);
    expect(result.output).not.toContain("\n1\n2\n3\n");
    expect(result.output?.length).toBeLessThan(31_000);
  });

  it("reports a non-zero exit as completed with its code, and a missing program as failed", async () => {
    const h = await setup();
    expect(await h.exec({ command: "echo out; echo err >&2; exit 3" })).toMatchObject({
      status: "completed",
      exitCode: 3,
      reason: "exited with code 3",
      output: expect.stringMatching(/out\n[\s\S]*err\n/),
    });
    expect(await h.exec({ command: "no-such-program-for-exec-tests" })).toMatchObject({
      status: "failed",
      exitCode: 127,
    });
  });

  it("refuses by name what it cannot honour instead of ignoring it", async () => {
    const h = await setup();
    const refused: [Record<string, unknown>, string, string][] = [
      [{ pty: true }, "UNAVAILABLE", "pty"],
      [{ elevated: true }, "DENIED", "elevated"],
      [{ host: "sandbox" }, "UNAVAILABLE", "sandbox"],
      [{ host: "node" }, "UNAVAILABLE", "nodes"],
      [{ node: "kitchen-pi" }, "UNAVAILABLE", "nodes"],
      [{ timeout: 5 }, "INVALID_ARGUMENTS", "timeoutSeconds"],
      [{ security: "full" }, "INVALID_ARGUMENTS", "tools.exec.mode"],
      [{ host: "example.com" }, "INVALID_ARGUMENTS", "host"],
    ];
    for (const [extra, code, text] of refused) {
      await expect(h.exec({ command: "touch refused.txt", ...extra })).rejects.toMatchObject({
        code,
        message: expect.stringContaining(text),
      });
    }
    expect(existsSync(join(h.workspace, "refused.txt"))).toBe(false);
    expect(
      await h.exec({ command: "echo fine", host: "gateway", elevated: false, pty: false }),
    ).toMatchObject({
      status: "completed",
      output: "fine\n",
    });
  });
});

describe("exec: approvals", () => {
  it("in ask mode waits for an operator: allow-once runs the command, deny does not", async () => {
    const h = await setup({ policy: { mode: "ask" } });
    const pending = h.exec({ command: "echo approved-output", env: { TARGET: "prod" } });
    const asked = await h.nextApproval();
    expect(asked).toMatchObject({
      commandText: "echo approved-output",
      cwd: h.workspace,
      agentId: "main",
      sessionKey: "agent:main:main",
      warningText: expect.stringContaining("TARGET"),
    });
    h.approvals.resolve(asked.id, "allow-once");
    expect(await pending).toMatchObject({ status: "completed", output: "approved-output\n" });

    const denied = h.exec({ command: "touch denied.txt" });
    h.approvals.resolve((await h.nextApproval()).id, "deny");
    expect(await denied).toEqual({ status: "denied", reason: "an operator denied the command" });
    expect(existsSync(join(h.workspace, "denied.txt"))).toBe(false);
  });

  it("denies when nobody answers in time", async () => {
    const h = await setup({ policy: { mode: "ask", approvalTimeoutMs: 20 } });
    expect(await h.exec({ command: "touch late.txt" })).toEqual({
      status: "denied",
      reason: "no operator approved the command in time",
    });
    expect(existsSync(join(h.workspace, "late.txt"))).toBe(false);
  });

  it("a call's ask only tightens: on-miss asks unless allowed always, always asks even then", async () => {
    const h = await setup({ policy: { mode: "full" } });
    h.allowlist.add("main", "echo listed");
    expect(await h.exec({ command: "echo listed", ask: "on-miss" })).toMatchObject({ status: "completed" });
    expect(await h.exec({ command: "echo free", ask: "off" })).toMatchObject({ status: "completed" });
    expect(h.approvalsAsked()).toBe(0);

    const onMiss = h.exec({ command: "echo other", ask: "on-miss" });
    h.approvals.resolve((await h.nextApproval()).id, "allow-once");
    expect(await onMiss).toMatchObject({ status: "completed", output: "other\n" });

    const always = h.exec({ command: "echo listed", ask: "always" });
    const asked = await h.nextApproval();
    expect(asked.commandText).toBe("echo listed");
    h.approvals.resolve(asked.id, "deny");
    expect(await always).toMatchObject({ status: "denied" });
  });

  it("allowlist mode runs only commands allowed always; deny mode runs nothing", async () => {
    const h = await setup({ policy: { mode: "allowlist" } });
    expect(await h.exec({ command: "echo hi" })).toMatchObject({ status: "denied" });
    h.allowlist.add("main", "echo hi");
    expect(await h.exec({ command: "echo hi" })).toMatchObject({ status: "completed", output: "hi\n" });
    h.policy.mode = "deny";
    expect(await h.exec({ command: "echo hi" })).toMatchObject({
      status: "denied",
      reason: expect.stringContaining("tools.exec.mode is deny"),
    });
  });
});
