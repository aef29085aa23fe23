import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFileSessionStore } from "./file-session-store.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const childScript = join(packageDir, "src", "__fixtures__", "session-burst-child.mjs");
const ACKS_BEFORE_KILL = 400;

// The child imports the built package (dist/), so build it when any source is newer than the build.
async function buildIfStale(): Promise<void> {
  const built = await stat(join(packageDir, "dist", "index.js")).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = await readdir(join(packageDir, "src"));
  let newest = 0;
  for (const name of sources) {
    if (!name.endsWith(".ts") || name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, (await stat(join(packageDir, "src", name))).mtimeMs);
  }
  if (built >= newest) return;
  const require = createRequire(import.meta.url);
  const tsupPackage = require.resolve("tsup/package.json");
  const bin =
    (JSON.parse(readFileSync(tsupPackage, "utf8")) as { bin: Record<string, string> }).bin.tsup ?? "";
  execFileSync(process.execPath, [join(dirname(tsupPackage), bin)], { cwd: packageDir, stdio: "pipe" });
}

/** Runs the child until it has printed `acksBeforeKill` acks, SIGKILLs it, returns every ack it printed. */
async function burstUntilKilled(stateDir: string, mode: "patch" | "append"): Promise<number[]> {
  const child = spawn(process.execPath, [childScript, stateDir, mode], { stdio: ["ignore", "pipe", "pipe"] });
  const acked: number[] = [];
  let pending = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    for (let newline = pending.indexOf("\n"); newline !== -1; newline = pending.indexOf("\n")) {
      const match = /^ack (\d+)$/.exec(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (!match) continue;
      acked.push(Number(match[1]));
      if (acked.length === ACKS_BEFORE_KILL) child.kill("SIGKILL");
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("close", (_code, sig) => resolve(sig)),
  );
  expect(signal, `child ended without being killed: ${stderr}`).toBe("SIGKILL");
  return acked;
}

let stateDir: string;

beforeAll(buildIfStale, 120_000);

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-sessions-crash-"));
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe("kill -9 during a burst", () => {
  it("loses no acknowledged sessions.patch", async () => {
    const acked = await burstUntilKilled(stateDir, "patch");
    expect(acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    const store = await createFileSessionStore({ stateDir });
    for (const n of acked) {
      expect(await store.get(`agent:main:burst-${n}`), `acked patch ${n}`).toMatchObject({
        label: `label-${n}`,
        category: `lane-${n % 32}`,
      });
    }
    const lastShared = Math.max(...acked.filter((n) => n % 4 === 0));
    const stored = Number((await store.get("agent:main:shared"))?.model?.slice(2));
    expect(stored).toBeGreaterThanOrEqual(lastShared);
    await store.close();
  });

  it("loses no acknowledged transcript append and reads past a torn tail", async () => {
    const acked = await burstUntilKilled(stateDir, "append");
    const store = await createFileSessionStore({ stateDir });
    const texts = new Set((await store.readTranscript("agent:main:chat")).map((entry) => entry.text));
    for (const n of acked) expect(texts.has(`msg-${n}`), `acked append ${n}`).toBe(true);

    await store.appendTranscript("agent:main:chat", { role: "user", text: "after the crash", ts: 1 });
    const entries = await store.readTranscript("agent:main:chat");
    expect(entries.at(-1)?.text).toBe("after the crash");
    await store.close();
  });
});
