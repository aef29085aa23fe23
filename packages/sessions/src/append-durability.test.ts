import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createFileSessionStore } from "./file-session-store.js";

let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-append-"));
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

it("acknowledges no append to a new session before the index entry naming its transcript is durable", async () => {
  const store = await createFileSessionStore({ stateDir });
  // A directory where the index file goes: every index write fails, as on a full or failing disk.
  await mkdir(join(stateDir, "agents", "main", "sessions", "sessions.json"), { recursive: true });

  const first = store.appendTranscript("agent:main:new", { role: "user", text: "one", ts: 1 });
  const second = store.appendTranscript("agent:main:new", { role: "user", text: "two", ts: 2 });

  await expect(first).rejects.toThrow();
  // Its line may be on disk, but no index names the file: after a crash it would be lost, so it is not acked.
  await expect(second).rejects.toThrow();
  await store.close();
});
