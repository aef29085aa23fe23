import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger, type LogRecord, REDACTED, redactLogFields, toLogLevel } from "./logger.js";
import { tailLogFile } from "./tail-log-file.js";

describe("logger", () => {
  it("never writes a secret, however deep", () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ sinks: [(record) => records.push(record)] });
    logger.info("connect", {
      token: "abc",
      nested: { password: "p", apiKey: "k", fine: 1 },
      authorization: "Bearer x",
    });
    expect(records[0]).toMatchObject({
      msg: "connect",
      token: REDACTED,
      nested: { password: REDACTED, apiKey: REDACTED, fine: 1 },
      authorization: REDACTED,
    });
    expect(JSON.stringify(records)).not.toMatch(/abc|Bearer x/);
  });

  it("drops records below the level", () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ level: "warn", sinks: [(record) => records.push(record)] });
    logger.info("quiet");
    logger.warn("loud");
    expect(records.map((record) => record.msg)).toEqual(["loud"]);
  });

  it("reads a level function on every record, in children too", () => {
    const records: LogRecord[] = [];
    let level: "warn" | "debug" = "warn";
    const child = createLogger({ level: () => level, sinks: [(record) => records.push(record)] }).child({
      a: 1,
    });
    child.info("before");
    level = "debug";
    child.debug("after");
    expect(records.map((record) => record.msg)).toEqual(["after"]);
  });

  it("turns errors into name and message", () => {
    expect(redactLogFields({ error: new TypeError("boom") })).toEqual({
      error: { name: "TypeError", message: "boom" },
    });
  });
});

describe("tailLogFile", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-tail-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns whole lines and a cursor that picks up exactly the new ones", async () => {
    const file = join(dir, "gateway.log");
    await writeFile(file, "one\ntwo\nthree-partial");
    const first = await tailLogFile(file, {});
    expect(first.lines).toEqual(["one", "two"]);
    await appendFile(file, "\nfour\n");
    const next = await tailLogFile(file, { cursor: first.cursor });
    expect(next.lines).toEqual(["three-partial", "four"]);
    const none = await tailLogFile(file, { cursor: next.cursor });
    expect(none.lines).toEqual([]);
  });

  it("limits lines, starts over after truncation and copes with a missing file", async () => {
    const file = join(dir, "gateway.log");
    await writeFile(file, `${Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n")}\n`);
    const limited = await tailLogFile(file, { limit: 5 });
    expect(limited.lines).toEqual(["line 45", "line 46", "line 47", "line 48", "line 49"]);
    expect(limited.truncated).toBe(true);
    const reset = await tailLogFile(file, { cursor: 1_000_000 });
    expect(reset.reset).toBe(true);
    expect(await tailLogFile(join(dir, "missing.log"), {})).toMatchObject({ lines: [], size: 0 });
  });
});

describe("toLogLevel", () => {
  it("maps OpenClaw's levels onto ours", () => {
    expect(toLogLevel("trace")).toBe("debug");
    expect(toLogLevel("fatal")).toBe("error");
    expect(toLogLevel("silent")).toBe("silent");
    expect(toLogLevel(undefined)).toBeUndefined();
  });

  it("silent writes nothing at all", () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ level: "silent", sinks: [(record) => records.push(record)] });
    logger.error("even errors");
    expect(records).toEqual([]);
  });
});
