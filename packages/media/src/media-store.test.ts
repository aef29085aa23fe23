import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { oggOpusVoice, tinyPng } from "./__fixtures__/media-bytes.js";
import { createMediaStore } from "./media-store.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "media-store-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const DAY = 24 * 60 * 60 * 1000;

describe("createMediaStore", () => {
  it("saves a file under <root>/<direction>/<id>.<ext> with mode 0600, sniffed metadata and a sha256", async () => {
    const store = createMediaStore({ rootDir: root, now: () => 1_000 });
    const png = tinyPng();
    const saved = await store.save(png, {
      direction: "inbound",
      fileName: "photo.txt",
      mimeType: "text/plain",
    });
    expect(saved).toMatchObject({
      kind: "image",
      mimeType: "image/png",
      sizeBytes: png.byteLength,
      fileName: "photo.txt",
      savedAt: 1_000,
      direction: "inbound",
    });
    expect(saved.path).toBe(path.join(root, "inbound", `${saved.id}.png`));
    expect(saved.sha256).toMatch(/^[a-f0-9]{64}$/);
    expect(new Uint8Array(await readFile(saved.path))).toEqual(png);
    expect((await stat(saved.path)).mode & 0o777).toBe(0o600);
    expect(await store.get(saved.id)).toEqual(saved);
    // No temp file is left behind.
    expect((await readdir(path.join(root, "inbound"))).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("keeps the platform's kind for a voice note and finds outbound files too", async () => {
    const store = createMediaStore({ rootDir: root });
    const voice = await store.save(oggOpusVoice(), { direction: "outbound", kind: "voice" });
    expect(voice.kind).toBe("voice");
    expect(voice.path.startsWith(path.join(root, "outbound"))).toBe(true);
    expect((await store.get(voice.id))?.direction).toBe("outbound");
  });

  it("answers undefined for an unknown id and refuses an id that could name another path", async () => {
    const store = createMediaStore({ rootDir: root });
    expect(await store.get("00000000-0000-4000-8000-000000000000")).toBeUndefined();
    await expect(store.get("../../etc/passwd")).rejects.toMatchObject({ code: "MEDIA_ID_INVALID" });
  });

  it("sweeps files past the age limit and then the oldest until the total fits", async () => {
    let clock = 0;
    const store = createMediaStore({
      rootDir: root,
      maxAgeMs: 7 * DAY,
      maxTotalBytes: 250,
      now: () => clock,
    });
    const bytes = (n: number) => new Uint8Array(n).fill(0x61);
    const old = await store.save(bytes(100), { direction: "inbound" });
    clock = 6 * DAY;
    const middle = await store.save(bytes(100), { direction: "outbound" });
    clock = 7 * DAY + 1;
    const recent = await store.save(bytes(100), { direction: "inbound" });
    expect(await store.sweep()).toEqual({ removed: 1, freedBytes: 100 });
    expect(await store.get(old.id)).toBeUndefined();
    await expect(stat(old.path)).rejects.toMatchObject({ code: "ENOENT" });

    const newest = await store.save(bytes(100), { direction: "inbound" });
    expect(await store.sweep()).toEqual({ removed: 1, freedBytes: 100 });
    expect(await store.get(middle.id)).toBeUndefined();
    expect(await store.get(recent.id)).toBeDefined();
    expect(await store.get(newest.id)).toBeDefined();
  });

  it("removes files a crash left without metadata once they are stale, and leaves fresh ones", async () => {
    const store = createMediaStore({ rootDir: root, now: () => Date.now() });
    await store.save(tinyPng(), { direction: "inbound" });
    const orphan = path.join(root, "inbound", "0f0f0f0f-0000-4000-8000-000000000000.png");
    const temp = path.join(root, "inbound", ".half-written.tmp");
    const fresh = path.join(root, "inbound", ".being-written.tmp");
    for (const file of [orphan, temp, fresh]) await writeFile(file, "x");
    const hoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(orphan, hoursAgo, hoursAgo);
    await utimes(temp, hoursAgo, hoursAgo);
    expect(await store.sweep()).toEqual({ removed: 0, freedBytes: 2 });
    const left = await readdir(path.join(root, "inbound"));
    expect(left).toContain(".being-written.tmp");
    expect(left).not.toContain(".half-written.tmp");
    expect(left.filter((name) => name.endsWith(".png"))).toHaveLength(1);
  });

  it("sweeps on an unref'd timer until stopped", async () => {
    let clock = 0;
    const store = createMediaStore({ rootDir: root, maxAgeMs: 10, now: () => clock });
    const saved = await store.save(tinyPng(), { direction: "inbound" });
    clock = 100;
    const stop = store.startSweeping(60_000);
    try {
      await expect.poll(() => store.get(saved.id), { timeout: 10_000 }).toBeUndefined();
    } finally {
      stop();
    }
  });

  it("reports a failed periodic sweep to onSweepError", async () => {
    const errors: unknown[] = [];
    const file = path.join(root, "not-a-dir");
    await writeFile(file, "x");
    const store = createMediaStore({ rootDir: file, onSweepError: (error) => errors.push(error) });
    const stop = store.startSweeping(60_000);
    try {
      await expect.poll(() => errors.length, { timeout: 10_000 }).toBe(1);
    } finally {
      stop();
    }
  });
});
