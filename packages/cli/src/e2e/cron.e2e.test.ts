import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cliEnv,
  freePort,
  makeStateDir,
  type RunningGateway,
  removeStateDir,
  runCli,
  startCliGateway,
} from "./cli-process.js";

let stateDir: string;
let gateway: RunningGateway | undefined;

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await removeStateDir(stateDir);
});

describe("openclaw cron end to end", () => {
  it("adds, lists, runs and removes a job through the CLI", async () => {
    const port = await freePort();
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({ gateway: { port, auth: { mode: "token", token: "f".repeat(64) } } }),
    );
    const env = cliEnv(stateDir);
    gateway = startCliGateway([], env);
    await gateway.ready;

    const added = await runCli(
      [
        "cron",
        "add",
        "--name",
        "Weekday brief",
        "--cron",
        "0 7 * * 1-5",
        "--tz",
        "Europe/Vienna",
        "--message",
        "Brief me",
        "--json",
      ],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    const job = JSON.parse(added.stdout) as { id: string; nextRunAtMs: number; sessionTarget: string };
    expect(job).toMatchObject({ sessionTarget: "isolated", schedule: { kind: "cron", tz: "Europe/Vienna" } });

    const table = await runCli(["cron", "list"], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/ID\s+NAME\s+SCHEDULE\s+NEXT RUN/);
    expect(table.stdout).toContain("cron 0 7 * * 1-5 (Europe/Vienna)");
    expect(table.stdout).toContain(new Date(job.nextRunAtMs).toISOString());

    // No model provider is configured: the run starts, fails fast, and the failure is in the history.
    const ran = await runCli(["cron", "run", job.id], env);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^started run \S+/);
    // Only bounds a failure: the loop ends with the first history entry (generous for a loaded CI machine).
    const deadline = Date.now() + 30_000;
    let history: { entries: Array<{ status: string; error?: string }> } = { entries: [] };
    while (history.entries.length === 0 && Date.now() < deadline) {
      history = JSON.parse((await runCli(["cron", "runs", job.id, "--json"], env)).stdout);
    }
    expect(history.entries).toEqual([expect.objectContaining({ status: "error" })]);

    expect((await runCli(["cron", "remove", job.id], env)).stdout).toContain(`removed cron job ${job.id}`);
    const again = await runCli(["cron", "remove", job.id], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`no cron job "${job.id}"`);
    const bad = await runCli(["cron", "add", "--name", "x", "--every", "soon", "--message", "m"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a duration");
  });
});
