import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName } from "./test-database.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const childScript = join(packageDir, "src", "__fixtures__", "durable-writer-child.mjs");
const ACKS_BEFORE_KILL = 300;
const schema = testSchemaName("durability");

// The child imports the built package (dist/), so build it when any source is newer than the build.
async function buildIfStale(): Promise<void> {
  const built = await stat(join(packageDir, "dist", "index.js")).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  let newest = 0;
  for (const name of await readdir(join(packageDir, "src"))) {
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

/** Runs the child until it has printed ACKS_BEFORE_KILL acks, SIGKILLs it, returns every ack it printed. */
async function writeUntilKilled(id: string): Promise<number[]> {
  const child = spawn(process.execPath, [childScript, TEST_DATABASE_URL, schema, id], {
    stdio: ["ignore", "pipe", "pipe"],
  });
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

beforeAll(buildIfStale, 120_000);
afterAll(() => dropSchemas(schema));

describe("kill -9 while writing", () => {
  it("keeps every write two killed processes acknowledged, and numbers their shared transcript without gaps", async () => {
    const children = ["a", "b"];
    const acks = await Promise.all(children.map((id) => writeUntilKilled(id)));
    const storage = await createPostgresStorage({ url: TEST_DATABASE_URL, schema });
    try {
      const table = storage.table<{ n: number }>("acks");
      const shared = (await storage.readTranscript("shared")).map((e) => e.text);
      expect(new Set(shared).size, "no shared append stored twice").toBe(shared.length);
      expect(await storage.transcriptLength("shared")).toBe(shared.length);
      for (const [c, id] of children.entries()) {
        const acked = acks[c] ?? [];
        expect(acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
        for (const n of acked) {
          const kind = n % 4;
          if (kind === 0) {
            expect(
              await storage.getSession(`agent:main:${id}-row-${n}`),
              `acked row ${id} ${n}`,
            ).toMatchObject({
              version: 1,
            });
          } else if (kind === 1) {
            expect(await storage.readTranscript(`${id}-sess-${n}`), `acked append ${id} ${n}`).toEqual([
              { role: "user", text: `line ${n}`, ts: n },
            ]);
            expect(
              await storage.getSession(`agent:main:${id}-chat-${n}`),
              `acked append row ${id} ${n}`,
            ).toBeDefined();
          } else if (kind === 2) {
            expect((await table.get(`${id}-key-${n}`))?.value, `acked table row ${id} ${n}`).toEqual({ n });
          } else {
            expect(shared, `acked shared append ${id} ${n}`).toContain(`${id}-${n}`);
          }
        }
      }
      // A write in flight at the kill is all or nothing: no row without the transcript written with it.
      const rows = await storage.listSessions({ archived: "all", excludeKinds: [], offset: 0 });
      for (const session of rows.sessions.filter((s) => s.key.includes("-chat-"))) {
        expect(await storage.transcriptLength(session.entry.sessionId)).toBe(1);
      }
    } finally {
      await storage.close();
    }
  }, 60_000);
});
