import { describe, expect, it } from "vitest";
import { runSystemCommand } from "./system-run.js";
import { whichBins } from "./system-which.js";

describe("runSystemCommand", () => {
  it("runs argv without a shell and streams its output", async () => {
    const chunks: string[] = [];
    const result = await runSystemCommand(
      {
        command: ["node", "-e", "process.stdout.write('a b'); process.stderr.write('err'); process.exit(3)"],
      },
      { onOutput: (chunk) => chunks.push(chunk) },
    );
    expect(result).toMatchObject({
      exitCode: 3,
      success: false,
      stdout: "a b",
      stderr: "err",
      timedOut: false,
    });
    expect(chunks.sort()).toEqual(["a b", "err"]);
  });

  it("a timeout ends the whole process group, children included", async () => {
    const result = await runSystemCommand(
      { command: ["sh", "-c", "sleep 30 & sleep 30; echo never"], timeoutMs: 200 },
      {},
    );
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toBe("");
  });

  it("a cancel stops the command", async () => {
    const abort = new AbortController();
    const running = runSystemCommand({ command: ["sleep", "30"] }, { signal: abort.signal });
    abort.abort();
    expect((await running).error).toBe("terminated by SIGTERM");
  });

  it("keeps at most 200 KiB of output and says it cut the rest", async () => {
    const result = await runSystemCommand(
      { command: ["node", "-e", "process.stdout.write('x'.repeat(300 * 1024))"] },
      {},
    );
    expect(result.stdout.length).toBe(200 * 1024);
    expect(result.truncated).toBe(true);
  });

  it("a missing program is an error in the result, not a crash", async () => {
    const result = await runSystemCommand({ command: ["no-such-program-here"] }, {});
    expect(result).toMatchObject({ success: false, exitCode: undefined });
    expect(result.error).toContain("ENOENT");
  });
});

describe("whichBins", () => {
  it("finds executables on PATH and leaves out missing ones and paths", async () => {
    const found = await whichBins({ bins: ["sh", "no-such-bin", "/bin/sh"] });
    expect(found.bins).toEqual({ sh: expect.stringMatching(/\/sh$/) });
  });
});
