import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The databases of a real OpenClaw 2026.9.6 run (two sessions, `agent:main:main` with a `write` and a `read` tool
 * call, `agent:main:telegram:direct:12345`, and the cron job `standup`), as OpenClaw left them: WAL mode, with the
 * write-ahead log and shared-memory files beside each database.
 */
export const OPENCLAW_2026_9_STATE_FIXTURE = fileURLToPath(
  new URL("./__fixtures__/openclaw-2026.9.6-state.tar.gz", import.meta.url),
);

/** Unpacks the fixture into a new temp folder and returns the state directory inside it. */
export async function unpackOpenClawStateFixture(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "openclaw-2026.9-state-"));
  execFileSync("tar", ["xzf", OPENCLAW_2026_9_STATE_FIXTURE, "-C", folder]);
  return join(folder, "state");
}

/** Every file under `dir` with a hash of its bytes: an import must leave this exactly as it was. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return files;
}
