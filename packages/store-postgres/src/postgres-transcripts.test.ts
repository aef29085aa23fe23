import type { SessionStorage, TranscriptEntry } from "@openclaw/sessions";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPostgresStorage } from "./create-postgres-storage.js";
import { dropSchemas, TEST_DATABASE_URL, testSchemaName } from "./test-database.js";

const schemas: string[] = [];
const opened: SessionStorage[] = [];
let storage: SessionStorage;
let schema: string;

async function open(): Promise<SessionStorage> {
  const s = await createPostgresStorage({ url: TEST_DATABASE_URL, schema, pool: { max: 4 } });
  opened.push(s);
  return s;
}

beforeEach(async () => {
  schema = testSchemaName("transcripts");
  schemas.push(schema);
  storage = await open();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(() => dropSchemas(...schemas));

const line = (text: string, extra: Record<string, unknown> = {}): TranscriptEntry => ({
  role: "user",
  text,
  ts: 1,
  ...extra,
});

describe("transcripts", () => {
  it("appends in order, reads all or the last N oldest first, and counts", async () => {
    await storage.appendTranscript("s1", [line("a"), line("b", { toolCallId: "t-1" })]);
    await storage.appendTranscript("s1", [line("c")]);
    await storage.appendTranscript("s1", []);
    expect(await storage.readTranscript("s1")).toEqual([
      line("a"),
      line("b", { toolCallId: "t-1" }),
      line("c"),
    ]);
    expect((await storage.readTranscript("s1", { limit: 2 })).map((e) => e.text)).toEqual(["b", "c"]);
    expect(await storage.readTranscript("s1", { limit: 0 })).toEqual([]);
    expect(await storage.readTranscript("s1", { limit: 99 })).toHaveLength(3);
    expect(await storage.transcriptLength("s1")).toBe(3);
    expect(await storage.transcriptLength("missing")).toBe(0);
    expect(await storage.readTranscript("missing")).toEqual([]);
  });

  it("numbers concurrent appends from several pools (as from several processes) without loss or duplicates", async () => {
    const writers = [storage, await open(), await open()];
    await Promise.all(
      writers.flatMap((writer, w) =>
        Array.from({ length: 30 }, (_, i) =>
          writer.appendTranscript("busy", [line(`${w}-${i}`), line(`${w}-${i}+`)]),
        ),
      ),
    );
    const texts = (await storage.readTranscript("busy")).map((e) => e.text);
    expect(texts).toHaveLength(180);
    expect(new Set(texts).size).toBe(180);
    // The two entries of one append stay adjacent.
    for (let i = 0; i < texts.length; i += 2) expect(texts[i + 1]).toBe(`${texts[i]}+`);
    expect(await storage.transcriptLength("busy")).toBe(180);
  });

  it("writes the session row in the same transaction, and appends nothing when that write conflicts", async () => {
    const session = { key: "agent:main:t", agentId: "main", entry: { sessionId: "s2", updatedAt: 1 } };
    const written = await storage.appendTranscript("s2", [line("first")], { ...session, expectedVersion: 0 });
    expect(written?.version).toBe(1);
    await expect(
      storage.appendTranscript("s2", [line("lost")], {
        ...session,
        entry: { sessionId: "s2", updatedAt: 2 },
        expectedVersion: 0,
      }),
    ).rejects.toMatchObject({ code: "SESSION_CONFLICT" });
    expect((await storage.readTranscript("s2")).map((e) => e.text)).toEqual(["first"]);
    expect((await storage.getSession("agent:main:t"))?.version).toBe(1);
  });

  it("replaces a transcript atomically and keeps numbering after it", async () => {
    await storage.appendTranscript("s3", [line("1"), line("2"), line("3")]);
    await storage.replaceTranscript("s3", [line("summary", { role: "summary" })]);
    await storage.appendTranscript("s3", [line("4")]);
    expect((await storage.readTranscript("s3")).map((e) => e.text)).toEqual(["summary", "4"]);
    expect(await storage.transcriptLength("s3")).toBe(2);
    await storage.replaceTranscript("s3", []);
    expect(await storage.transcriptLength("s3")).toBe(0);
    expect(await storage.readTranscript("s3")).toEqual([]);
  });

  it("deletes a transcript; a later append starts a new one", async () => {
    await storage.appendTranscript("s4", [line("old")]);
    await storage.deleteTranscript("s4");
    await storage.deleteTranscript("never-there");
    expect(await storage.transcriptLength("s4")).toBe(0);
    await storage.appendTranscript("s4", [line("new")]);
    expect(await storage.readTranscript("s4")).toEqual([line("new")]);
  });

  it("keeps deletes, replaces and appends racing on one transcript consistent", async () => {
    const other = await open();
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => storage.appendTranscript("race", [line(`a${i}`)])),
      ...Array.from({ length: 5 }, () => other.deleteTranscript("race")),
      ...Array.from({ length: 5 }, (_, i) => other.replaceTranscript("race", [line(`r${i}`)])),
    ]);
    const entries = await storage.readTranscript("race");
    expect(await storage.transcriptLength("race")).toBe(entries.length);
    expect((await storage.readTranscript("race", { limit: 1 }))[0]).toEqual(entries.at(-1));
  });
});
