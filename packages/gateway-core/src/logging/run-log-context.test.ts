import { setImmediate as nextTick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createLogger, type LogRecord } from "./logger.js";
import { RunTraceIndex, traceRunLogRecords, withRunLogContext } from "./run-log-context.js";

const trace = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" };

function capture(index: RunTraceIndex) {
  const records: LogRecord[] = [];
  const logger = createLogger({ sinks: [traceRunLogRecords(index, (record) => records.push(record))] });
  return { records, logger };
}

describe("run log context", () => {
  it("adds the run's trace to records naming the run, and to records logged inside the run's async context", async () => {
    const index = new RunTraceIndex();
    index.set("run-1", trace);
    const { records, logger } = capture(index);
    logger.info("with field", { runId: "run-1" });
    await withRunLogContext("run-1", async () => {
      await nextTick();
      logger.child({ component: "tools" }).warn("deep inside the run");
    });
    logger.info("outside any run");
    expect(records[0]).toMatchObject({ msg: "with field", runId: "run-1", ...trace });
    expect(records[1]).toMatchObject({ msg: "deep inside the run", runId: "run-1", ...trace });
    expect(records[2]).not.toHaveProperty("traceId");
    expect(records[2]).not.toHaveProperty("runId");
  });

  it("keeps concurrent runs apart", async () => {
    const index = new RunTraceIndex();
    const other = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" };
    index.set("a", trace);
    index.set("b", other);
    const { records, logger } = capture(index);
    await Promise.all([
      withRunLogContext("a", async () => {
        await nextTick();
        logger.info("a");
      }),
      withRunLogContext("b", async () => {
        logger.info("b");
        await nextTick();
      }),
    ]);
    expect(records.find((record) => record.msg === "a")).toMatchObject(trace);
    expect(records.find((record) => record.msg === "b")).toMatchObject(other);
  });

  it("forgets the oldest run beyond its bound", () => {
    const index = new RunTraceIndex(2);
    index.set("1", trace);
    index.set("2", trace);
    index.set("3", trace);
    expect(index.size).toBe(2);
    expect(index.get("1")).toBeUndefined();
    expect(index.get("3")).toEqual(trace);
  });
});
