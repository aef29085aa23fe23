import { chmod, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LogRecord } from "./logger.js";
import { createRotatingFileLogSink, LogFileError } from "./rotating-file-sink.js";
import { tailLogFile } from "./tail-log-file.js";

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-log-"));
  file = join(dir, "logs", "gateway.log");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(n: number): LogRecord {
  return { ts: "2026-01-01T00:00:00.000Z", level: "info", msg: `line ${String(n).padStart(4, "0")}` };
}

/** One serialised record's size: every test record has the same length. */
const LINE_BYTES = Buffer.byteLength(`${JSON.stringify(record(0))}\n`);

async function readLines(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

async function archives(): Promise<string[]> {
  return (await readdir(join(dir, "logs"))).sort();
}

describe("createRotatingFileLogSink", () => {
  it("writes one JSON record per line, in files only its owner can read", async () => {
    const log = createRotatingFileLogSink(file);
    log.sink({ ...record(1), subsystem: "gateway" });
    await log.close();
    expect(await readLines(file)).toEqual([JSON.stringify({ ...record(1), subsystem: "gateway" })]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "logs"))).mode & 0o777).toBe(0o700);
  });

  it("rotates before a line would pass the limit", async () => {
    const log = createRotatingFileLogSink(file, { maxFileBytes: LINE_BYTES * 3 });
    for (let n = 0; n < 7; n += 1) log.sink(record(n));
    await log.close();
    expect(await archives()).toEqual(["gateway.log", "gateway.log.1", "gateway.log.2"]);
    expect((await stat(file)).size).toBe(LINE_BYTES);
    expect((await stat(`${file}.1`)).size).toBe(LINE_BYTES * 3);
    expect((await stat(`${file}.1`)).mode & 0o777).toBe(0o600);
    expect(await readLines(`${file}.2`)).toEqual([0, 1, 2].map((n) => JSON.stringify(record(n))));
    expect(await readLines(`${file}.1`)).toEqual([3, 4, 5].map((n) => JSON.stringify(record(n))));
    expect(await readLines(file)).toEqual([JSON.stringify(record(6))]);
  });

  it("caps the archives and keeps every remaining line whole and in order", async () => {
    const log = createRotatingFileLogSink(file, { maxFileBytes: LINE_BYTES * 2, maxArchives: 3 });
    for (let n = 0; n < 40; n += 1) log.sink(record(n));
    await log.close();
    expect(await archives()).toEqual(["gateway.log", "gateway.log.1", "gateway.log.2", "gateway.log.3"]);
    const lines = [
      ...(await readLines(`${file}.3`)),
      ...(await readLines(`${file}.2`)),
      ...(await readLines(`${file}.1`)),
      ...(await readLines(file)),
    ];
    expect(lines).toEqual([32, 33, 34, 35, 36, 37, 38, 39].map((n) => JSON.stringify(record(n))));
  });

  it("continues a file left by an earlier run, counting its size, and tightens its mode", async () => {
    const first = createRotatingFileLogSink(file, { maxFileBytes: LINE_BYTES * 2 });
    first.sink(record(0));
    await first.close();
    await chmod(file, 0o644);
    const second = createRotatingFileLogSink(file, { maxFileBytes: LINE_BYTES * 2 });
    second.sink(record(1));
    second.sink(record(2));
    await second.close();
    expect(await readLines(`${file}.1`)).toEqual([0, 1].map((n) => JSON.stringify(record(n))));
    expect(await readLines(file)).toEqual([JSON.stringify(record(2))]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("writes a line larger than the limit alone in its own file", async () => {
    const log = createRotatingFileLogSink(file, { maxFileBytes: 10 });
    log.sink(record(0));
    log.sink(record(1));
    await log.close();
    expect(await readLines(`${file}.1`)).toEqual([JSON.stringify(record(0))]);
    expect(await readLines(file)).toEqual([JSON.stringify(record(1))]);
  });

  it("applies a new size limit from the next record", async () => {
    const log = createRotatingFileLogSink(file, { maxFileBytes: LINE_BYTES * 100 });
    for (let n = 0; n < 3; n += 1) log.sink(record(n));
    log.setMaxFileBytes(LINE_BYTES * 2);
    log.sink(record(3));
    await log.close();
    expect(await readLines(`${file}.1`)).toEqual([0, 1, 2].map((n) => JSON.stringify(record(n))));
    expect(await readLines(file)).toEqual([JSON.stringify(record(3))]);
  });

  it("drops records after close", async () => {
    const log = createRotatingFileLogSink(file);
    log.sink(record(0));
    await log.close();
    log.sink(record(1));
    await log.close();
    expect(await readLines(file)).toEqual([JSON.stringify(record(0))]);
  });

  it("stays readable by logs.tail across a rotation", async () => {
    const log = createRotatingFileLogSink(file, { maxFileBytes: LINE_BYTES * 3 });
    for (let n = 0; n < 3; n += 1) log.sink(record(n));
    // Flush by closing and reopening: the tail must see the first file's lines before the rotation.
    await log.close();
    const before = await tailLogFile(file, {});
    expect(before.lines).toHaveLength(3);
    const next = createRotatingFileLogSink(file, { maxFileBytes: LINE_BYTES * 3 });
    next.sink(record(3));
    await next.close();
    const after = await tailLogFile(file, { cursor: before.cursor });
    expect(after.reset).toBe(true);
    expect(after.lines).toEqual([JSON.stringify(record(3))]);
  });

  it("rejects limits that are not positive integers", () => {
    expect(() => createRotatingFileLogSink(file, { maxFileBytes: 0 })).toThrow(LogFileError);
    expect(() => createRotatingFileLogSink(file, { maxFileBytes: 1.5 })).toThrow(/logging\.maxFileBytes/);
    expect(() => createRotatingFileLogSink(file, { maxArchives: 0 })).toThrow(
      /maxArchives must be a positive integer/,
    );
  });
});
