import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteStorage } from "./sqlite-storage.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const childScript = join(packageDir, "src", "__fixtures__", "sqlite-burst-child.mjs");
const ACKS_BEFORE_KILL = 300;
const ROUNDS = 3;

// The child imports the built package (dist/), so build it when any source is newer than the build.
function buildIfStale(): void {
  const built = (() => {
    try {
      return statSync(join(packageDir, "dist", "index.js")).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const newest = Math.max(
    ...readdirSync(join(packageDir, "src"))
      .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
      .map((name) => statSync(join(packageDir, "src", name)).mtimeMs),
  );
  if (built >= newest) return;
  const require = createRequire(import.meta.url);
  const tsupPackage = require.resolve("tsup/package.json");
  const bin =
    (JSON.parse(readFileSync(tsupPackage, "utf8")) as { bin: Record<string, string> }).bin.tsup ?? "";
  execFileSync(process.execPath, [join(dirname(tsupPackage), bin)], { cwd: packageDir, stdio: "pipe" });
}

/** Runs the child until it has printed ACKS_BEFORE_KILL acks, SIGKILLs it, returns every ack it printed. */
async function burstUntilKilled(args: string[]): Promise<number[]> {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ["ignore", "pipe", "pipe"] });
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
  expect(stderr, "the child printed no warning").toBe("");
  return acked;
}

let dir: string;

beforeAll(async () => {
  buildIfStale();
  dir = await mkdtemp(join(tmpdir(), "openclaw-store-sqlite-crash-"));
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(["full", "normal"] as const)("kill -9 mid-burst, synchronous %s", (synchronous) => {
  it("loses no acknowledged putSession or table put, round after round on the same file", async () => {
    const path = join(dir, `put-${synchronous}.sqlite`);
    for (let round = 0; round < ROUNDS; round++) {
      const acked = await burstUntilKilled([path, "put", synchronous, String(round)]);
      expect(acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
      const storage = await createSqliteStorage({ path, synchronous });
      try {
        const acks = storage.table<{ n: number }>("acks");
        for (const n of acked) {
          expect((await storage.getSession(`agent:main:r${round}-${n}`))?.entry.label, `acked put ${n}`).toBe(
            `label-${n}`,
          );
          if (n % 3 === 0)
            expect((await acks.get(`r${round}-${n}`))?.value, `acked table put ${n}`).toEqual({ n });
        }
      } finally {
        await storage.close();
      }
    }
  });

  it("loses no acknowledged transcript append, and appends continue after the crash", async () => {
    const path = join(dir, `append-${synchronous}.sqlite`);
    for (let round = 0; round < ROUNDS; round++) {
      const acked = await burstUntilKilled([path, "append", synchronous, String(round)]);
      const storage = await createSqliteStorage({ path, synchronous });
      try {
        const texts = new Set<string>();
        for (let lane = 0; lane < 16; lane++) {
          for (const entry of await storage.readTranscript(`chat-r${round}-${lane}`)) texts.add(entry.text);
        }
        for (const n of acked) expect(texts.has(`msg-${n}`), `acked append ${n}`).toBe(true);
        await storage.appendTranscript(`chat-r${round}-0`, [
          { role: "user", text: "after the crash", ts: 1 },
        ]);
        const entries = await storage.readTranscript(`chat-r${round}-0`);
        expect(entries.at(-1)?.text).toBe("after the crash");
        expect(await storage.transcriptLength(`chat-r${round}-0`)).toBe(entries.length);
      } finally {
        await storage.close();
      }
    }
  });
});

describe("the writer thread and the process's life", () => {
  it("a write in flight keeps the process alive until acknowledged; an idle open storage does not", async () => {
    const path = join(dir, "exit.sqlite");
    const script = `
      import { createSqliteStorage } from ${JSON.stringify(join(packageDir, "dist", "index.js"))};
      const storage = await createSqliteStorage({ path: process.argv[1] });
      const entry = { sessionId: "sid-exit", updatedAt: 1 };
      storage.putSession({ key: "agent:main:exit", agentId: "main", entry, expectedVersion: 0 })
        .then(() => console.log("acked"));
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, path], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) =>
      child.on("close", (exitCode) => resolve(exitCode)),
    );
    expect({ code, output }).toEqual({ code: 0, output: "acked\n" });
    const storage = await createSqliteStorage({ path });
    try {
      expect((await storage.getSession("agent:main:exit"))?.version).toBe(1);
    } finally {
      await storage.close();
    }
  }, 20_000);
});
