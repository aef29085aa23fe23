import { readFile, truncate } from "node:fs/promises";
import { join } from "node:path";
import { createFileSessionStore } from "@openclaw/sessions";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { DoctorCheck } from "../commands/doctor/doctor-check.js";
import { CLI_HINT, cliEnv, makeStateDir, removeStateDir, runCli } from "./cli-process.js";

let stateDir: string;
const KEYS = ["agent:main:main", "agent:main:alpha", "agent:main:beta"];

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await removeStateDir(stateDir);
});

async function sessionChecks(args: string[]): Promise<DoctorCheck[]> {
  const result = await runCli(["doctor", "--json", "--no-probe", ...args], cliEnv(stateDir));
  const checks = JSON.parse(result.stdout) as DoctorCheck[];
  return checks.filter((item) => item.id === "sessions");
}

it("openclaw doctor reports a truncated session index and --fix brings every session back", async () => {
  const store = await createFileSessionStore({ stateDir });
  for (const key of KEYS) await store.appendTranscript(key, { role: "user", text: `hi ${key}`, ts: 1 });
  await store.close();
  const indexPath = join(stateDir, "agents", "main", "sessions", "sessions.json");
  expect(await sessionChecks([])).toEqual([expect.objectContaining({ status: "ok" })]);
  await truncate(indexPath, 0);

  const found = await sessionChecks([]);
  expect(found).toEqual([
    expect.objectContaining({
      status: "error",
      message: expect.stringContaining("is unreadable"),
      fix: expect.stringContaining(`${CLI_HINT} doctor --fix`),
    }),
  ]);
  const fixed = await sessionChecks(["--fix"]);
  expect(fixed).toEqual([
    expect.objectContaining({ status: "ok", message: expect.stringContaining("3 session(s) restored") }),
    expect.objectContaining({ status: "warn", message: expect.stringContaining("damaged and rebuilt") }),
  ]);

  expect(Object.keys(JSON.parse(await readFile(indexPath, "utf8"))).sort()).toEqual([...KEYS].sort());
  const events: string[] = [];
  const reopened = await createFileSessionStore({
    stateDir,
    logger: { warn: (event) => events.push(event) },
  });
  expect(await reopened.count()).toBe(KEYS.length);
  expect(events).toEqual([]);
  await reopened.close();
});
