import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { openGatewayStorage } from "@openclaw/gateway";
import { ensureOpenClawRelease, type OpenClawReleaseResult } from "@openclaw/testing";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  cliEnv,
  freePort,
  makeStateDir,
  type RunningGateway,
  removeStateDir,
  runCli,
  startCliGateway,
} from "./cli-process.js";

/** The databases a real OpenClaw 2026.9.6 run left (two sessions, tool calls, the cron job `standup`). */
const FIXTURE = fileURLToPath(
  new URL("../../../sessions/src/storage/__fixtures__/openclaw-2026.9.6-state.tar.gz", import.meta.url),
);
/** An older OpenClaw's layout (sessions.json + JSONL, cron/jobs.json, credentials/*.json), built from its docs. */
const LEGACY_FIXTURE = fileURLToPath(new URL("./__fixtures__/openclaw-legacy-state", import.meta.url));
const MAIN_SESSION_ID = "796ab20b-948a-4e61-8417-66cb391cceb6";
const run = promisify(execFile);

let stateDir: string;
let gateway: RunningGateway | undefined;
let release: OpenClawReleaseResult;

beforeAll(async () => {
  release = await ensureOpenClawRelease();
  if (!release.ok) console.warn(`OpenClaw's own CLI is skipped in this test: ${release.reason}`);
}, 600_000);

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await removeStateDir(stateDir);
});

/** Hashes of OpenClaw's own files (the state dir before our gateway ever ran on it). */
async function hashOpenClawFiles(paths: string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const path of paths) {
    hashes[path] = createHash("sha256")
      .update(await readFile(join(stateDir, path)))
      .digest("hex");
  }
  return hashes;
}

/** OpenClaw's own CLI, on its own state directory and an isolated home. */
async function openclaw(args: string[], openclawStateDir: string): Promise<string> {
  if (!release.ok) throw new Error(release.reason);
  const home = `${openclawStateDir}-home`;
  await mkdir(home, { recursive: true });
  const { stdout } = await run(process.execPath, [release.release.bin, ...args], {
    env: { PATH: process.env.PATH, HOME: home, OPENCLAW_STATE_DIR: openclawStateDir },
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

describe("an existing OpenClaw 2026.9 state directory", () => {
  it("is imported on first start (sessions with tool calls, the cron job), never touched, and exported in a layout OpenClaw reads", async () => {
    const openclawFiles = [
      "state/openclaw.sqlite",
      "state/openclaw.sqlite-wal",
      "state/openclaw.sqlite-shm",
      "agents/main/agent/openclaw-agent.sqlite",
      "agents/main/agent/openclaw-agent.sqlite-wal",
      "agents/main/agent/openclaw-agent.sqlite-shm",
    ];
    execFileSync("tar", ["xzf", FIXTURE, "-C", stateDir, "--strip-components=1"]);
    const before = await hashOpenClawFiles(openclawFiles);
    const port = await freePort();
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({ gateway: { port, auth: { mode: "token", token: "f".repeat(64) } } }),
    );
    const env = cliEnv(stateDir);
    gateway = startCliGateway([], env);
    await gateway.ready;

    const listed = await runCli(["sessions", "list", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    const keys = (JSON.parse(listed.stdout) as { sessions: { key: string }[] }).sessions.map((s) => s.key);
    expect(keys.sort()).toEqual(["agent:main:main", "agent:main:telegram:direct:12345"]);

    const history = await runCli(
      ["gateway", "call", "chat.history", "--params", JSON.stringify({ sessionKey: "agent:main:main" })],
      env,
    );
    expect(history.code, history.stderr).toBe(0);
    const { messages } = JSON.parse(history.stdout) as {
      messages: { role: string; content: { type: string; name?: string; text?: string }[] }[];
    };
    const toolCalls = messages.flatMap((m) => m.content.filter((block) => block.type === "toolCall"));
    expect(toolCalls.map((block) => block.name)).toEqual(["write", "read"]);
    expect(messages.filter((m) => m.role === "toolResult")).toHaveLength(2);
    expect(messages[0]?.content[0]?.text).toBe("Hello, what can you do?");

    const cron = await runCli(["cron", "list", "--json"], env);
    expect(cron.code, cron.stderr).toBe(0);
    expect(cron.stdout).toContain('"standup"');
    expect(cron.stdout).toContain("0 9 * * 1-5");
    expect(cron.stdout).not.toContain("Memory Dreaming Promotion");

    const out = `${stateDir}-export`;
    const exported = await runCli(["sessions", "export", "--out", out], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain("exported 2 session(s) of 1 agent(s)");

    // A restart imports nothing twice, and OpenClaw's files were never touched.
    await gateway.stop("SIGTERM");
    gateway = startCliGateway([], env);
    await gateway.ready;
    const relisted = await runCli(["sessions", "list", "--json"], env);
    expect((JSON.parse(relisted.stdout) as { sessions: unknown[] }).sessions).toHaveLength(2);
    const recron = await runCli(["cron", "list", "--json"], env);
    expect(recron.stdout.match(/"standup"/g)).toHaveLength(1);
    expect(await hashOpenClawFiles(openclawFiles)).toEqual(before);

    if (!release.ok) return;
    // OpenClaw's own upgrade path reads the export: its doctor imports it into its SQLite layout, its CLI lists it.
    try {
      const imported = await openclaw(
        ["doctor", "--session-sqlite", "import", "--session-sqlite-all-agents"],
        out,
      );
      expect(imported).toContain("2 legacy entries, 2 sqlite entries, 0 issue(s)");
      const sessions = JSON.parse(await openclaw(["sessions", "--json"], out)) as {
        sessions: { key: string; sessionId: string }[];
      };
      expect(sessions.sessions.map((s) => s.key).sort()).toEqual([
        "agent:main:main",
        "agent:main:telegram:direct:12345",
      ]);
      const db = new DatabaseSync(join(out, "agents", "main", "agent", "openclaw-agent.sqlite"), {
        readOnly: true,
      });
      const events = db
        .prepare("SELECT event_json FROM transcript_events WHERE session_id = ? ORDER BY seq")
        .all(MAIN_SESSION_ID)
        .map((row) => JSON.parse(String(row.event_json)));
      db.close();
      const calls = events.flatMap((event) =>
        event.type === "message" && Array.isArray(event.message.content)
          ? event.message.content.filter((block: { type: string }) => block.type === "toolCall")
          : [],
      );
      expect(calls.map((block: { name: string }) => block.name)).toEqual(["write", "read"]);
    } finally {
      await removeStateDir(out);
      await removeStateDir(`${out}-home`);
    }
  }, 300_000);

  it("in the older layout (sessions.json + JSONL, cron/jobs.json, credentials) is imported the same way, files untouched", async () => {
    await cp(LEGACY_FIXTURE, stateDir, { recursive: true });
    // A pending request lives an hour, so the fixture cannot hold one: write it as OpenClaw does, now.
    const now = new Date().toISOString();
    await writeFile(
      join(stateDir, "credentials", "telegram-pairing.json"),
      JSON.stringify({
        version: 1,
        requests: [{ id: "5151", code: "K7M2Q9XP", createdAt: now, lastSeenAt: now, meta: { name: "Bob" } }],
      }),
    );
    const legacyFiles = [
      "agents/main/sessions/sessions.json",
      "agents/main/sessions/5d7c1a9e-2b4f-4c61-9e3a-7f0b8d2c4a11.jsonl",
      "agents/main/sessions/a3e9f217-6c5d-4b8e-8f12-0c4d6e8a9b20.jsonl",
      "cron/jobs.json",
      "credentials/telegram-pairing.json",
      "credentials/telegram-allowFrom.json",
    ];
    const before = await hashOpenClawFiles(legacyFiles);
    const port = await freePort();
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({ gateway: { port, auth: { mode: "token", token: "f".repeat(64) } } }),
    );
    const env = cliEnv(stateDir);
    gateway = startCliGateway([], env);
    await gateway.ready;

    const listed = await runCli(["sessions", "list", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = (JSON.parse(listed.stdout) as { sessions: { key: string; label?: string }[] }).sessions;
    expect(rows.map((row) => row.key).sort()).toEqual(["agent:main:main", "agent:main:telegram:direct:4242"]);
    expect(rows.find((row) => row.key === "agent:main:telegram:direct:4242")?.label).toBe("Ada on Telegram");

    const history = await runCli(
      ["gateway", "call", "chat.history", "--params", JSON.stringify({ sessionKey: "agent:main:main" })],
      env,
    );
    expect(history.code, history.stderr).toBe(0);
    const { messages } = JSON.parse(history.stdout) as {
      messages: { role: string; content: { type: string; name?: string; text?: string }[] }[];
    };
    expect(messages.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "assistant",
      "toolResult",
      "assistant",
      "system",
      "user",
    ]);
    expect(messages[2]?.content).toMatchObject([{ type: "toolCall", name: "exec" }]);
    expect(messages[3]?.content[0]?.text).toContain("40G");

    const cron = await runCli(["cron", "list", "--json"], env);
    expect(cron.stdout).toContain('"weekly-review"');
    const pairing = await runCli(["pairing", "list", "telegram", "--json"], env);
    expect(pairing.code, pairing.stderr).toBe(0);
    expect(JSON.parse(pairing.stdout).requests).toMatchObject([
      { requestId: "K7M2Q9XP", senderLabel: "Bob" },
    ]);

    await gateway.stop("SIGTERM");
    gateway = undefined;
    const storage = await openGatewayStorage({ stateDir, env });
    try {
      const allowed = await storage.storage.table("pairing.allow").list();
      expect(allowed.map((row) => row.value)).toMatchObject([{ channel: "telegram", senderId: "4242" }]);
    } finally {
      await storage.close();
    }
    expect(await hashOpenClawFiles(legacyFiles)).toEqual(before);
  }, 120_000);
});
