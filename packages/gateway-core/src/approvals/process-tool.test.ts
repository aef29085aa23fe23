import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type TestResult, useExecHarness } from "./exec-test-harness.js";

const setup = useExecHarness();
type Harness = Awaited<ReturnType<typeof setup>>;

const OTHER_SESSION = { sessionKey: "agent:main:telegram:direct:42" };

/** Polls (each poll waits for output or exit) until `done` holds; returns every poll's output joined. */
async function pollUntil(h: Harness, sessionId: string, done: (last: TestResult, seen: string) => boolean) {
  let seen = "";
  for (let attempt = 0; attempt < 20; attempt++) {
    const last = await h.process({ action: "poll", sessionId, timeout: 10_000 });
    if (last.output !== "(no new output)") seen += last.output;
    if (done(last, seen)) return { last, seen };
  }
  throw new Error(`poll never saw the expected state; output so far: ${seen}`);
}

/** True when the pid is gone or a zombie (a zombie has ended; only its parent has not reaped it yet). */
function hasEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z") ?? false;
  } catch {
    return true;
  }
}

describe("process: following background jobs", () => {
  it("follows a background job with write, poll and log until it exits", async () => {
    const h = await setup();
    const started = await h.exec({
      command: 'echo started; read line; echo "got $line"; echo done',
      background: true,
    });
    expect(started).toMatchObject({
      status: "running",
      cwd: h.workspace,
      followUp: expect.stringContaining("process"),
    });
    const sessionId = started.sessionId as string;

    const listed = await h.process({ action: "list" });
    expect(listed.sessions).toEqual([
      expect.objectContaining({ sessionId, status: "running", name: "echo started;", stdinWritable: true }),
    ]);
    await pollUntil(h, sessionId, (_last, seen) => seen.includes("started"));
    expect(await h.process({ action: "write", sessionId, data: "hello\n" })).toMatchObject({ bytes: 6 });
    const { last, seen } = await pollUntil(h, sessionId, (poll) => poll.status !== "running");
    expect(last).toMatchObject({ status: "completed", exitCode: 0, exitReason: "exit" });
    expect(seen).toContain("got hello");

    expect(await h.process({ action: "log", sessionId })).toMatchObject({
      output: "started\ngot hello\ndone",
      totalLines: 3,
      offset: 0,
    });
    expect(await h.process({ action: "log", sessionId, offset: 1, limit: 1 })).toMatchObject({
      output: "got hello",
      offset: 1,
    });
    expect(await h.process({ action: "poll", sessionId })).toMatchObject({ output: "(no new output)" });
  });

  it("hands a command that is still running after yieldMs over to process", async () => {
    const h = await setup();
    const started = await h.exec({ command: 'read x; echo "after $x"', yieldMs: 10 });
    expect(started.status).toBe("running");
    const sessionId = started.sessionId as string;
    expect(await h.process({ action: "write", sessionId, data: "1\n", eof: true })).toMatchObject({
      stdinClosed: true,
    });
    const { seen } = await pollUntil(h, sessionId, (poll) => poll.status !== "running");
    expect(seen).toBe("after 1");
  });

  it("kill stops a background job together with what it started", async () => {
    const h = await setup();
    const started = await h.exec({ command: "sleep 30 & echo $!; wait", background: true });
    const sessionId = started.sessionId as string;
    const { seen } = await pollUntil(h, sessionId, (_last, output) => /\d+/.test(output));
    const childPid = Number(seen.trim());

    expect(await h.process({ action: "kill", sessionId })).toMatchObject({
      status: "completed",
      exitReason: "killed",
      reason: "stopped by request",
    });
    if (process.platform === "linux") expect(hasEnded(childPid)).toBe(true);
    await expect(h.process({ action: "kill", sessionId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await h.process({ action: "list" })).sessions).toEqual([
      expect.objectContaining({ sessionId, status: "completed", exitReason: "killed" }),
    ]);
  });

  it("a session never sees another session's jobs", async () => {
    const h = await setup();
    const started = await h.exec({ command: "sleep 30", background: true });
    const sessionId = started.sessionId as string;

    expect(await h.process({ action: "list" }, OTHER_SESSION)).toMatchObject({ sessions: [] });
    for (const action of ["poll", "log", "kill", "write", "remove"]) {
      await expect(h.process({ action, sessionId, data: "x" }, OTHER_SESSION)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    expect((await h.process({ action: "list" })).sessions).toEqual([expect.objectContaining({ sessionId })]);
  });

  it("aborting the run stops a foreground command, but not one already handed over", async () => {
    const h = await setup();
    const controller = new AbortController();
    let pid = 0;
    const foreground = h.exec(
      { command: "echo $$; exec sleep 30", yieldMs: 120_000 },
      {
        signal: controller.signal,
        update: (partial) => {
          pid = Number((partial as { tail: string }).tail.trim());
          controller.abort();
        },
      },
    );
    await expect(foreground).rejects.toMatchObject({ message: expect.stringContaining("aborted") });
    expect(pid).toBeGreaterThan(0);
    if (process.platform === "linux") expect(hasEnded(pid)).toBe(true);

    const run = new AbortController();
    const background = await h.exec({ command: "sleep 30", background: true }, { signal: run.signal });
    run.abort();
    const sessionId = background.sessionId as string;
    expect(await h.process({ action: "poll", sessionId })).toMatchObject({ status: "running" });
  });

  it("clear drops a finished job; remove stops a running one and drops it", async () => {
    const h = await setup();
    const finished = (await h.exec({ command: "echo quick", background: true })).sessionId as string;
    await pollUntil(h, finished, (poll) => poll.status !== "running");
    const running = (await h.exec({ command: "sleep 30", background: true })).sessionId as string;

    await expect(h.process({ action: "clear", sessionId: running })).rejects.toMatchObject({
      message: expect.stringContaining("still running"),
    });
    expect(await h.process({ action: "clear", sessionId: finished })).toMatchObject({ status: "completed" });
    expect(await h.process({ action: "remove", sessionId: running })).toMatchObject({
      message: expect.stringContaining("termination requested"),
    });
    expect(await h.process({ action: "list" })).toMatchObject({ sessions: [] });
    await expect(h.process({ action: "poll", sessionId: finished })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses terminal-input actions with what to use instead, and asks for sessionId", async () => {
    const h = await setup();
    for (const action of ["send-keys", "submit", "paste"]) {
      await expect(h.process({ action, sessionId: "abc", keys: ["Enter"] })).rejects.toMatchObject({
        code: "UNAVAILABLE",
        message: expect.stringContaining('"write"'),
      });
    }
    await expect(h.process({ action: "poll" })).rejects.toMatchObject({ code: "INVALID_ARGUMENTS" });
    await expect(h.process({ action: "explode" })).rejects.toMatchObject({ code: "INVALID_ARGUMENTS" });
  });
});

describe("process registry limits", () => {
  it("caps running jobs per session, and says how to free a slot", async () => {
    const h = await setup({ registry: { maxRunningJobsPerScope: 1 } });
    const first = (await h.exec({ command: "sleep 30", background: true })).sessionId as string;
    await expect(h.exec({ command: "echo second" })).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("process kill"),
    });
    expect(await h.exec({ command: "echo elsewhere" }, OTHER_SESSION)).toMatchObject({
      output: "elsewhere\n",
    });
    await h.process({ action: "kill", sessionId: first });
    expect(await h.exec({ command: "echo second" })).toMatchObject({ output: "second\n" });
  });

  it("keeps the newest output of a job up to its cap and says what was discarded", async () => {
    const h = await setup({ registry: { maxOutputChars: 1_000 } });
    const sessionId = (await h.exec({ command: "seq 1 2000", background: true })).sessionId as string;
    const { seen } = await pollUntil(h, sessionId, (poll) => poll.status !== "running");
    expect(seen.endsWith("2000")).toBe(true);
    const log = await h.process({ action: "log", sessionId, limit: 5 });
    expect(log.output).toMatch(/^\[the first \d+ characters were discarded at the retention cap/);
    expect(log.output?.endsWith("1996\n1997\n1998\n1999\n2000")).toBe(true);
    expect(log.totalChars).toBe(8_893);
  });

  it("keeps only the newest finished jobs", async () => {
    const h = await setup({ registry: { maxFinishedJobs: 2 } });
    const ids: string[] = [];
    for (const word of ["one", "two", "three"]) {
      const sessionId = (await h.exec({ command: `echo ${word}`, background: true })).sessionId as string;
      await pollUntil(h, sessionId, (poll) => poll.status !== "running");
      ids.push(sessionId);
    }
    const listed = (await h.process({ action: "list" })).sessions as { sessionId: string }[];
    expect(listed.map((entry) => entry.sessionId)).toEqual(ids.slice(1));
  });

  it("close() stops every job and refuses new ones", async () => {
    const h = await setup();
    const sessionId = (await h.exec({ command: "sleep 30", background: true })).sessionId as string;
    const job = h.processes.find("agent:main:main", sessionId);
    await h.processes.close();
    expect(job?.outcome?.reason).toBe("shutdown");
    await expect(h.exec({ command: "echo late" })).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
