import { mkdtemp, rename, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ConfigFileWatcher, ConfigWatchError, watchConfigFile } from "./watch-config-file.js";

// Only bounds a failure (a passing test resolves on the callback); generous, as file events are slow on a loaded
// CI machine.
const TIMEOUT_MS = 30_000;

let dir: string;
let file: string;
let watcher: ConfigFileWatcher | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-watch-"));
  file = join(dir, "openclaw.json");
  await writeFile(file, "{}\n");
});

afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Counts settled callbacks and lets a test await the next one. */
function settledCounter() {
  let count = 0;
  let waiters: Array<() => void> = [];
  return {
    onSettled: () => {
      count += 1;
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    },
    get count() {
      return count;
    },
    next(): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no settled callback in time")), TIMEOUT_MS);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

describe("watchConfigFile", () => {
  it("reports an in-place write", async () => {
    const counter = settledCounter();
    watcher = watchConfigFile(file, counter.onSettled, { debounceMs: 20 });
    const settled = counter.next();
    await writeFile(file, "{ gateway: { port: 1 } }\n");
    await settled;
    expect(counter.count).toBe(1);
  });

  it("reports an editor-style atomic rename, and keeps following the new inode", async () => {
    const counter = settledCounter();
    watcher = watchConfigFile(file, counter.onSettled, { debounceMs: 20 });
    const first = counter.next();
    await writeFile(join(dir, ".openclaw.json.tmp"), "{ a: 1 }\n");
    await rename(join(dir, ".openclaw.json.tmp"), file);
    await first;
    const second = counter.next();
    await writeFile(join(dir, ".openclaw.json.tmp"), "{ a: 2 }\n");
    await rename(join(dir, ".openclaw.json.tmp"), file);
    await second;
    expect(counter.count).toBe(2);
  });

  it("debounces a burst of writes into one call", async () => {
    const counter = settledCounter();
    // Long enough that the whole burst below lands inside one quiet window.
    watcher = watchConfigFile(file, counter.onSettled, { debounceMs: 250 });
    const burst = counter.next();
    for (let index = 0; index < 5; index += 1) await writeFile(file, `{ n: ${index} }\n`);
    await burst;
    // Calls from the burst would all arrive before the call for this later write.
    const marker = counter.next();
    await writeFile(file, "{ n: 5 }\n");
    await marker;
    expect(counter.count).toBe(2);
  });

  it("ignores other files in the folder", async () => {
    const counter = settledCounter();
    watcher = watchConfigFile(file, counter.onSettled, { debounceMs: 1 });
    for (let index = 0; index < 3; index += 1) await writeFile(join(dir, "other.json"), `{ n: ${index} }`);
    const first = counter.next();
    await writeFile(file, "{ b: 1 }\n");
    await first;
    const second = counter.next();
    await writeFile(file, "{ b: 2 }\n");
    await second;
    expect(counter.count).toBe(2);
  });

  it("survives the file being deleted and recreated", async () => {
    const counter = settledCounter();
    watcher = watchConfigFile(file, counter.onSettled, { debounceMs: 20 });
    const deleted = counter.next();
    await unlink(file);
    await deleted;
    const recreated = counter.next();
    await writeFile(file, "{ c: 1 }\n");
    await recreated;
    expect(counter.count).toBe(2);
  });

  it("stops calling back after close", async () => {
    let calls = 0;
    watcher = watchConfigFile(
      file,
      () => {
        calls += 1;
      },
      { debounceMs: 20 },
    );
    watcher.close();
    watcher.close();
    // A second, open watcher proves the write was seen; the closed one must stay silent.
    const counter = settledCounter();
    const probe = watchConfigFile(file, counter.onSettled, { debounceMs: 50 });
    const settled = counter.next();
    await writeFile(file, "{ d: 1 }\n");
    await settled;
    probe.close();
    expect(calls).toBe(0);
  });

  it("passes a failing callback's error to onError", async () => {
    const failure = new Promise<Error>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no error reported in time")), TIMEOUT_MS);
      watcher = watchConfigFile(
        file,
        async () => {
          throw new Error("reload failed");
        },
        {
          debounceMs: 20,
          onError: (error) => {
            clearTimeout(timer);
            resolve(error);
          },
        },
      );
    });
    await writeFile(file, "{ e: 1 }\n");
    expect((await failure).message).toBe("reload failed");
  });

  it("throws a typed error when the folder does not exist", () => {
    expect(() => watchConfigFile(join(dir, "missing", "openclaw.json"), () => {})).toThrow(ConfigWatchError);
    try {
      watchConfigFile(join(dir, "missing", "openclaw.json"), () => {});
    } catch (error) {
      expect(error).toMatchObject({ code: "CONFIG_WATCH_FAILED" });
      expect((error as Error).message).toContain('gateway.reload.mode to "off"');
    }
  });
});
