import { createHash } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
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

const LEGACY_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

/** The pre-SQLite layout, as an older gateway (or OpenClaw before 2026.9) left it. */
async function writeLegacySessions(): Promise<{ index: string; transcript: string }> {
  const dir = join(stateDir, "agents", "main", "sessions");
  await mkdir(dir, { recursive: true });
  const index = join(dir, "sessions.json");
  const transcript = join(dir, `${LEGACY_ID}.jsonl`);
  await writeFile(
    index,
    JSON.stringify({
      "agent:main:main": {
        sessionId: LEGACY_ID,
        updatedAt: 1_760_000_000_000,
        label: "Old home",
        messageCount: 2,
      },
    }),
  );
  await writeFile(
    transcript,
    [
      JSON.stringify({ type: "session", version: 1, id: LEGACY_ID, timestamp: "2025-10-09T08:53:20.000Z" }),
      JSON.stringify({ role: "user", text: "remember the milk", ts: 1_760_000_000_000 }),
      JSON.stringify({
        type: "message",
        timestamp: "2025-10-09T08:53:21.000Z",
        message: {
          role: "assistant",
          content: [{ type: "text", text: "noted" }],
          timestamp: 1_760_000_001_000,
        },
      }),
      "",
    ].join("\n"),
  );
  return { index, transcript };
}

const sha = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

describe("session storage end to end", () => {
  it("imports legacy sessions into SQLite on first start, keeps the originals, and exports them back", async () => {
    const legacy = await writeLegacySessions();
    const before = { index: await sha(legacy.index), transcript: await sha(legacy.transcript) };
    const port = await freePort();
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({ gateway: { port, auth: { mode: "token", token: "e".repeat(64) } } }),
    );
    const env = cliEnv(stateDir);
    gateway = startCliGateway([], env);
    await gateway.ready;

    const listed = await runCli(["sessions", "list", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = (JSON.parse(listed.stdout) as { sessions: { key: string; label?: string }[]; path: string })
      .sessions;
    expect(rows).toEqual([expect.objectContaining({ key: "agent:main:main", label: "Old home" })]);
    expect((await stat(join(stateDir, "state", "gateway.sqlite"))).isFile()).toBe(true);

    const patched = await runCli(
      [
        "gateway",
        "call",
        "sessions.patch",
        "--params",
        JSON.stringify({ key: "agent:main:work", label: "Work" }),
      ],
      env,
    );
    expect(patched.code, patched.stderr).toBe(0);
    const preview = await runCli(["sessions", "preview", "--key", "agent:main:main", "--json"], env);
    expect(preview.stdout).toContain("remember the milk");
    expect(preview.stdout).toContain("noted");

    // The export opens the same SQLite file next to the running gateway.
    const out = join(stateDir, "export");
    const exported = await runCli(["sessions", "export", "--out", out], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain("exported 2 session(s) of 1 agent(s), 2 transcript line(s)");
    const index = JSON.parse(
      await readFile(join(out, "agents", "main", "sessions", "sessions.json"), "utf8"),
    );
    expect(Object.keys(index).sort()).toEqual(["agent:main:main", "agent:main:work"]);
    expect(index["agent:main:work"].label).toBe("Work");
    const lines = (await readFile(join(out, "agents", "main", "sessions", `${LEGACY_ID}.jsonl`), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: "session", id: LEGACY_ID, key: "agent:main:main" });
    // OpenClaw's line format: message objects with content, each carrying the entries it was written from.
    expect(lines.slice(1).map((line) => line.message)).toMatchObject([
      { role: "user", content: "remember the milk" },
      { role: "assistant", content: [{ type: "text", text: "noted" }] },
    ]);

    const again = await runCli(["sessions", "export", "--out", out], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is not empty");

    // A restart imports nothing twice, and the legacy files were never touched.
    await gateway.stop("SIGTERM");
    gateway = startCliGateway([], env);
    await gateway.ready;
    const relisted = await runCli(["sessions", "list", "--json"], env);
    expect((JSON.parse(relisted.stdout) as { sessions: unknown[] }).sessions).toHaveLength(2);
    expect({ index: await sha(legacy.index), transcript: await sha(legacy.transcript) }).toEqual(before);
  });
});
